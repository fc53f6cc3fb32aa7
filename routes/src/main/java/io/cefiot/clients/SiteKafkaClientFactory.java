package io.cefiot.clients;

import java.util.Collection;
import java.util.List;
import java.util.Properties;

import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Camel's Kafka clients with the security of the cluster each one connects to. Route files
 * name no cluster (their brokers are placeholders the site plan fills), so they cannot name its
 * TLS or login either: this factory adds them to every producer and consumer whose
 * bootstrap.servers is one of the site's clusters. Beans that make their own clients (the
 * uplink's transfer) ask it for a cluster's access by address.
 */
public final class SiteKafkaClientFactory extends DefaultKafkaClientFactory {

    private final Collection<ClusterAccess> clusters;

    public SiteKafkaClientFactory(Collection<ClusterAccess> clusters) {
        this.clusters = List.copyOf(clusters);
    }

    @Override
    public Producer getProducer(Properties properties) {
        return super.getProducer(secured(properties));
    }

    @Override
    public Consumer getConsumer(Properties properties) {
        return super.getConsumer(secured(properties));
    }

    /**
     * The site's access to the cluster at {@code bootstrapServers}, with its TLS and login; a
     * cluster the site does not know is reached without either, and errors name {@code settingKey}.
     */
    public ClusterAccess access(String settingKey, String bootstrapServers) {
        return clusters.stream().filter(c -> c.bootstrapServers().equals(bootstrapServers)).findFirst()
                .orElseGet(() -> ClusterAccess.plaintext(settingKey, bootstrapServers));
    }

    private Properties secured(Properties properties) {
        String servers = properties.getProperty("bootstrap.servers");
        clusters.stream().filter(c -> c.bootstrapServers().equals(servers)).findFirst()
                .ifPresent(cluster -> properties.putAll(cluster.security()));
        return properties;
    }
}
