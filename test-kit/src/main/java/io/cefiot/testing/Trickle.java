package io.cefiot.testing;

import io.cefiot.contract.ImageRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A quiet camera's traffic on a topic: one small record every {@code interval}, up to {@code count},
 * from one producer in the background. Records carry {@code cefiot.sequence} 0, 1, 2...
 */
public final class Trickle implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger sent = new AtomicInteger();

    private Trickle(String bootstrapServers, String topic, Duration interval, int count) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, ImageRecord.MAX_RECORD_BYTES),
                new StringSerializer(), new ByteArraySerializer());
        pace.scheduleAtFixedRate(() -> {
            int i = sent.get();
            if (i >= count) {
                pace.shutdown();
                return;
            }
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, "cam-" + (i % 3), new byte[] {(byte) i});
            record.headers().add("cefiot.sequence", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
            try {
                producer.send(record).get();
                sent.incrementAndGet();
            } catch (Exception e) {
                throw new IllegalStateException("the trickle's send " + i + " to " + topic + " failed", e);
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public static Trickle start(String bootstrapServers, String topic, Duration interval, int count) {
        return new Trickle(bootstrapServers, topic, interval, count);
    }

    /** Records acknowledged by the cluster so far. */
    public int sent() {
        return sent.get();
    }

    @Override
    public void close() throws InterruptedException {
        pace.shutdownNow();
        pace.awaitTermination(10, TimeUnit.SECONDS);
        producer.close(Duration.ofSeconds(5));
    }
}
