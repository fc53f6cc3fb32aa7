package io.cefiot.it;

import io.cefiot.kafka.ListenerPorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cefiot.site.Setting;
import io.cefiot.testing.SiteClusters;
import io.cefiot.testing.TestSite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ingest processes on one spool: the standby takes the spool lock when the leader is
 * SIGKILLed, and its console counts one ingest failover; the leader's counts none.
 */
class IngestTakeoverTest {

    @RegisterExtension
    static SiteClusters clusters = new SiteClusters(1, 1);

    @TempDir
    Path dir;

    @Test
    void a_standby_ingest_that_takes_over_counts_a_failover() throws Exception {
        TestSite site = clusters.site(dir).set(Setting.CONSOLE_PASSWORD, "takeover-test");
        Path config = site.write(dir.resolve("site.properties"));
        int leaderPort = ListenerPorts.next();
        int standbyPort = ListenerPorts.next();
        Process leader = LauncherTest.start(Files.createDirectories(dir.resolve("leader")), "run", "ingest", "--config", config.toString(),
                "--console-port", Integer.toString(leaderPort));
        Process standby = null;
        try {
            await().atMost(Duration.ofMinutes(1)).until(() -> metrics(leaderPort).contains("cefiot_failovers_total{stage=\"ingest\"} 0.0"));
            standby = LauncherTest.start(Files.createDirectories(dir.resolve("standby")), "run", "ingest", "--config", config.toString(),
                    "--console-port", Integer.toString(standbyPort));
            await().atMost(Duration.ofMinutes(1)).until(() -> metrics(standbyPort).contains("cefiot_failovers_total{stage=\"ingest\"} 0.0"));

            leader.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

            await().atMost(Duration.ofMinutes(1)).until(() -> metrics(standbyPort).contains("cefiot_failovers_total{stage=\"ingest\"} 1.0"));
            assertThat(ConsoleHttp.get(standbyPort, "/observe/health").body()).contains("\"ingest-spool-to-edge\":\"Started\"");
        } finally {
            leader.destroyForcibly();
            if (standby != null) {
                standby.destroy();
                standby.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static String metrics(int port) {
        return ConsoleHttp.bodyOrEmpty(port, "/observe/metrics");
    }
}
