package io.cefiot.testing;

import io.cefiot.kafka.EmbeddedKafkaCluster;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.util.FileUtil;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real KRaft cluster for the tests of one class: {@code @RegisterExtension static
 * KafkaClusterExtension edge = new KafkaClusterExtension(3);}
 */
public final class KafkaClusterExtension implements BeforeAllCallback, AfterAllCallback {

    private final int nodes;
    private Path dataDirectory;
    private EmbeddedKafkaCluster cluster;

    public KafkaClusterExtension(int nodes) {
        this.nodes = nodes;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDirectory = Files.createTempDirectory("cefiot-kafka-");
        cluster = EmbeddedKafkaCluster.start(nodes, dataDirectory);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster == null) {
            return; // it never started; beforeAll already reported why
        }
        cluster.close();
        FileUtil.removeDir(dataDirectory.toFile());
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }
}
