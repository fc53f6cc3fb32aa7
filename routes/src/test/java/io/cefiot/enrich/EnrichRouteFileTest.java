package io.cefiot.enrich;

import io.cefiot.contract.ImageHeaders;
import io.cefiot.testing.IngestedRecords;
import io.cefiot.testing.RouteFileTestSupport;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The enrich route file itself (routes/enrich.camel.yaml) on Camel's test kit, no broker: the
 * headers it adds, and the dead letter with its reason for a record that breaks the contract.
 */
class EnrichRouteFileTest extends RouteFileTestSupport {

    static final String ROUTE_ID = "enrich-add-site-metadata";
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, (byte) 0xFF, (byte) 0xD9};

    EnrichRouteFileTest() {
        super("enrich.camel.yaml");
    }

    @Override
    protected Map<String, String> placeholders() {
        return Map.of("enrich.input-topic", "north-gate.images.ingested", "enrich.output-topic", "north-gate.images.enriched",
                "enrich.dead-letter-topic", "north-gate.images.dead-letter", "enrich.input-brokers", "localhost:9092",
                "enrich.output-brokers", "localhost:9092", "enrich.group-id", "cefiot-north-gate-enrich", "site.id", "north-gate");
    }

    @Test
    void should_add_site_and_capture_date_and_send_a_contract_breaker_to_the_dead_letter_with_its_reason() throws Exception {
        startWithDirectInput(ROUTE_ID);
        MockEndpoint enriched = getMockEndpoint("mock:kafka:north-gate.images.enriched");
        MockEndpoint deadLetter = getMockEndpoint("mock:kafka:north-gate.images.dead-letter");
        enriched.expectedMessageCount(1);
        deadLetter.expectedMessageCount(1);
        NotifyBuilder twoDone = new NotifyBuilder(context).fromRoute(ROUTE_ID).whenDone(2).create();

        template.sendBodyAndHeaders("direct:in", JPEG, ingested(1));
        Map<String, Object> noSequence = ingested(2);
        noSequence.remove(ImageHeaders.SEQUENCE);
        template.sendBodyAndHeaders("direct:in", JPEG, noSequence);

        assertThat(twoDone.matches(10, TimeUnit.SECONDS)).as("both records through the route").isTrue();
        MockEndpoint.assertIsSatisfied(context);
        Map<String, Object> headers = enriched.getExchanges().get(0).getMessage().getHeaders();
        assertThat(headers).containsEntry(ImageHeaders.SITE, "north-gate").containsEntry(ImageHeaders.CAPTURE_DATE, "2025-11-27")
                .containsEntry(ImageHeaders.CAPTURE_TIMESTAMP, "2025-11-27T19:00:00Z").containsEntry(ImageHeaders.SEQUENCE, "1");
        assertThat(enriched.getExchanges().get(0).getMessage().getBody(byte[].class)).isEqualTo(JPEG);
        Map<String, Object> rejected = deadLetter.getExchanges().get(0).getMessage().getHeaders();
        assertThat(rejected.get(ImageHeaders.REJECTED_REASON).toString()).contains("has no header 'cefiot.sequence'");
        assertThat(rejected).containsEntry(ImageHeaders.REJECTED_BY, ROUTE_ID);
    }

    private static Map<String, Object> ingested(long sequence) {
        return new HashMap<>(IngestedRecords.headers("cam-1", sequence, JPEG));
    }
}
