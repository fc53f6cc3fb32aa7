package io.cefiot.placement;

import io.cefiot.site.Side;
import io.cefiot.site.SiteConfig;
import io.cefiot.site.SitePlan;
import io.cefiot.site.SitePlan.Topic;
import io.cefiot.site.Stage;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlacementChangeTest {

    static SitePlan plan(Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("site.id", "gate");
        return SitePlan.of(SiteConfig.of("test", all));
    }

    static final SitePlan ENRICH_AT_EDGE = plan(Map.of("placement.enrich", "edge"));
    static final SitePlan ENRICH_IN_CLOUD = plan(Map.of("placement.enrich", "cloud"));

    @Test
    void should_stop_enrich_then_drain_the_uplink_when_enrich_moves_to_the_cloud() {
        PlacementChange change = new PlacementChange(ENRICH_AT_EDGE, ENRICH_IN_CLOUD);

        assertThat(change.stopping()).containsExactly(Stage.ENRICH, Stage.UPLINK);
        assertThat(change.starting()).containsExactly(Stage.UPLINK, Stage.ENRICH);
        assertThat(change.stoppingFeeder(Stage.ENRICH)).isEmpty();
        assertThat(change.stoppingFeeder(Stage.UPLINK)).contains(Stage.ENRICH);
        assertThat(change.feedsStoppingStage(Stage.ENRICH)).isTrue();
        assertThat(change.feedsStoppingStage(Stage.UPLINK)).isFalse();
        assertThat(change.previousReaders(new Topic(Side.EDGE, "gate.images.ingested"))).containsExactly(Stage.ENRICH);
    }

    @Test
    void should_stop_the_uplink_then_drain_cloud_enrich_when_enrich_moves_back() {
        PlacementChange change = new PlacementChange(ENRICH_IN_CLOUD, ENRICH_AT_EDGE);

        assertThat(change.stopping()).containsExactly(Stage.UPLINK, Stage.ENRICH);
        assertThat(change.starting()).containsExactly(Stage.ENRICH, Stage.UPLINK);
        assertThat(change.stoppingFeeder(Stage.ENRICH)).contains(Stage.UPLINK);
        assertThat(change.previousReaders(new Topic(Side.EDGE, "gate.images.ingested"))).containsExactly(Stage.UPLINK);
        assertThat(change.previousReaders(new Topic(Side.CLOUD, "gate.images.ingested"))).containsExactly(Stage.ENRICH);
    }

    @Test
    void should_leave_archive_running_and_change_nothing_for_the_same_placement() {
        assertThat(new PlacementChange(ENRICH_AT_EDGE, ENRICH_IN_CLOUD).stopping()).doesNotContain(Stage.ARCHIVE);
        assertThat(new PlacementChange(ENRICH_AT_EDGE, plan(Map.of())).isEmpty()).isTrue();
    }

    @Test
    void should_move_only_compact_and_the_uplink_when_compact_moves_to_the_cloud() {
        SitePlan before = plan(Map.of("compact.enabled", "true", "placement.compact", "edge"));
        SitePlan after = plan(Map.of("compact.enabled", "true", "placement.compact", "cloud"));
        PlacementChange change = new PlacementChange(before, after);

        assertThat(change.stopping()).containsExactly(Stage.COMPACT, Stage.UPLINK);
        assertThat(change.starting()).containsExactly(Stage.UPLINK, Stage.COMPACT);
        assertThat(after.stage(Stage.UPLINK).input()).isEqualTo(Optional.of(new Topic(Side.EDGE, "gate.images.enriched")));
    }
}
