package io.cefiot.bench;

import io.cefiot.localsite.LocalClusters;
import io.cefiot.localsite.SiteProcess;
import io.cefiot.localsite.SiteRecords;
import io.cefiot.localsite.SiteRecords.Captured;
import io.cefiot.site.Setting;
import io.cefiot.site.SiteConfig;
import io.cefiot.site.SitePlan;
import io.cefiot.site.Stage;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The whole pipeline under steady camera traffic, on the local site: the synthetic camera,
 * ingest, enrich and two uplink replicas on the edge nodes, the archive behind the link. On it:
 * capture-to-archive latency, the memory of every process, the time to resume after SIGKILLs,
 * and the drain of a backlog over a rate-limited link after an outage.
 */
final class FlowBenchmark implements AutoCloseable {

    static final String SITE_ID = "bench-flow";
    /** The synthetic camera's images are about this large (640x480 scenes at its JPEG quality): the references' record size. */
    static final int MEAN_IMAGE_BYTES = 42_000;

    /** A second of the drain run: what reached the cloud, what crossed the link, and what waits at the edge. */
    record DrainSample(double atSeconds, String phase, double goodputMbit, double wireMbit, long backlog) {
    }

    private final LocalClusters clusters;
    private final PrintStream out;
    private final Path siteDir;
    private final Map<String, SiteProcess> stages = new LinkedHashMap<>();
    private final String enrichedTopic;
    private final String ingestedTopic;
    private final String uplinkGroup;
    private final Path captureLog;

    FlowBenchmark(LocalClusters clusters, int cameraIntervalMs, PrintStream out) {
        this.clusters = clusters;
        this.out = out;
        this.siteDir = clusters.dir().resolve(SITE_ID);
        this.captureLog = siteDir.resolve("source.sha256");
        Map<String, String> settings = clusters.siteSettings(SITE_ID, siteDir);
        settings.put(Setting.CAMERA_SOURCE.key(), SiteConfig.SYNTHETIC_SOURCE);
        settings.put(Setting.CAMERA_IDS.key(), "cam-1,cam-2,cam-3");
        settings.put(Setting.CAMERA_IMAGES.key(), "0");
        settings.put(Setting.CAMERA_INTERVAL_MS.key(), Integer.toString(cameraIntervalMs));
        settings.put(Setting.CAMERA_CAPTURE_LOG.key(), captureLog.toString());
        Path config = LocalClusters.writeSettings(siteDir.resolve("site.properties"), "CEFIoT flow benchmark", settings);
        SitePlan plan = SitePlan.of(SiteConfig.load(config));
        this.ingestedTopic = plan.stage(Stage.INGEST).output().orElseThrow().name();
        this.enrichedTopic = plan.stage(Stage.UPLINK).input().orElseThrow().name();
        this.uplinkGroup = plan.groupId(Stage.UPLINK);
        Map<String, String[]> layout = new LinkedHashMap<>();
        layout.put("camera", new String[] {"edge-0", "camera"});
        layout.put("ingest", new String[] {"edge-0", "ingest"});
        layout.put("enrich", new String[] {"edge-1", "enrich"});
        layout.put("uplink-a", new String[] {"edge-2", "uplink"});
        layout.put("uplink-b", new String[] {"edge-1", "uplink"});
        layout.put("archive", new String[] {"cloud", "archive"});
        // With the JVM options their pods ship with, so that the footprint measured is what a Pi runs.
        layout.forEach((name, where) -> stages.put(name, clusters.stageAsOnK3s(name, where[0], where[1], config)));
    }

    /**
     * Latency by camera rate ({@link RateLatencyBenchmark}): starts every stage but the flow's own
     * camera, so that each rate's camera is alone on the pipeline. Before {@link #start()}.
     */
    List<RateLatencyBenchmark.Figures> latencyByRate(Path referenceLibs, List<RateLatencyBenchmark.Rate> rates)
            throws IOException, InterruptedException {
        out.println("Flow: starting ingest, enrich, two uplinks and the archive...");
        stages.forEach((name, process) -> {
            if (!name.equals("camera")) {
                process.start();
            }
        });
        return new RateLatencyBenchmark(clusters, referenceLibs, siteDir, ingestedTopic, enrichedTopic, out).run(rates);
    }

    void start() throws InterruptedException {
        out.println("Flow: starting the camera (synthetic, 3 cameras), ingest, enrich, two uplinks and the archive...");
        stages.values().stream().filter(process -> !process.isAlive()).forEach(SiteProcess::start);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (countArchived() == 0) {
            checkRunning();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("No image reached the archive within 5 minutes; see the logs in " + clusters.logs());
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    /** Capture-to-archive latency and every process's memory over {@code steady} of steady traffic. */
    List<BenchResult> latencyAndFootprint(Duration steady) throws InterruptedException {
        out.printf("Flow: %d s of steady traffic for latency and memory...%n", steady.toSeconds());
        Map<String, SiteProcess> all = new LinkedHashMap<>();
        clusters.edgeBrokers().forEach(b -> all.put(b.name(), b));
        all.put(clusters.cloudBroker().name(), clusters.cloudBroker());
        all.putAll(stages);
        Map<String, Long> maxRssKib = new LinkedHashMap<>();
        long from = System.currentTimeMillis();
        long until = from + steady.toMillis();
        while (System.currentTimeMillis() < until) {
            checkRunning();
            all.forEach((name, process) -> process.pid().ifPresent(
                    pid -> maxRssKib.merge(name, ProcessMemory.of(pid).rssKib(), Math::max)));
            TimeUnit.SECONDS.sleep(1);
        }
        long to = System.currentTimeMillis();
        List<Captured> window = SiteRecords.readCaptureLog(captureLog).stream()
                .filter(c -> c.capturedAt() >= from && c.capturedAt() < to).toList();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        Map<String, Long> archived = archivedAtById();
        while (window.stream().anyMatch(c -> !archived.containsKey(id(c))) && System.nanoTime() < deadline) {
            TimeUnit.SECONDS.sleep(2);
            archived.putAll(archivedAtById());
        }
        List<Long> latencies = new ArrayList<>();
        long missing = 0;
        for (Captured c : window) {
            Long archivedAt = archived.get(id(c));
            if (archivedAt == null) {
                missing++;
            } else {
                latencies.add(archivedAt - c.capturedAt());
            }
        }
        String scenario = String.format(Locale.ROOT, "%d images in %d s; 3 cameras", window.size(), steady.toSeconds());
        List<BenchResult> results = new ArrayList<>();
        results.add(BenchResult.alone("latency", scenario, "capture to archive p50", "ms", Stats.percentile(latencies, 50)));
        results.add(BenchResult.alone("latency", scenario, "capture to archive p99", "ms", Stats.percentile(latencies, 99)));
        results.add(BenchResult.alone("latency", scenario, "capture to archive max", "ms", Stats.max(latencies)));
        results.add(BenchResult.alone("latency", scenario, "not archived within 3 min", "images", missing));
        out.printf("  latency p50 %.0f ms, p99 %.0f ms over %d images (%d not archived)%n", Stats.percentile(latencies, 50),
                Stats.percentile(latencies, 99), latencies.size(), missing);
        results.addAll(footprint(maxRssKib));
        return results;
    }

    /** Per process, and an edge node that runs its broker and every edge stage, against a 4 GB Pi 4 running a k3s server. */
    private List<BenchResult> footprint(Map<String, Long> maxRssKib) {
        List<BenchResult> results = new ArrayList<>();
        maxRssKib.forEach((name, kib) -> results.add(BenchResult.alone("footprint", name, "RSS, most during steady flow", "MiB",
                kib / 1024.0)));
        long nodeKib = maxRssKib.getOrDefault("broker-edge-0", 0L);
        for (String stage : List.of("camera", "ingest", "enrich", "uplink-a")) {
            nodeKib += maxRssKib.getOrDefault(stage, 0L);
        }
        double nodeMib = nodeKib / 1024.0;
        // A 4 GB Raspberry Pi 4, less k3s's documented server footprint (1.2 to 1.6 GB): the worse end is the budget.
        double budgetMib = 4096 - 1600;
        results.add(BenchResult.compared("footprint", "edge node: broker + camera + ingest + enrich + uplink",
                "RSS sum vs what a 4 GB Pi 4 has left beside a k3s server (4096 - 1600 MiB)", "MiB", nodeMib,
                "budget", budgetMib, Double.NaN));
        out.printf("  an edge node with every edge stage: %.0f MiB of a %.0f MiB budget%n", nodeMib, budgetMib);
        return results;
    }

    /** The time until writes resume after a SIGKILL of a partition leader, then of an uplink replica; {@code trials} each. */
    List<BenchResult> failover(int trials) throws InterruptedException {
        List<Double> broker = new ArrayList<>();
        List<Double> uplink = new ArrayList<>();
        try (TopicProbe edge = new TopicProbe(clusters.edgeKafka().bootstrapServers());
             TopicProbe cloud = new TopicProbe(clusters.cloudKafka().bootstrapServers())) {
            for (int trial = 1; trial <= trials; trial++) {
                broker.add(killLeader(edge, trial));
                uplink.add(killUplink(edge, cloud, trial % 2 == 1 ? "uplink-a" : "uplink-b"));
            }
        }
        String brokerScenario = "SIGKILL of the leader of the busiest partitions (" + trials + (trials == 1 ? " trial)" : " trials)");
        String uplinkScenario = "SIGKILL of one of two uplink replicas (" + trials + (trials == 1 ? " trial)" : " trials)");
        return List.of(
                BenchResult.alone("failover", brokerScenario, "writes resume (median)", "s", Stats.median(broker)),
                BenchResult.alone("failover", brokerScenario, "writes resume (max)", "s", Stats.max(broker)),
                BenchResult.alone("failover", uplinkScenario, "copies resume (median)", "s", Stats.median(uplink)),
                BenchResult.alone("failover", uplinkScenario, "copies resume (max)", "s", Stats.max(uplink)));
    }

    private double killLeader(TopicProbe edge, int trial) throws InterruptedException {
        List<Integer> active = activePartitions(() -> edge.endOffsets(ingestedTopic));
        Map<Integer, Integer> leaders = edge.leaders(ingestedTopic);
        Map<Integer, Long> ledPerBroker = new HashMap<>();
        active.forEach(p -> ledPerBroker.merge(leaders.get(p), 1L, Long::sum));
        int victim = ledPerBroker.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        List<Integer> affected = active.stream().filter(p -> leaders.get(p) == victim).toList();
        Map<Integer, Long> atKill = edge.endOffsets(ingestedTopic);
        SiteProcess broker = clusters.edgeBrokers().get(victim);
        long killed = System.nanoTime();
        broker.kill();
        double seconds = awaitAdvance(() -> edge.endOffsets(ingestedTopic), affected, atKill, killed);
        out.printf("  trial %d: killed broker-edge-%d (leader of partitions %s of %s): writes resumed after %.1f s%n", trial, victim,
                affected, ingestedTopic, seconds);
        broker.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!inSync(edge) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(500);
        }
        return seconds;
    }

    private double killUplink(TopicProbe edge, TopicProbe cloud, String name) throws InterruptedException {
        List<Integer> active = activePartitions(() -> cloud.endOffsets(enrichedTopic));
        Map<Integer, Long> atKill = cloud.endOffsets(enrichedTopic);
        SiteProcess uplink = stages.get(name);
        long killed = System.nanoTime();
        uplink.kill();
        double seconds = awaitAdvance(() -> cloud.endOffsets(enrichedTopic), active, atKill, killed);
        out.printf("  killed %s: copies to the cloud resumed on all busy partitions after %.1f s%n", name, seconds);
        uplink.start();
        // Let the restarted replica rejoin its group before the next fault.
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (edge.groupMembers(uplinkGroup) < 2 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(500);
        }
        awaitAdvance(() -> cloud.endOffsets(enrichedTopic), activePartitions(() -> cloud.endOffsets(enrichedTopic)),
                cloud.endOffsets(enrichedTopic), System.nanoTime());
        return seconds;
    }

    private boolean inSync(TopicProbe edge) {
        try {
            return edge.fullyInSync(ingestedTopic);
        } catch (IllegalStateException notYet) {
            return false;
        }
    }

    /**
     * The partitions being written to: those whose end offset grows within a few seconds. Records
     * reach the cloud in bursts (a batch's transactions), and a pipeline may still be catching up
     * after the last fault, so this looks again for up to two minutes.
     */
    private List<Integer> activePartitions(Supplier<Map<Integer, Long>> offsets) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            Map<Integer, Long> before = offsets.get();
            TimeUnit.SECONDS.sleep(3);
            Map<Integer, Long> after = offsets.get();
            List<Integer> active = after.keySet().stream().filter(p -> after.get(p) > before.getOrDefault(p, 0L)).toList();
            if (!active.isEmpty()) {
                return active;
            }
            checkRunning();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("No partition was written to for 2 minutes: the pipeline is not flowing. "
                        + "See the logs in " + clusters.logs());
            }
        }
    }

    /** Seconds from {@code since} until every one of {@code partitions} is past its offset in {@code atStart}. */
    private double awaitAdvance(Supplier<Map<Integer, Long>> offsets, List<Integer> partitions, Map<Integer, Long> atStart, long since)
            throws InterruptedException {
        long deadline = since + Duration.ofMinutes(3).toNanos();
        List<Integer> waiting = new ArrayList<>(partitions);
        while (!waiting.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Partitions " + waiting + " did not resume within 3 minutes; see the logs in " + clusters.logs());
            }
            try {
                Map<Integer, Long> now = offsets.get();
                waiting.removeIf(p -> now.getOrDefault(p, 0L) > atStart.getOrDefault(p, 0L));
            } catch (IllegalStateException leaderless) {
                // a partition without a leader yet: ask again
            }
            if (!waiting.isEmpty()) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        return (System.nanoTime() - since) / 1e9;
    }

    /**
     * Cuts the link for {@code outage} during steady traffic, then brings it back limited to
     * {@code kbit} and samples every second until the backlog is drained.
     */
    List<DrainSample> drain(Duration outage, int kbit) throws InterruptedException {
        out.printf("Drain: link cut for %d s, then back at %d kbit/s (tbf) until the backlog is gone...%n", outage.toSeconds(), kbit);
        List<DrainSample> samples = new ArrayList<>();
        try (TopicProbe edge = new TopicProbe(clusters.edgeKafka().bootstrapServers());
             TopicProbe cloud = new TopicProbe(clusters.cloudKafka().bootstrapServers())) {
            long start = System.nanoTime();
            long[] last = {cloud.bytesOnDisk(enrichedTopic), clusters.link().bytesSentToCloud(), start};
            long[] cloudCommitted = {cloud.committedSum(uplinkGroup, enrichedTopic)};
            String[] phase = {"steady"};
            Runnable sample = () -> {
                long now = System.nanoTime();
                boolean linkUp = !phase[0].equals("cut");
                long bytes = linkUp ? cloud.bytesOnDisk(enrichedTopic) : last[0];
                if (linkUp) {
                    cloudCommitted[0] = cloud.committedSum(uplinkGroup, enrichedTopic);
                }
                long wire = clusters.link().bytesSentToCloud();
                double seconds = (now - last[2]) / 1e9;
                samples.add(new DrainSample((now - start) / 1e9, phase[0], (bytes - last[0]) * 8 / seconds / 1e6,
                        wire < 0 ? Double.NaN : (wire - last[1]) * 8 / seconds / 1e6,
                        edge.endOffsetSum(enrichedTopic) - cloudCommitted[0]));
                last[0] = bytes;
                last[1] = wire;
                last[2] = now;
            };
            for (int i = 0; i < 10; i++) {
                tick(sample);
            }
            long steadyBacklog = samples.stream().mapToLong(DrainSample::backlog).max().orElse(0);
            phase[0] = "cut";
            clusters.link().cut();
            for (long until = System.nanoTime() + outage.toNanos(); System.nanoTime() < until; ) {
                tick(sample);
            }
            phase[0] = "drain";
            clusters.link().limit(kbit);
            clusters.link().restore();
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (System.nanoTime() < deadline) {
                tick(sample);
                DrainSample latest = samples.get(samples.size() - 1);
                out.printf("  %5.0f s: %5.1f Mbit/s to the cloud, %,d records waiting at the edge%n", latest.atSeconds(),
                        latest.goodputMbit(), latest.backlog());
                if (latest.backlog() <= Math.max(steadyBacklog, 10)) {
                    break;
                }
            }
            phase[0] = "after";
            for (int i = 0; i < 5; i++) {
                tick(sample);
            }
            clusters.link().unlimit();
        }
        return samples;
    }

    private void tick(Runnable sample) throws InterruptedException {
        checkRunning();
        TimeUnit.SECONDS.sleep(1);
        sample.run();
    }

    private void checkRunning() {
        for (SiteProcess process : stages.values()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(process.name() + " exited; see " + process.log());
            }
        }
    }

    private long countArchived() {
        return SiteRecords.archivedImages(siteDir.resolve("archive")).size();
    }

    /** When each archived image's file was written, by camera/sequence; names and times only, as this is polled. */
    private Map<String, Long> archivedAtById() {
        Map<String, Long> byId = new HashMap<>();
        SiteRecords.listArchive(siteDir.resolve("archive")).forEach(a -> byId.put(a.camera() + "/" + a.sequence(), a.archivedAt()));
        return byId;
    }

    private static String id(Captured c) {
        return c.camera() + "/" + c.sequence();
    }

    @Override
    public void close() {
        LocalClusters.stopTogether(new ArrayList<>(stages.values()));
    }
}
