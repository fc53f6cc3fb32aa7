package io.cefiot.uplink;

import io.cefiot.clients.SiteKafkaClientFactory;
import io.cefiot.metrics.StageCounters;

/**
 * Builds the uplink's transactional transfer for the {@code beans:} block of uplink.camel.yaml,
 * which names this class as its factory:
 *
 * <pre>
 * - name: uplinkTransfer
 *   type: io.cefiot.uplink.UplinkTransfer
 *   factoryBean: io.cefiot.uplink.UplinkTransferFactory
 *   factoryMethod: between
 *   constructors: {group id, input topic, output topic, input brokers, output brokers,
 *                  "#bean:siteKafkaClientFactory", "#bean:stageCounters"}
 *   destroyMethod: close
 * </pre>
 *
 * Beyond properties it needs two beans of the process. {@code siteKafkaClientFactory} gives
 * each cluster's TLS and login, which no route file names (the cloud's password is a secret).
 * {@code stageCounters} holds the process's meters. {@code ./cefiot} binds both, and Camel's
 * Kafka consumer of the uplink subscribes through the transfer (the process's
 * {@code subscribeAdapter} hands it on), because each partition resumes from the edge offset
 * committed in the cloud with the records. Another Camel runtime must do the same three things.
 */
public final class UplinkTransferFactory {

    private UplinkTransferFactory() {
    }

    /** The transfer from the edge topic at {@code inputBrokers} to the cloud topic at {@code outputBrokers}. */
    public static UplinkTransfer between(String groupId, String inputTopic, String outputTopic, String inputBrokers,
                                         String outputBrokers, SiteKafkaClientFactory clients, StageCounters counters) {
        return new UplinkTransfer(groupId, inputTopic, outputTopic, clients.access("uplink.input-brokers", inputBrokers),
                clients.access("uplink.output-brokers", outputBrokers), counters);
    }
}
