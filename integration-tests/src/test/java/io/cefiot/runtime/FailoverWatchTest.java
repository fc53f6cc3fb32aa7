package io.cefiot.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cefiot.site.SitePlan;
import io.cefiot.site.Stage;
import io.cefiot.testing.SiteClusters;
import io.cefiot.testing.TestSite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two enrich replicas on real brokers: when one stops, the other takes its partitions and counts a failover. */
class FailoverWatchTest {

    @RegisterExtension
    static SiteClusters clusters = new SiteClusters(1, 1);

    @TempDir
    Path dir;

    @Test
    void the_replica_that_takes_over_partitions_counts_them_as_failovers() throws Exception {
        TestSite site = clusters.site(dir);
        String group = SitePlan.of(site.config()).groupId(Stage.ENRICH);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, clusters.edge().bootstrapServers()));
             PipelineRuntime survivor = PipelineRuntime.start(site.config(), List.of(Stage.ENRICH))) {
            PipelineRuntime leaving = PipelineRuntime.start(site.config(), List.of(Stage.ENRICH));
            await().atMost(Duration.ofMinutes(1)).until(() -> admin.describeConsumerGroups(List.of(group)).all()
                    .get(5, TimeUnit.SECONDS).get(group).members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count() == 2);
            assertThat(survivor.counters().failovers("enrich")).as("a replica joining is no failover").isZero();

            leaving.close();

            await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                    assertThat(survivor.counters().failovers("enrich")).as("partitions of the replica that left").isPositive());
        }
    }
}
