package io.cefiot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cefiot.contract.ImageHeaders;
import io.cefiot.contract.Sha256;
import io.cefiot.runtime.ClusterPreflight;
import io.cefiot.clients.ClusterAccess;
import io.cefiot.testing.ArchiveContents;
import io.cefiot.testing.IngestedRecords;
import io.cefiot.testing.KafkaClusterExtension;
import io.cefiot.testing.Topics;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped enrich and archive route files, unchanged, on Camel's own runtime (KameletMain,
 * what {@code camel run} starts) instead of ./cefiot, started as routes/README.md shows: a JVM of
 * its own whose class path is this test's without the application, the test kit and the tools
 * (so the stage library, Camel and Kafka's clients), the routes' application.properties and
 * defaults.properties, a properties file of the kind the README shows, and a real broker.
 * Nothing of the launcher binds a bean or fills a placeholder.
 */
class KameletMainTest {

    @RegisterExtension
    static final KafkaClusterExtension kafka = new KafkaClusterExtension(1);

    private static final Path ROUTES = Path.of("..", "routes").toAbsolutePath().normalize();
    private static final String INGESTED = "kamelet-site.images.ingested";
    private static final String ENRICHED = "kamelet-site.images.enriched";
    private static final String DEAD_LETTER = "kamelet-site.images.dead-letter";

    @TempDir
    Path dir;

    @Test
    void the_enrich_and_archive_route_files_run_unchanged_on_kamelet_main() throws Exception {
        ClusterPreflight.ensureTopics(ClusterAccess.plaintext("edge", kafka.bootstrapServers()), List.of(INGESTED, ENRICHED, DEAD_LETTER),
                1, Duration.ofSeconds(60), topic -> Map.of());
        Path archive = dir.resolve("archive");
        Path properties = Files.writeString(dir.resolve("stages.properties"), String.join("\n",
                "site.id = kamelet-site",
                "archive.dir = " + archive,
                "enrich.input-topic = " + INGESTED,
                "enrich.output-topic = " + ENRICHED,
                "enrich.dead-letter-topic = " + DEAD_LETTER,
                "enrich.input-brokers = " + kafka.bootstrapServers(),
                "enrich.output-brokers = " + kafka.bootstrapServers(),
                "enrich.group-id = kamelet-enrich",
                "archive.input-topic = " + ENRICHED,
                "archive.dead-letter-topic = " + DEAD_LETTER,
                "archive.input-brokers = " + kafka.bootstrapServers(),
                "archive.group-id = kamelet-archive", ""));

        String classPath = stageLibraryClassPath();
        assertThat(classPath).contains("cefiot-routes").doesNotContain("cefiot-app").doesNotContain("cefiot-test-kit");
        Path log = dir.resolve("kamelet-main.log");
        Process main = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", classPath,
                "-Dcamel.main.routes-include-pattern=file:" + ROUTES.resolve("enrich.camel.yaml") + ",file:" + ROUTES.resolve("archive.camel.yaml"),
                // Camel takes a property from the first location that has it: the site's own values come before the defaults.
                "-Dcamel.component.properties.location=file:" + properties + ",file:" + ROUTES.resolve("application.properties")
                        + ",file:" + ROUTES.resolve("defaults.properties"),
                "org.apache.camel.main.KameletMain", "-download", "false") // everything the files need is on the class path
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            byte[][] images = {jpeg(1), jpeg(2), jpeg(3)};
            for (int i = 0; i < images.length; i++) {
                Topics.send(kafka.bootstrapServers(), INGESTED, "cam-1", images[i], IngestedRecords.headers("cam-1", i + 1, images[i]));
            }
            Map<String, String> noSequence = IngestedRecords.headers("cam-1", 4, jpeg(4));
            noSequence.remove(ImageHeaders.SEQUENCE);
            Topics.send(kafka.bootstrapServers(), INGESTED, "cam-1", jpeg(4), noSequence);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(ArchiveContents.images(archive)).hasSize(3));
            assertThat(ArchiveContents.imageHashes(archive)).containsExactlyInAnyOrder(
                    Sha256.hex(images[0]), Sha256.hex(images[1]), Sha256.hex(images[2]));
            assertThat(archive.resolve("kamelet-site/cam-1/2025-11-27/000000000002.jpg")).hasBinaryContent(images[1]);

            List<ConsumerRecord<String, byte[]>> enriched = Topics.readAtLeast(kafka.bootstrapServers(), ENRICHED, 3, Duration.ofSeconds(30));
            assertThat(enriched).hasSize(3).allSatisfy(record -> {
                assertThat(Topics.header(record, ImageHeaders.SITE)).isEqualTo("kamelet-site");
                assertThat(Topics.header(record, ImageHeaders.CAPTURE_DATE)).isEqualTo("2025-11-27");
            });
            List<ConsumerRecord<String, byte[]>> rejected = Topics.readAtLeast(kafka.bootstrapServers(), DEAD_LETTER, 1, Duration.ofSeconds(30));
            assertThat(rejected).hasSize(1);
            assertThat(Topics.header(rejected.get(0), ImageHeaders.REJECTED_BY)).isEqualTo("enrich-add-site-metadata");
            assertThat(Topics.header(rejected.get(0), ImageHeaders.REJECTED_REASON)).contains("has no header 'cefiot.sequence'");
        } finally {
            main.destroy();
            if (!main.waitFor(30, TimeUnit.SECONDS)) {
                main.destroyForcibly();
            }
            System.out.println("--- KameletMain's log:\n" + Files.readString(log, StandardCharsets.ISO_8859_1));
        }
    }

    /** Where the application, the test kit, the tools and the tests' own classes come from: in the reactor, or from Maven's repository. */
    private static final Pattern NOT_THE_STAGE_LIBRARY =
            Pattern.compile("cefiot-(app|test-kit|tools)|cefiot-routes[^/]*-tests|/(app|test-kit|tools|integration-tests)/target/|test-classes");

    /** This test's class path (Surefire's, as the forked JVM may see only a manifest jar) less the application and test code. */
    private static String stageLibraryClassPath() {
        String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(full.split(File.pathSeparator))
                .filter(entry -> !NOT_THE_STAGE_LIBRARY.matcher(entry).find())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static byte[] jpeg(int n) {
        return new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) n, 2, 3, (byte) 0xFF, (byte) 0xD9};
    }

}
