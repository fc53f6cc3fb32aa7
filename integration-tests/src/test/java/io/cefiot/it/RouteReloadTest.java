package io.cefiot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cefiot.contract.ImageHeaders;
import io.cefiot.site.Setting;
import io.cefiot.testing.IngestedRecords;
import io.cefiot.testing.SiteClusters;
import io.cefiot.testing.TestSite;
import io.cefiot.testing.Topics;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./cefiot run} reloads a route file saved while it runs, as a real process: an edit takes
 * effect without a restart, a broken edit stops that stage's routes with the file named in the
 * log, and fixing the file resumes it. No record is lost or enriched twice across the reloads.
 */
class RouteReloadTest {

    @RegisterExtension
    static SiteClusters clusters = new SiteClusters(1, 1);

    private static final String INGESTED = TestSite.SITE_ID + ".images.ingested";
    private static final String ENRICHED = TestSite.SITE_ID + ".images.enriched";
    private static final String EDITED_HEADER = "cefiot.route-edit";

    @TempDir
    Path dir;

    @Test
    void an_edited_enrich_route_is_reloaded_in_the_running_process_and_a_broken_edit_loses_nothing() throws Exception {
        Path config = clusters.site(dir).write(dir.resolve("site.properties"));
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Path shipped = Path.of("..", "routes", "enrich.camel.yaml");
        Path route = Files.copy(shipped, routes.resolve("enrich.camel.yaml"));
        Path log = dir.resolve("enrich.log");
        Process enrich = run("enrich", routes, config, log);
        try {
            awaitLog(log, "running enrich for site");
            send(1, 2);
            assertThat(enriched(2)).noneSatisfy(record -> assertThat(Topics.header(record, EDITED_HEADER)).isNotNull());

            String original = Files.readString(route, StandardCharsets.UTF_8);
            String anchor = "            ref: imageEnricher\n            method: enrich\n";
            assertThat(original).contains(anchor);
            String edited = original.replace(anchor, anchor + "        - setHeader:\n            name: " + EDITED_HEADER
                    + "\n            constant: reloaded\n");
            Files.writeString(route, edited, StandardCharsets.UTF_8);
            awaitLog(log, "Routes reloaded");
            send(3, 4);
            List<ConsumerRecord<String, byte[]>> afterEdit = enriched(4);
            assertThat(afterEdit.subList(2, 4)).allSatisfy(record -> assertThat(Topics.header(record, EDITED_HEADER)).isEqualTo("reloaded"));

            // YAML that does not parse: Camel logs the file and line and keeps the routes it had.
            Files.writeString(route, edited + "\n- route: [ this is not YAML\n", StandardCharsets.UTF_8);
            awaitLog(log, "Error reloading routes from file: " + route);
            send(5, 5);
            assertThat(enriched(5).get(4).headers().lastHeader(EDITED_HEADER)).as("the edited route still ran").isNotNull();

            // A file that parses but names a bean that does not exist.
            Files.writeString(route, edited.replace("ref: imageEnricher", "ref: imageEnricherr"), StandardCharsets.UTF_8);
            awaitLog(log, "imageEnricherr");
            send(6, 6);
            assertThat(enrich.isAlive()).as("a broken edit does not end the process").isTrue();
            Files.writeString(route, original, StandardCharsets.UTF_8);
            send(7, 7);
            List<ConsumerRecord<String, byte[]>> all = enriched(7);
            assertThat(all).extracting(record -> Topics.header(record, ImageHeaders.SEQUENCE))
                    .as("every record enriched once, in order, across the reloads").containsExactly("1", "2", "3", "4", "5", "6", "7");
            assertThat(all.get(5).headers().lastHeader(EDITED_HEADER))
                    .as("the route stayed stopped while its bean was unknown: record 6 waited for the fixed file").isNull();
        } finally {
            stop(enrich, log);
        }
    }

    /**
     * ingest.camel.yaml declares the spool's leader lock; a reload builds a new lock and policy.
     * The new one must get the lock file that this process held under the old one, or the spool
     * would stop draining.
     */
    @Test
    void an_edited_ingest_route_is_reloaded_and_goes_on_draining_the_spool_under_a_new_leader_lock() throws Exception {
        // A site of its own: the enrich test reads this cluster's ingested topic of the test site.
        TestSite site = clusters.site(dir).set(Setting.SITE_ID, "ingest-reload");
        Path config = site.write(dir.resolve("site.properties"));
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Path route = Files.copy(Path.of("..", "routes", "ingest.camel.yaml"), routes.resolve("ingest.camel.yaml"));
        Path spool = Files.createDirectories(site.spool());
        Path log = dir.resolve("ingest.log");
        Process ingest = run("ingest", routes, config, log);
        try {
            awaitLog(log, "running ingest for site");
            spoolImage(spool, 1);
            assertThat(ingested(1)).hasSize(1);

            String original = Files.readString(route, StandardCharsets.UTF_8);
            assertThat(original).contains("delay: 50");
            Files.writeString(route, original.replace("delay: 50", "delay: 40"), StandardCharsets.UTF_8);
            awaitLog(log, "Routes reloaded");
            spoolImage(spool, 2);

            assertThat(ingested(2)).extracting(record -> Topics.header(record, ImageHeaders.SEQUENCE))
                    .as("the spool drains after the reload").containsExactly("1", "2");
        } finally {
            stop(ingest, log);
        }
    }

    /** {@code ./cefiot run STAGE} as a real process, loading its route file from {@code routes}, its output in {@code log}. */
    private static Process run(String stage, Path routes, Path config, Path log) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Dcefiot.routes.dir=" + routes, "-jar", System.getProperty("cefiot.jar"), "run", stage, "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void stop(Process process, Path log) throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        System.out.println("--- the process's log (" + log.getFileName() + "):\n" + Files.readString(log, StandardCharsets.ISO_8859_1));
    }

    private static void spoolImage(Path spool, int sequence) throws Exception {
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) sequence, 7, (byte) 0xFF, (byte) 0xD9};
        Path hidden = spool.resolve(".cam-1_" + sequence + ".tmp");
        Files.write(hidden, jpeg);
        Files.move(hidden, spool.resolve("cam-1_" + sequence + "_" + System.currentTimeMillis() + ".jpg"));
    }

    private static List<ConsumerRecord<String, byte[]>> ingested(int expected) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(
                Topics.readAtLeast(clusters.edge().bootstrapServers(), "ingest-reload.images.ingested", expected, Duration.ofSeconds(60)));
        assertThat(records).hasSize(expected);
        return records;
    }

    private static void awaitLog(Path log, String text) {
        // On a timeout the assertion's message shows the whole log.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(Files.readString(log, StandardCharsets.ISO_8859_1)).contains(text));
    }

    private static List<ConsumerRecord<String, byte[]>> enriched(int expected) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(
                Topics.readAtLeast(clusters.edge().bootstrapServers(), ENRICHED, expected, Duration.ofSeconds(60)));
        assertThat(records).hasSize(expected);
        return records;
    }

    private static void send(int fromSequence, int toSequence) {
        for (int sequence = fromSequence; sequence <= toSequence; sequence++) {
            byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) sequence, 7, (byte) 0xFF, (byte) 0xD9};
            Topics.send(clusters.edge().bootstrapServers(), INGESTED, "cam-1", jpeg, IngestedRecords.headers("cam-1", sequence, jpeg));
        }
    }
}
