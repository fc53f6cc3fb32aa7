package io.cefiot.uplink;

import io.cefiot.clients.ClusterAccess;
import io.cefiot.metrics.StageCounters;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Watches that each edge partition the uplink owns keeps being copied: an image stuck at the
 * edge with no word is, to the user, an image lost. Every few seconds it compares each
 * partition's copy point with the edge log's end. A partition that has records waiting and has
 * copied nothing for {@code alarmAfter} raises an ALARM naming it, how far it is, and why as far
 * as the uplink knows: its last error (a cut link, a refused login), or no batch arriving at all
 * (the edge consumer is not delivering), or no reason (then the uplink takes the partition over
 * again from what the cloud committed). Gauge {@code cefiot.uplink.stalled.partitions}.
 *
 * <p>It runs on its own thread with its own Admin client, as the uplink's consumer belongs to
 * the consumer's thread and the uplink may be blocked on the cloud for seconds at a time.
 */
final class UplinkStallWatch implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(UplinkStallWatch.class);
    private static final Duration EVERY = Duration.ofSeconds(5);

    /** What the watch knows of one partition; written by the uplink's thread, read by the watch's. */
    private static final class Progress {
        volatile long next = -1;
        volatile long lastProgressNanos = System.nanoTime();
        volatile String lastFailure;
        volatile boolean alarmed;
        volatile boolean rescue;
    }

    private final String topic;
    private final ClusterAccess edge;
    private final Duration alarmAfter;
    private final Map<Integer, Progress> partitions = new ConcurrentHashMap<>();
    private volatile long lastBatchNanos = System.nanoTime();
    /** The uplink's last failure on any partition, and when: a partition it never got to waits behind it. */
    private volatile String lastFailure;
    private volatile long lastFailureNanos;
    private ScheduledExecutorService scheduler;
    private Admin admin;

    UplinkStallWatch(String topic, ClusterAccess edge, Duration alarmAfter, StageCounters counters) {
        this.topic = topic;
        this.edge = edge;
        this.alarmAfter = alarmAfter;
        counters.gauge("cefiot.uplink.stalled.partitions",
                "Edge partitions with records waiting that the uplink has copied nothing of for a while (each raised an ALARM)",
                partitions, all -> all.values().stream().filter(p -> p.alarmed).count());
    }

    synchronized void start() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "cefiot-uplink-watch");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleWithFixedDelay(this::check, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A batch reached the uplink (the edge consumer delivers). */
    void batchArrived() {
        lastBatchNanos = System.nanoTime();
    }

    /** The uplink owns the partition and copies it on from {@code next}. */
    void resumed(int partition, long next) {
        progressed(partition, next);
    }

    /** The partition's records up to {@code next} are in the cloud. */
    void copied(int partition, long next) {
        Progress progress = progressed(partition, next);
        progress.lastFailure = null;
    }

    /** The partition's copy failed; {@code why} is what the cloud or the client said. */
    void failed(int partition, String why) {
        partitions.computeIfAbsent(partition, p -> new Progress()).lastFailure = why;
        lastFailure = "partition " + partition + ": " + why;
        lastFailureNanos = System.nanoTime();
    }

    void released(int partition) {
        partitions.remove(partition);
    }

    /** Whether the watch asks for the partition to be taken over again (once per ask). */
    boolean takeRescue(int partition) {
        Progress progress = partitions.get(partition);
        if (progress == null || !progress.rescue) {
            return false;
        }
        progress.rescue = false;
        return true;
    }

    private Progress progressed(int partition, long next) {
        Progress progress = partitions.computeIfAbsent(partition, p -> new Progress());
        progress.next = next;
        progress.lastProgressNanos = System.nanoTime();
        if (progress.alarmed) {
            progress.alarmed = false;
            LOG.warn("Uplink copies {} partition {} again (at offset {}).", topic, partition, next);
        }
        return progress;
    }

    private void check() {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.keySet().forEach(p -> latest.put(new TopicPartition(topic, p), OffsetSpec.latest()));
        Map<Integer, Long> ends = new HashMap<>();
        try {
            admin().listOffsets(latest).all().get(EVERY.toSeconds(), TimeUnit.SECONDS)
                    .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
        } catch (Exception e) {
            // The edge cluster does not answer: the edge buffer reports that. Look again shortly.
            LOG.debug("Uplink watch cannot read the edge log ends: {}", e.toString());
            return;
        }
        long now = System.nanoTime();
        ends.forEach((partition, end) -> {
            Progress progress = partitions.get(partition);
            if (progress == null) {
                return;
            }
            long waiting = end - Math.max(0, progress.next);
            if (waiting <= 0) {
                // Nothing to copy is not a stall.
                if (progress.next >= 0) {
                    progressed(partition, progress.next);
                } else {
                    progress.lastProgressNanos = now;
                }
                return;
            }
            long quietNanos = now - progress.lastProgressNanos;
            if (progress.alarmed || quietNanos < alarmAfter.toNanos()) {
                return;
            }
            progress.alarmed = true;
            String why;
            if (progress.lastFailure != null) {
                why = "its last error: " + progress.lastFailure;
            } else if (lastFailure != null && now - lastFailureNanos < alarmAfter.toNanos()) {
                // The uplink copies its partitions one after another: one that fails (each try waits
                // up to 10 s for the cloud) holds the others back without an error of their own.
                why = "the cloud does not answer the uplink (last error, " + lastFailure + ")";
            } else if (now - lastBatchNanos > alarmAfter.toNanos()) {
                why = "no batch has reached the uplink for " + TimeUnit.NANOSECONDS.toSeconds(now - lastBatchNanos)
                        + " s: its edge consumer is not delivering records (see the warnings above); the next batch takes the "
                        + "partition over again from what the cloud committed";
                progress.rescue = true;
            } else {
                why = "no error was reported; the uplink takes the partition over again from what the cloud committed";
                progress.rescue = true;
            }
            LOG.error("ALARM: the uplink has copied nothing of {} partition {} for {} s while {} records wait at the edge "
                    + "(from offset {}): {}. The images are kept at the edge.", topic, partition,
                    TimeUnit.NANOSECONDS.toSeconds(quietNanos), progress.next < 0 ? "its" : Long.toString(waiting),
                    progress.next < 0 ? "unknown" : Long.toString(progress.next), why);
        });
    }

    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(edge.clientConfig(Map.of(
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) EVERY.toMillis(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) EVERY.toMillis())));
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }
}
