package io.cefiot.launcher;

import io.cefiot.site.SiteConfig;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlanCommandTest {

    @Test
    void should_show_enrich_and_the_uplinked_topic_moving_with_the_placement() {
        String edge = PlanCommand.describe(SiteConfig.of("f", Map.of("site.id", "gate", "edge.bootstrap-servers", "k0:9092")));
        String cloud = PlanCommand.describe(SiteConfig.of("f", Map.of("site.id", "gate", "placement.enrich", "cloud")));

        assertThat(edge).contains("edge (edge.bootstrap-servers = k0:9092)")
                .contains("enrich   gate.images.ingested -> gate.images.enriched")
                .contains("uplink     edge:gate.images.enriched -> cloud:gate.images.enriched")
                .contains("cloud (cloud.bootstrap-servers = not set)");
        assertThat(cloud).contains("uplink     edge:gate.images.ingested -> cloud:gate.images.ingested");
        assertThat(cloud.substring(cloud.indexOf("\ncloud"))).contains("enrich   gate.images.ingested -> gate.images.enriched");
    }
}
