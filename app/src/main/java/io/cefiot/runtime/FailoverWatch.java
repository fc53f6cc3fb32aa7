package io.cefiot.runtime;

import io.cefiot.metrics.StageCounters;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.camel.component.kafka.consumer.support.subcription.SubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.TopicInfo;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/**
 * Counts failovers of every Kafka-reading stage: partitions a replica gains at a rebalance after
 * its first assignment were another replica's, which died or left (cefiot.failovers{stage}).
 * It sits where Camel's Kafka component subscribes each consumer (the "subscribeAdapter" bean)
 * and hands the subscription on, to the uplink's own adapter where there is one.
 */
final class FailoverWatch implements SubscribeAdapter {

    private final Supplier<SubscribeAdapter> next;
    private final StageCounters counters;

    /** {@code next}: asked at each subscription, as the uplink's transfer is a bean its route file creates. */
    FailoverWatch(Supplier<SubscribeAdapter> next, StageCounters counters) {
        this.next = next;
        this.counters = counters;
    }

    @Override
    public void subscribe(Consumer<?, ?> consumer, ConsumerRebalanceListener camelListener, TopicInfo topicInfo) {
        String group = consumer.groupMetadata().groupId();
        String stage = group.substring(group.lastIndexOf('-') + 1); // groups are cefiot-SITE-STAGE
        next.get().subscribe(consumer, new ConsumerRebalanceListener() {
            private Set<TopicPartition> held;

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                camelListener.onPartitionsRevoked(revoked);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> lost) {
                camelListener.onPartitionsLost(lost);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                // The whole assignment after this rebalance, whether the protocol is eager or cooperative.
                Set<TopicPartition> now = new HashSet<>(consumer.assignment());
                if (held != null) {
                    long takenOver = now.stream().filter(tp -> !held.contains(tp)).count();
                    if (takenOver > 0) {
                        counters.failovers(stage, takenOver);
                    }
                }
                held = now;
                camelListener.onPartitionsAssigned(assigned);
            }
        }, topicInfo);
    }
}
