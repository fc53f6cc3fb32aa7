package io.cefiot.it;

import io.cefiot.contract.Sha256;
import io.cefiot.kafka.EmbeddedKafkaCluster;
import io.cefiot.kafka.KafkaNodeConfig;
import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.site.Setting;
import io.cefiot.site.Stage;
import io.cefiot.testing.ArchiveContents;
import io.cefiot.testing.TestSite;
import io.cefiot.testing.Topics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two of the three edge Kafka nodes SIGKILLed while the camera captures: the edge cluster
 * loses its controller quorum and, with min.insync.replicas=2, its writes. Ingest must say so
 * soon (an ERROR line and {@code cefiot.edge.degraded} = 1), keep the new images in the spool,
 * and send every one of them once the nodes are back.
 */
class EdgeDegradedTest {

    static final int IMAGES = 300;

    /**
     * How soon the loss must show. The check calls the cluster unanswering after 5 s; one check
     * against dead leaders waits out a few 5 s timeouts more. The chaos run waits 18 s at least.
     */
    static final Duration REPORTED_WITHIN = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    void losing_two_edge_nodes_should_be_reported_as_degraded_and_lose_no_image() throws Exception {
        KafkaNodeConfig edgeNodes = KafkaNodeConfig.onFreePorts(3, dir.resolve("edge-kafka"));
        String clusterId = Uuid.randomUuid().toString();
        List<Path> nodeProperties = new ArrayList<>();
        List<Process> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                nodeProperties.add(edgeNodes.prepare(i, clusterId, Map.of()));
                nodes.add(startNode(i, nodeProperties.get(i)));
            }
            String servers = edgeNodes.bootstrapServers();
            EmbeddedKafkaCluster.awaitBrokers(servers, 3, Duration.ofMinutes(2));
            TestSite site = new TestSite(dir.resolve("site")).edge(servers).cloud(servers)
                    .set(Setting.SITE_ID, "degraded")
                    .set(Setting.CAMERA_IMAGES, Integer.toString(IMAGES))
                    .set(Setting.CAMERA_INTERVAL_MS, "100");
            try (PipelineRuntime edge = PipelineRuntime.start(site.config(), List.of(Stage.CAMERA, Stage.INGEST))) {
                await().atMost(Duration.ofMinutes(1)).until(() -> gauge(edge, "cefiot.edge.brokers") == 3.0
                        && ArchiveContents.loggedHashes(site.captureLog()).size() > 20);
                assertThat(gauge(edge, "cefiot.edge.degraded")).isZero();

                for (int i = 1; i < 3; i++) {
                    nodes.get(i).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
                long lost = System.nanoTime();
                await("DEGRADED after losing two of three edge nodes").atMost(REPORTED_WITHIN).pollInterval(Duration.ofMillis(200))
                        .until(() -> gauge(edge, "cefiot.edge.degraded") == 1.0);
                System.out.printf("degraded reported %.1f s after the loss%n", (System.nanoTime() - lost) / 1e9);
                assertThat(spooled(site)).as("images waiting in the spool while edge writes stop").isPositive();

                for (int i = 1; i < 3; i++) {
                    nodes.set(i, startNode(i, nodeProperties.get(i)));
                }
                await("the edge writable again").atMost(Duration.ofMinutes(2)).until(() -> gauge(edge, "cefiot.edge.degraded") == 0.0);
                await("every image captured").atMost(Duration.ofMinutes(1))
                        .until(() -> ArchiveContents.loggedHashes(site.captureLog()).size() == IMAGES);
                await("the spool drained").atMost(Duration.ofMinutes(2)).until(() -> spooled(site) == 0);
            }
            List<String> ingested = Topics.readAtLeast(servers, "degraded.images.ingested", IMAGES, Duration.ofMinutes(1)).stream()
                    .map(r -> Sha256.hex(r.value())).sorted().toList();
            assertThat(ingested).as("each captured image on the ingested topic once")
                    .containsExactlyElementsOf(ArchiveContents.loggedHashes(site.captureLog()));
        } finally {
            for (Process node : nodes) {
                node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private Process startNode(int id, Path properties) throws Exception {
        return LauncherTest.start(Files.createDirectories(dir.resolve("node-" + id)), "broker", "--properties", properties.toString());
    }

    private static double gauge(PipelineRuntime runtime, String name) {
        return runtime.metrics().get(name).gauge().value();
    }

    private static long spooled(TestSite site) throws Exception {
        try (Stream<Path> files = Files.list(site.spool())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jpg")).count();
        }
    }
}
