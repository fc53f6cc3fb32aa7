package io.cefiot.testing;

import java.nio.file.Path;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A site's two clusters for the tests of one class, and test sites wired to them:
 * {@code @RegisterExtension static SiteClusters clusters = new SiteClusters(3, 1);}
 */
public final class SiteClusters implements BeforeAllCallback, AfterAllCallback {

    private final KafkaClusterExtension edge;
    private final KafkaClusterExtension cloud;

    public SiteClusters(int edgeNodes, int cloudNodes) {
        this.edge = new KafkaClusterExtension(edgeNodes);
        this.cloud = new KafkaClusterExtension(cloudNodes);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        edge.beforeAll(context);
        cloud.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        edge.afterAll(context);
        cloud.afterAll(context);
    }

    public KafkaClusterExtension edge() {
        return edge;
    }

    public KafkaClusterExtension cloud() {
        return cloud;
    }

    /** A test site under {@code root} that uses both clusters. */
    public TestSite site(Path root) {
        return new TestSite(root).edge(edge.bootstrapServers()).cloud(cloud.bootstrapServers());
    }
}
