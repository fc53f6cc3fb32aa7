package io.cefiot.kafka;

import io.cefiot.clients.ClusterAccess;

import java.util.Collection;
import java.util.Properties;

import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Camel's Kafka clients with the security of the cluster each one connects to. Route files
 * name no cluster (their brokers are placeholders the site plan fills), so they cannot name its
 * TLS or login either: this factory adds them to every producer and consumer whose
 * bootstrap.servers is one of the site's clusters.
 */
public final class SiteKafkaClientFactory extends DefaultKafkaClientFactory {

    private final Collection<ClusterAccess> clusters;

    public SiteKafkaClientFactory(Collection<ClusterAccess> clusters) {
        this.clusters = clusters;
    }

    @Override
    public Producer getProducer(Properties properties) {
        return super.getProducer(secured(properties));
    }

    @Override
    public Consumer getConsumer(Properties properties) {
        return super.getConsumer(secured(properties));
    }

    private Properties secured(Properties properties) {
        String servers = properties.getProperty("bootstrap.servers");
        clusters.stream().filter(c -> c.bootstrapServers().equals(servers)).findFirst()
                .ifPresent(cluster -> properties.putAll(cluster.security()));
        return properties;
    }
}
