package io.cefiot.site;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SitePlanTest {

    static SiteConfig site(String enrichSide) {
        return SiteConfig.of("f", Map.of("site.id", "s1", "placement.enrich", enrichSide,
                "edge.bootstrap-servers", "edge:9092", "cloud.bootstrap-servers", "cloud:9092"));
    }

    @Test
    void should_uplink_the_enriched_topic_when_enrich_runs_at_the_edge() {
        SitePlan plan = SitePlan.of(site("edge"));

        assertThat(plan.stage(Stage.ENRICH).input()).contains(new SitePlan.Topic(Side.EDGE, "s1.images.ingested"));
        assertThat(plan.stage(Stage.UPLINK).input()).contains(new SitePlan.Topic(Side.EDGE, "s1.images.enriched"));
        assertThat(plan.stage(Stage.UPLINK).output()).contains(new SitePlan.Topic(Side.CLOUD, "s1.images.enriched"));
        assertThat(plan.stage(Stage.ARCHIVE).input()).contains(new SitePlan.Topic(Side.CLOUD, "s1.images.enriched"));
    }

    @Test
    void should_uplink_the_ingested_topic_when_enrich_runs_in_the_cloud() {
        SitePlan plan = SitePlan.of(site("cloud"));

        assertThat(plan.stage(Stage.UPLINK).input()).contains(new SitePlan.Topic(Side.EDGE, "s1.images.ingested"));
        assertThat(plan.stage(Stage.ENRICH).input()).contains(new SitePlan.Topic(Side.CLOUD, "s1.images.ingested"));
        assertThat(plan.stage(Stage.ENRICH).output()).contains(new SitePlan.Topic(Side.CLOUD, "s1.images.enriched"));
        assertThat(plan.stage(Stage.ARCHIVE).input()).contains(new SitePlan.Topic(Side.CLOUD, "s1.images.enriched"));
    }

    @Test
    void should_put_compact_after_enrich_and_refuse_a_placement_that_crosses_back_to_the_edge() {
        SitePlan compactAtEdge = SitePlan.of(SiteConfig.of("f", Map.of("site.id", "s1", "compact.enabled", "true")));
        assertThat(compactAtEdge.stage(Stage.COMPACT).input()).contains(new SitePlan.Topic(Side.EDGE, "s1.images.enriched"));
        assertThat(compactAtEdge.stage(Stage.UPLINK).input()).contains(new SitePlan.Topic(Side.EDGE, "s1.images.compacted"));

        assertThatThrownBy(() -> SitePlan.of(SiteConfig.of("f", Map.of("site.id", "s1", "compact.enabled", "true",
                "placement.enrich", "cloud", "placement.compact", "edge"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cross back");
        assertThatThrownBy(() -> SitePlan.of(SiteConfig.of("f", Map.of("site.id", "s1"))).stage(Stage.COMPACT))
                .hasMessageContaining("compact.enabled=true");
    }

    @Test
    void should_give_routes_the_topics_and_brokers_of_the_chosen_stages_only() {
        SiteConfig config = SiteConfig.of("f", Map.of("site.id", "s1", "edge.bootstrap-servers", "edge:9092"));
        Map<String, String> properties = SitePlan.of(config).routeProperties(config, List.of(Stage.INGEST, Stage.ENRICH));

        assertThat(properties).containsEntry("ingest.output-topic", "s1.images.ingested")
                .containsEntry("ingest.output-brokers", "edge:9092")
                .containsEntry("enrich.input-topic", "s1.images.ingested")
                .containsEntry("enrich.output-topic", "s1.images.enriched")
                .containsEntry("enrich.dead-letter-topic", "s1.images.dead-letter")
                .doesNotContainKey("archive.input-topic");
    }

    @Test
    void should_keep_every_route_file_free_of_cluster_addresses() throws Exception {
        for (Stage stage : Stage.values()) {
            String route = java.nio.file.Files.readString(java.nio.file.Path.of("..", "routes", stage.routeFile()));
            assertThat(route).as(stage.routeFile()).doesNotContainPattern("[a-z0-9.-]+:\\d{4,5}");
            assertThat(route).as(stage.routeFile()).contains("id: " + stage.id() + "-");
        }
    }
}
