package io.cefiot.it;

import io.cefiot.site.Setting;
import io.cefiot.testing.SiteClusters;
import io.cefiot.testing.TestSite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;

/**
 * The uplink as two real processes (sharing the partitions of one group), one of them SIGKILLed
 * again and again while records flow at a camera's pace, each kill once the site is copying, at
 * a random moment: mid-batch, mid-transaction, with Camel's batching queue part full, or during
 * the rebalance the last restart began. The cloud topic, read as the archive reads it
 * (read_committed), must hold every edge record exactly once and in per-camera order.
 */
class UplinkKillTest {

    static final int KILLS = 6;

    @RegisterExtension
    static SiteClusters clusters = new SiteClusters(3, 1);

    @TempDir
    Path dir;

    @Test
    void should_copy_every_record_exactly_once_in_order_while_uplink_processes_are_killed() throws Exception {
        TestSite site = clusters.site(dir).set(Setting.SITE_ID, "kill");
        Path config = site.write(dir.resolve("site.properties"));
        String topic = "kill.images.enriched";
        String cloudServers = clusters.cloud().bootstrapServers();
        List<Process> replicas = new ArrayList<>(List.of(startUplink(config, 0), startUplink(config, 1)));
        Random random = new Random(System.nanoTime());
        CameraFeed feed = new CameraFeed(clusters.edge().bootstrapServers(), topic);
        try {
            try (feed) {
                for (int kill = 1; kill <= KILLS; kill++) {
                    long before = CameraFeed.committedOn(cloudServers, topic);
                    await("copying before kill " + kill).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                            .until(() -> CameraFeed.committedOn(cloudServers, topic) > before + 20);
                    TimeUnit.MILLISECONDS.sleep(random.nextInt(2000)); // a random moment of the flow, not a wait for an outcome
                    int victim = random.nextInt(replicas.size());
                    replicas.get(victim).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    replicas.set(victim, startUplink(config, kill + 1));
                }
                long afterLast = CameraFeed.committedOn(cloudServers, topic);
                await("copying after the last kill").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                        .until(() -> CameraFeed.committedOn(cloudServers, topic) > afterLast + 20);
            }
            feed.assertCopiedOnceInOrder(cloudServers, "uplink kill test, " + KILLS + " SIGKILLs");
        } finally {
            replicas.forEach(Process::destroyForcibly);
        }
    }

    private Process startUplink(Path config, int n) throws Exception {
        Path workDir = Files.createDirectories(dir.resolve("uplink-" + n));
        return LauncherTest.start(workDir, "run", "uplink", "--config", config.toString());
    }
}
