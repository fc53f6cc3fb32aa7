package io.cefiot.it;

import io.cefiot.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bounded run of {@code ./cefiot chaos}: the real command, as a child process, with a seed
 * nobody picked. Every fault kind is injected at least once, stalled brokers (SIGSTOP) among
 * them; as root (CI) that includes the link cut, the slow link (network namespace, veth, tbf)
 * and the full spool disk (tmpfs). The cloud topic is read back and compared with the edge's.
 */
class ChaosTest {

    @TempDir
    Path dir;

    @Test
    void every_fault_kind_should_lose_nothing_and_copy_and_archive_each_image_once_in_order() throws Exception {
        Requires.root("The chaos test (it cuts and slows the edge-cloud link in a network namespace and fills a tmpfs spool)");
        Requires.debianTool("ip", "iproute2", "The chaos test's link faults");
        Requires.debianTool("tc", "iproute2", "The chaos test's slow link");
        long seed = System.nanoTime() % 1_000_000;
        System.out.println("chaos seed " + seed);
        LauncherTest.Result result = LauncherTest.cefiot(dir, 1200, "chaos", "--seed", Long.toString(seed),
                "--duration", "60", "--link-outage", "20", "--data", dir.resolve("site").toString());
        System.out.println(result.stdout());

        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        assertThat(result.stdout()).contains("PASSED").contains("seed " + seed);
        assertThat(result.stdout()).as("the two-broker loss is reported as degraded in the logs")
                .containsPattern("logged DEGRADED: ingest-[ab]");
        List<String> rows = Files.readAllLines(dir.resolve("site").resolve("fault-matrix.md")).stream()
                .filter(line -> line.startsWith("| ") && !line.startsWith("| fault")).toList();
        List<String> expectedRows = List.of("baseline", "broker kill", "broker stall", "stage kill", "node loss", "link cut",
                "link slow", "disk full", "cloud broker restart", "cloud broker stall", "two brokers lost");
        assertThat(rows.stream().map(r -> cells(r)[0])).containsExactlyElementsOf(expectedRows);
        for (String row : rows) {
            String[] cells = cells(row);
            assertThat(cells[4]).as("lost in " + cells[0]).isEqualTo("0");
            assertThat(cells[5]).as("archived twice in " + cells[0]).isEqualTo("0");
            assertThat(cells[6]).as("edge records copied twice to the cloud topic in " + cells[0]).isEqualTo("0");
            assertThat(cells[7]).as("out of per-camera order on the cloud topic in " + cells[0]).isEqualTo("0");
        }
    }

    private static String[] cells(String row) {
        return Arrays.stream(row.substring(1, row.length() - 1).split("\\|")).map(String::trim).toArray(String[]::new);
    }
}
