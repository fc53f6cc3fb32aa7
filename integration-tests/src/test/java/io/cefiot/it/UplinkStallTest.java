package io.cefiot.it;

import io.cefiot.kafka.EmbeddedKafkaCluster;
import io.cefiot.kafka.KafkaNodeConfig;
import io.cefiot.site.Setting;
import io.cefiot.testing.KafkaClusterExtension;
import io.cefiot.testing.TestSite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cloud Kafka node stalled (SIGSTOP) while the uplink has transactions open, for longer
 * than the uplink's request and delivery timeouts, then resumed (SIGCONT): the uplink's
 * requests sit unread in the stalled node's sockets while the uplink gives up on them and
 * starts over, and the node reads them when it resumes. Two uplink processes share the edge
 * partitions, records flow the whole time, and the cloud topic, read as the archive reads it,
 * must hold every edge record once, in per-camera order, and copying must go on after each stall.
 */
class UplinkStallTest {

    static final int STALLS = 3;
    static final Duration STALL = Duration.ofSeconds(25);

    @RegisterExtension
    static KafkaClusterExtension edge = new KafkaClusterExtension(3);

    @TempDir
    Path dir;

    @Test
    void should_copy_every_record_once_and_in_order_when_the_cloud_node_stalls_mid_transaction() throws Exception {
        KafkaNodeConfig cloudNode = KafkaNodeConfig.onFreePorts(1, dir.resolve("cloud-kafka"));
        Path nodeProperties = cloudNode.prepare(0, Uuid.randomUuid().toString(), Map.of());
        Process cloud = LauncherTest.start(Files.createDirectories(dir.resolve("cloud-node")), "broker", "--properties",
                nodeProperties.toString());
        String cloudServers = cloudNode.bootstrapServers();
        String topic = "stall.images.enriched";
        List<Process> uplinks = new ArrayList<>();
        try {
            EmbeddedKafkaCluster.awaitBrokers(cloudServers, 1, Duration.ofMinutes(2));
            TestSite site = new TestSite(dir).edge(edge.bootstrapServers()).cloud(cloudServers).set(Setting.SITE_ID, "stall");
            Path config = site.write(dir.resolve("site.properties"));
            for (int n = 0; n < 2; n++) {
                uplinks.add(LauncherTest.start(Files.createDirectories(dir.resolve("uplink-" + n)), "run", "uplink",
                        "--config", config.toString()));
            }
            CameraFeed feed = new CameraFeed(edge.bootstrapServers(), topic);
            try (feed) {
                for (int stall = 1; stall <= STALLS; stall++) {
                    long before = CameraFeed.committedOn(cloudServers, topic);
                    await("copying before stall " + stall).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                            .until(() -> CameraFeed.committedOn(cloudServers, topic) > before + 50);
                    signal(cloud, "STOP");
                    try {
                        TimeUnit.MILLISECONDS.sleep(STALL.toMillis()); // the fault itself: a stall of a fixed length
                    } finally {
                        signal(cloud, "CONT");
                    }
                }
                long afterLast = CameraFeed.committedOn(cloudServers, topic);
                await("copying after the last stall").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                        .until(() -> CameraFeed.committedOn(cloudServers, topic) > afterLast + 50);
            }
            feed.assertCopiedOnceInOrder(cloudServers, "uplink stall test");
        } finally {
            uplinks.forEach(Process::destroyForcibly);
            cloud.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void signal(Process process, String signal) throws Exception {
        int status = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        assertThat(status).as("kill -" + signal).isZero();
    }
}
