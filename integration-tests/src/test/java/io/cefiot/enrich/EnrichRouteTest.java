package io.cefiot.enrich;

import io.cefiot.contract.ImageHeaders;
import io.cefiot.contract.Sha256;
import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.site.Stage;
import io.cefiot.testing.IngestedRecords;
import io.cefiot.testing.KafkaClusterExtension;
import io.cefiot.testing.TestSite;
import io.cefiot.testing.Topics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EnrichRouteTest {

    @RegisterExtension
    static KafkaClusterExtension edge = new KafkaClusterExtension(1);

    @TempDir
    Path dir;

    @Test
    void should_add_site_and_capture_date_and_send_contract_breaking_records_to_the_dead_letter_topic() throws Exception {
        TestSite site = new TestSite(dir).edge(edge.bootstrapServers());
        String input = TestSite.SITE_ID + ".images.ingested";
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, (byte) 0xFF, (byte) 0xD9};

        try (PipelineRuntime runtime = PipelineRuntime.start(site.config(), List.of(Stage.ENRICH))) {
            Topics.send(edge.bootstrapServers(), input, "cam-1", jpeg, IngestedRecords.headers("cam-1", 1, jpeg));
            Map<String, String> noSequence = IngestedRecords.headers("cam-1", 2, jpeg);
            noSequence.remove(ImageHeaders.SEQUENCE);
            Topics.send(edge.bootstrapServers(), input, "cam-1", jpeg, noSequence);
            Map<String, String> wrongHash = IngestedRecords.headers("cam-1", 3, jpeg);
            wrongHash.put(ImageHeaders.SHA256, Sha256.hex(new byte[] {1}));
            Topics.send(edge.bootstrapServers(), input, "cam-1", jpeg, wrongHash);
            Topics.send(edge.bootstrapServers(), input, "cam-1", jpeg, IngestedRecords.headers("cam-1", 4, jpeg));

            List<ConsumerRecord<String, byte[]>> enriched = Topics.readAtLeast(edge.bootstrapServers(),
                    TestSite.SITE_ID + ".images.enriched", 2, Duration.ofSeconds(60));
            List<ConsumerRecord<String, byte[]>> dead = Topics.readAtLeast(edge.bootstrapServers(),
                    TestSite.SITE_ID + ".images.dead-letter", 2, Duration.ofSeconds(60));

            assertThat(enriched).hasSize(2).allSatisfy(r -> {
                assertThat(r.key()).isEqualTo("cam-1");
                assertThat(r.value()).isEqualTo(jpeg);
                assertThat(Topics.header(r, ImageHeaders.SITE)).isEqualTo(TestSite.SITE_ID);
                assertThat(Topics.header(r, ImageHeaders.CAPTURE_DATE)).isEqualTo("2025-11-27");
                assertThat(Topics.header(r, ImageHeaders.CAPTURE_TIMESTAMP)).isEqualTo("2025-11-27T19:00:00Z");
            });
            assertThat(enriched).extracting(r -> Topics.header(r, ImageHeaders.SEQUENCE)).containsExactly("1", "4");
            assertThat(dead).hasSize(2);
            assertThat(Topics.header(dead.get(0), ImageHeaders.REJECTED_REASON)).contains("has no header 'cefiot.sequence'");
            assertThat(Topics.header(dead.get(1), ImageHeaders.REJECTED_REASON)).contains("value hashes to");
            assertThat(Topics.header(dead.get(1), ImageHeaders.REJECTED_BY)).isEqualTo("enrich-add-site-metadata");
            // Camel's route figures count in the same registry as ours (camel-micrometer's route policy).
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(runtime.metrics().get("camel.exchanges.succeeded").tag("routeId", "enrich-add-site-metadata").counter().count())
                        .isGreaterThanOrEqualTo(2);
                assertThat(runtime.metrics().get("camel.route.policy").tag("routeId", "enrich-add-site-metadata").timer().count())
                        .isEqualTo(4);
            });
        }
    }
}
