package io.cefiot.deploy;

import io.cefiot.site.Side;
import io.cefiot.site.SiteConfig;
import io.cefiot.site.SitePlan;
import io.cefiot.site.Stage;

import java.util.List;

/**
 * How one stage runs on k3s: its side (from the site plan), replicas and sizing. Both the Camel K
 * Integration and the operator-less Deployment of a stage are rendered from this one record.
 *
 * <p>Sizing is for a Raspberry Pi 4 with 4 GB next to k3s (see k3s-manifests/README.md): heaps are
 * small and the memory limit leaves room for metaspace, threads and direct buffers (the camera's
 * OpenCV frames live outside the heap).
 */
public record K3sStage(Stage stage, Side side, int replicas, int heapMiB, int memoryRequestMiB, int memoryLimitMiB,
                       String cpuRequest, String cpuLimit) {

    /** The container port of the console, metrics and health probes. */
    public static final int CONSOLE_PORT = 8080;

    /** Node label that marks a node with a camera attached. */
    public static final String CAMERA_NODE_LABEL = "cefiot.io/camera";

    /** The stages a site configuration's plan runs, with their k3s sizing. */
    public static List<K3sStage> forSite(SiteConfig config) {
        SitePlan plan = SitePlan.of(config);
        return plan.stages().stream().map(stage -> sized(stage, plan.stage(stage).side())).toList();
    }

    /** A stage's k3s replicas and sizing (the same on either side). */
    public static K3sStage sized(Stage stage, Side side) {
        return switch (stage) {
            // One camera per device: Kubernetes restarts it in place; a standby elsewhere has no camera.
            case CAMERA -> new K3sStage(stage, side, 1, 160, 256, 512, "250m", "2");
            // Ingest's standby waits on the spool lock on the same node: the spool volume is the camera node's.
            case INGEST -> new K3sStage(stage, side, 2, 96, 192, 384, "100m", "1");
            // Compact decodes and re-encodes images on the heap.
            case COMPACT -> new K3sStage(stage, side, 2, 192, 256, 512, "100m", "1");
            case ENRICH, UPLINK, ARCHIVE -> new K3sStage(stage, side, 2, 96, 192, 384, "100m", "1");
        };
    }

    /** The Integration's, Deployment's and pods' name, also the camel.apache.org/integration label. */
    public String name() {
        return "cefiot-" + stage.id();
    }

    /** Camera and ingest share the spool (a volume on the camera node). */
    public boolean usesSpool() {
        return stage == Stage.CAMERA || stage == Stage.INGEST;
    }

    public boolean usesArchive() {
        return stage == Stage.ARCHIVE;
    }

    /** The only stage allowed out of the site: it writes the cloud cluster. */
    public boolean reachesCloud() {
        return stage == Stage.UPLINK;
    }

    /**
     * The stage JVM's options on k3s, chosen by measured RSS (`./cefiot bench --quick --only flow`,
     * figures in docs/performance/flow-k3s-options): the serial collector, a heap that gives memory
     * back (free ratios), small thread stacks, and C1 only: C2's compiler arenas and code cache were
     * the largest part left (174-195 MiB RSS with C2, 148-159 MiB without, and capture-to-cloud
     * latency no worse in that run).
     */
    public List<String> jvmOptions() {
        return List.of("-Xmx" + heapMiB + "m", "-Xss256k", "-XX:+UseSerialGC", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30",
                "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=96m", "-XX:MaxDirectMemorySize=32m",
                "-Djava.awt.headless=true");
    }
}
