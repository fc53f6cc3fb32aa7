package io.cefiot.bench;

import io.cefiot.contract.ImageRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from its end as records arrive, on a thread of its own, and keeps for each record
 * it is asked about the time from its start (a capture time, a producer's timestamp) until it
 * could be read here. Reading a record is what a consumer downstream can do, so this is the
 * latency that matters to it: with acks=all a record is readable once every in-sync replica has
 * it; with read_committed, once its transaction committed.
 */
final class LatencyProbe implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread reader;
    private final List<Long> latenciesMillis = new ArrayList<>();
    private volatile RuntimeException failure;

    /**
     * @param counted which records count
     * @param startMillis when a counted record's journey began (epoch millis)
     */
    LatencyProbe(String bootstrapServers, String topic, Predicate<ConsumerRecord<byte[], byte[]>> counted,
                 ToLongFunction<ConsumerRecord<byte[], byte[]>> startMillis) throws InterruptedException {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, ImageRecord.MAX_RECORD_BYTES),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = partitionsOf(topic);
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // from the end as of now, not as of the first poll
        reader = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.currentTimeMillis();
                        if (counted.test(record)) {
                            synchronized (latenciesMillis) {
                                latenciesMillis.add(now - startMillis.applyAsLong(record));
                            }
                        }
                    }
                }
            } catch (WakeupException closing) {
                // close() asked it to stop
            } catch (RuntimeException e) {
                failure = e;
            }
        }, "cefiot-bench-probe-" + topic);
        reader.setDaemon(true);
        reader.start();
    }

    /** The topic's partitions; a topic another process is about to create is waited for up to a minute. */
    private List<TopicPartition> partitionsOf(String topic) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            var found = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (!found.isEmpty()) {
                return found.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Topic " + topic + " did not appear within a minute");
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    int seen() {
        synchronized (latenciesMillis) {
            return latenciesMillis.size();
        }
    }

    /** Waits until {@code records} counted records were read; throws naming {@code what} if they were not within {@code timeout}. */
    void awaitSeen(int records, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (seen() < records) {
            if (failure != null) {
                throw new IllegalStateException("The probe reading " + what + " failed: " + failure.getMessage(), failure);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": " + seen() + " of " + records + " records arrived within " + timeout.toSeconds() + " s");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    List<Long> latenciesMillis() {
        synchronized (latenciesMillis) {
            return List.copyOf(latenciesMillis);
        }
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        reader.join(10_000);
        consumer.close(Duration.ofSeconds(5));
    }
}
