package io.cefiot.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cefiot.contract.ImageHeaders;
import io.cefiot.contract.Sha256;
import io.cefiot.testing.RouteFileTestSupport;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.RoutePolicySupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest route file itself (routes/ingest.camel.yaml) on Camel's test kit, no broker: real
 * files in a spool folder, a whole JPEG sent on with the contract's headers, and a file that is
 * not a JPEG put in quarantine with its reason while the good file beside it goes on.
 */
class IngestRouteFileTest extends RouteFileTestSupport {

    static final String ROUTE_ID = "ingest-spool-to-edge";
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, 4, 5, 6, (byte) 0xFF, (byte) 0xD9};

    @TempDir
    static Path site;

    IngestRouteFileTest() {
        super("ingest.camel.yaml");
    }

    @Override
    protected Map<String, String> placeholders() {
        return Map.of("spool.dir", site.resolve("spool").toString(), "quarantine.dir", site.resolve("quarantine").toString(),
                "spool.max-image-bytes", "8388608", "ingest.output-topic", "north-gate.images.ingested",
                "ingest.output-brokers", "localhost:9092");
    }

    /**
     * The buffer gate the launcher binds (it watches the site's backlog on a cluster): here, one
     * that lets the route run. The leadership is the file's own: the route runs once this test
     * holds the spool's lock file.
     */
    @Override
    protected void bind(Registry registry) {
        registry.bind("edgeBufferGate", new RoutePolicySupport() { });
    }

    @Test
    void should_send_a_whole_jpeg_with_its_headers_and_quarantine_a_file_that_is_not_one() throws Exception {
        Path spool = Files.createDirectories(site.resolve("spool"));
        MockEndpoint ingested = getMockEndpoint("mock:kafka:north-gate.images.ingested");
        ingested.expectedMessageCount(1);
        NotifyBuilder twoDone = new NotifyBuilder(context).fromRoute(ROUTE_ID).whenDone(2).create();
        context.start();

        Files.write(spool.resolve("cam-1_7_1764270000000.jpg"), JPEG);
        Files.writeString(spool.resolve("cam-1_8_1764270001000.jpg"), "not an image", StandardCharsets.UTF_8);

        assertThat(twoDone.matches(20, TimeUnit.SECONDS)).as("both files through the route").isTrue();
        MockEndpoint.assertIsSatisfied(context);
        Map<String, Object> headers = ingested.getExchanges().get(0).getMessage().getHeaders();
        assertThat(headers).containsEntry(ImageHeaders.CAMERA, "cam-1").containsEntry(ImageHeaders.SEQUENCE, "7")
                .containsEntry(ImageHeaders.CAPTURE_TIME, "1764270000000").containsEntry(ImageHeaders.SHA256, Sha256.hex(JPEG));
        assertThat(ingested.getExchanges().get(0).getMessage().getBody(byte[].class)).isEqualTo(JPEG);

        Path quarantine = site.resolve("quarantine");
        assertThat(quarantine.resolve("cam-1_8_1764270001000.jpg")).hasContent("not an image");
        assertThat(Files.readString(quarantine.resolve("cam-1_8_1764270001000.jpg.reason.txt"))).contains("reason: NOT_A_JPEG");
        assertThat(site.resolve("spool.leader")).as("the spool's leader lock, which the route ran under").isDirectory();
        // A file leaves the spool only once it was sent on or quarantined.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (Stream<Path> left = Files.list(spool)) {
                assertThat(left).isEmpty();
            }
        });
    }
}
