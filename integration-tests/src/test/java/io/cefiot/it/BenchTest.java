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
 * {@code ./cefiot bench --quick}, the real command on a real multi-process site, so that the
 * benchmark keeps working. Its timings are not judged here (a shared two-core machine): the test
 * checks that every part ran against its reference and wrote its figures and pictures.
 */
class BenchTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    Path dir;

    @Test
    void quick_bench_should_measure_every_part_beside_its_reference_and_write_table_csv_and_plots() throws Exception {
        Requires.root("The benchmark's drain (it limits the edge-cloud link in a network namespace)");
        Requires.debianTool("tc", "iproute2", "The benchmark's drain");
        Path out = dir.resolve("results");
        LauncherTest.Result result = LauncherTest.cefiot(dir, 1200, "bench", "--quick", "--out", out.toString(),
                "--data", dir.resolve("data").toString());
        System.out.println(result.stdout());

        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        List<String[]> rows = Files.readAllLines(out.resolve("pipeline.csv")).stream().skip(1).map(BenchTest::csvFields).toList();
        assertThat(rows.stream().map(r -> r[0]).distinct()).as("every part ran")
                .containsAll(List.of("ingest", "uplink", "latency", "footprint", "failover"));
        for (String size : List.of("50KB", "200KB", "1MB")) {
            assertThat(rows).as("ingest of " + size + " against ProducerPerformance, with a ratio")
                    .anyMatch(r -> r[0].equals("ingest") && r[1].startsWith(size) && r[5].equals("ProducerPerformance") && positive(r[7]));
        }
        assertThat(rows).as("the uplink against MirrorMaker 2, with a ratio")
                .anyMatch(r -> r[0].equals("uplink") && r[5].equals("MirrorMaker 2") && positive(r[7]));
        assertThat(rows).as("capture-to-archive p99 and every image archived")
                .anyMatch(r -> r[2].endsWith("p99") && positive(r[4]))
                .anyMatch(r -> r[2].startsWith("not archived") && Double.parseDouble(r[4]) == 0);
        for (String rate : List.of("0.5 images/s", "5 images/s", "burst of 50")) {
            assertThat(rows).as("time to safety at " + rate + ": to the cloud beside MirrorMaker 2, to the edge beside EndToEndLatency")
                    .anyMatch(r -> r[0].equals("latency") && r[1].startsWith(rate) && r[2].equals("capture to cloud p99")
                            && positive(r[4]) && r[5].startsWith("MirrorMaker 2") && positive(r[6]) && !r[7].isEmpty())
                    .anyMatch(r -> r[0].equals("latency") && r[1].startsWith(rate) && r[2].equals("capture to edge p99")
                            && positive(r[4]) && r[5].startsWith("EndToEndLatency") && !r[6].isEmpty());
        }
        assertPng(out.resolve("latency.png"));
        assertThat(rows).as("failover after a leader kill and an uplink kill")
                .anyMatch(r -> r[0].equals("failover") && r[1].contains("leader") && positive(r[4]))
                .anyMatch(r -> r[0].equals("failover") && r[1].contains("uplink") && positive(r[4]));
        assertThat(rows).as("a whole edge node's memory against the Pi's budget")
                .anyMatch(r -> r[0].equals("footprint") && r[1].startsWith("edge node") && positive(r[4]));
        assertThat(Files.readString(out.resolve("pipeline.md"))).contains("| ingest |").contains("![ratios](ratios.png)");
        assertPng(out.resolve("ratios.png"));
        assertThat(rows).as("the drain's use of the limited link").anyMatch(r -> r[0].equals("drain") && r[5].equals("link rate")
                && positive(r[7]));
        assertPng(out.resolve("drain.png"));
        List<String> drain = Files.readAllLines(out.resolve("drain.csv"));
        assertThat(drain).as("the drain timeline crosses the outage")
                .anyMatch(l -> l.contains(",cut,")).anyMatch(l -> l.contains(",drain,"));
        assertThat(dir.resolve("data")).as("a completed run removes its working data").doesNotExist();
    }

    /** The fields of a CSV line; a quoted field may hold commas. */
    private static String[] csvFields(String line) {
        return Arrays.stream(line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1))
                .map(f -> f.startsWith("\"") ? f.substring(1, f.length() - 1).replace("\"\"", "\"") : f).toArray(String[]::new);
    }

    private static boolean positive(String number) {
        return !number.isEmpty() && Double.parseDouble(number) > 0;
    }

    private static void assertPng(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        assertThat(Arrays.copyOf(bytes, 4)).as(file + " is a PNG").isEqualTo(PNG_SIGNATURE);
        assertThat(bytes.length).as(file + " has a picture in it").isGreaterThan(10_000);
    }
}
