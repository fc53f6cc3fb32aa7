package io.cefiot.archive;

import io.cefiot.contract.ImageHeaders;
import io.cefiot.contract.Sha256;
import io.cefiot.testing.RouteFileTestSupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The archive route file itself (routes/archive.camel.yaml) on Camel's test kit, no broker: the
 * archive's layout, the repeat rule (the same image twice is stored once), and the dead letter
 * with its reason for another image claiming a stored (camera, sequence).
 */
class ArchiveRouteFileTest extends RouteFileTestSupport {

    static final String ROUTE_ID = "archive-store-images";
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, (byte) 0xFF, (byte) 0xD9};
    static final byte[] OTHER_JPEG = {(byte) 0xFF, (byte) 0xD8, 9, 9, (byte) 0xFF, (byte) 0xD9};

    @TempDir
    static Path archive;

    ArchiveRouteFileTest() {
        super("archive.camel.yaml");
    }

    @Override
    protected Map<String, String> placeholders() {
        return Map.of("archive.input-topic", "north-gate.images.enriched", "archive.dead-letter-topic", "north-gate.images.dead-letter",
                "archive.input-brokers", "localhost:9092", "archive.group-id", "cefiot-north-gate-archive",
                "archive.dir", archive.toString());
    }

    @Test
    void should_store_an_image_once_under_site_camera_date_sequence_and_dead_letter_another_image_claiming_its_place() throws Exception {
        startWithDirectInput(ROUTE_ID);
        MockEndpoint deadLetter = getMockEndpoint("mock:kafka:north-gate.images.dead-letter");
        deadLetter.expectedMessageCount(1);
        NotifyBuilder threeDone = new NotifyBuilder(context).fromRoute(ROUTE_ID).whenDone(3).create();

        template.sendBodyAndHeaders("direct:in", JPEG, enriched(JPEG));
        template.sendBodyAndHeaders("direct:in", JPEG, enriched(JPEG));
        template.sendBodyAndHeaders("direct:in", OTHER_JPEG, enriched(OTHER_JPEG));

        assertThat(threeDone.matches(10, TimeUnit.SECONDS)).as("three records through the route").isTrue();
        MockEndpoint.assertIsSatisfied(context);
        Path folder = archive.resolve("north-gate").resolve("cam-1").resolve("2025-11-27");
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
                    .containsExactly("000000000007.jpg", "000000000007.json");
        }
        assertThat(Files.readAllBytes(folder.resolve("000000000007.jpg"))).isEqualTo(JPEG);
        assertThat(Files.readString(folder.resolve("000000000007.json"))).contains("\"sha256\" : \"" + Sha256.hex(JPEG) + "\"");
        Map<String, Object> rejected = deadLetter.getExchanges().get(0).getMessage().getHeaders();
        assertThat(rejected.get(ImageHeaders.REJECTED_REASON).toString()).contains("a different image")
                .contains("two images share a camera and sequence number");
        assertThat(rejected).containsEntry(ImageHeaders.REJECTED_BY, ROUTE_ID);
    }

    private static Map<String, Object> enriched(byte[] jpeg) {
        return Map.of(ImageHeaders.CAMERA, "cam-1", ImageHeaders.SEQUENCE, "7", ImageHeaders.CAPTURE_TIME, "1764270000000",
                ImageHeaders.SHA256, Sha256.hex(jpeg), ImageHeaders.SITE, "north-gate", ImageHeaders.CAPTURE_DATE, "2025-11-27",
                ImageHeaders.CAPTURE_TIMESTAMP, "2025-11-27T19:00:00Z");
    }
}
