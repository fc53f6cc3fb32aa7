package io.cefiot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.cefiot.clients.ClusterAccess;
import io.cefiot.testing.KafkaClusterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Replicas of a stage start together (the chaos run's two of each, a k3s Deployment's pods) and
 * each checks the same topics. The check must not fail a replica because another one created a
 * topic a moment before: a topic listed by one broker may not yet be known to the next one asked.
 */
class ClusterPreflightTest {

    @RegisterExtension
    static final KafkaClusterExtension edge = new KafkaClusterExtension(3);

    private static final int REPLICAS = 16;

    @Test
    void replicas_starting_together_all_pass_the_topic_check() throws Exception {
        ClusterAccess cluster = ClusterAccess.plaintext("edge", edge.bootstrapServers());
        ExecutorService replicas = Executors.newFixedThreadPool(REPLICAS);
        try {
            for (int round = 0; round < 40; round++) {
                List<String> topics = List.of("round-" + round + "-raw", "round-" + round + "-enriched", "round-" + round + "-dlq");
                List<Callable<Map<String, Integer>>> starts = new ArrayList<>();
                for (int replica = 0; replica < REPLICAS; replica++) {
                    starts.add(() -> ClusterPreflight.ensureTopics(cluster, topics, 3, Duration.ofSeconds(30),
                            topic -> topic.endsWith("-raw") ? Map.of("retention.ms", "3600000") : Map.of()));
                }
                Map<String, Integer> counted = new HashMap<>();
                for (Future<Map<String, Integer>> start : replicas.invokeAll(starts)) {
                    // get() rethrows a replica's failure (a ConfigException) with its message
                    counted.putAll(start.get());
                }
                // A replica leaves out a topic another created while it looked; together they have all.
                assertThat(counted).containsOnlyKeys(topics).allSatisfy((topic, partitions) -> assertThat(partitions).isEqualTo(3));
            }
        } finally {
            replicas.shutdownNow();
        }
    }
}
