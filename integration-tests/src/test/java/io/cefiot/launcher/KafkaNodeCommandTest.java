package io.cefiot.launcher;

import io.cefiot.kafka.KafkaNodeConfig;
import io.cefiot.testing.CommandRun;

import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The Kafka StatefulSet's node entry (k3s-manifests/base/kafka): its configuration and its refusals. */
class KafkaNodeCommandTest {

    @Test
    void should_give_each_pod_of_the_statefulset_its_id_name_and_the_whole_quorum(@TempDir Path dir) {
        Properties node = KafkaNodeConfig.forStatefulSet(3, "kafka", "kafka.cefiot.svc.cluster.local", 9092, 9093, 9095, dir).properties(1);

        assertThat(node.getProperty("node.id")).isEqualTo("1");
        assertThat(node.getProperty("listeners")).isEqualTo("PLAINTEXT://:9092,CONTROLLER://:9093");
        assertThat(node.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://kafka-1.kafka.cefiot.svc.cluster.local:9092");
        assertThat(node.getProperty("controller.quorum.voters")).isEqualTo("0@kafka-0.kafka.cefiot.svc.cluster.local:9093,"
                + "1@kafka-1.kafka.cefiot.svc.cluster.local:9093,2@kafka-2.kafka.cefiot.svc.cluster.local:9093");
        assertThat(node.getProperty("default.replication.factor")).isEqualTo("3");
        assertThat(node.getProperty("min.insync.replicas")).isEqualTo("2");
    }

    @Test
    void should_refuse_a_pod_name_without_ordinal_an_ordinal_beyond_the_quorum_a_missing_cluster_id_and_a_sites_listener_without_tls(
            @TempDir Path dir) {
        String data = dir.toString();
        assertThat(CommandRun.of("kafka-node", "--pod", "kafka", "--domain", "k", "--cluster-id", "x", "--data", data).exit()).isEqualTo(2);
        assertThat(CommandRun.of("kafka-node", "--pod", "kafka-3", "--nodes", "3", "--domain", "k", "--cluster-id", "x", "--data", data).exit())
                .isEqualTo(2);
        assertThat(CommandRun.of("kafka-node", "--pod", "kafka-0", "--domain", "k", "--cluster-id", "", "--data", data).exit()).isEqualTo(2);
        CommandRun plaintextSites = CommandRun.of("kafka-node", "--pod", "kafka-0", "--domain", "k", "--cluster-id", "x", "--data", data,
                "--external-host", "cloud-node-1");
        assertThat(plaintextSites.exit()).isEqualTo(2);
        assertThat(plaintextSites.stderr()).contains("--external-host needs --tls-dir");
        assertThat(dir).isEmptyDirectory();
    }
}
