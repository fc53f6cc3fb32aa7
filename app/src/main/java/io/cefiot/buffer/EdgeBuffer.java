package io.cefiot.buffer;

import io.cefiot.site.BufferPolicy;
import io.cefiot.site.Setting;
import io.cefiot.site.Side;
import io.cefiot.site.SiteConfig;
import io.cefiot.site.SitePlan;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The edge buffer: images in the edge topics that the uplink has not yet copied to the cloud.
 * Its limits are edge.buffer.max-bytes and edge.buffer.max-age-ms, and edge.buffer.policy says
 * what happens at them:
 * <ul>
 *   <li>{@code wait}: the edge topics keep everything; this gate on the ingest route measures
 *       the backlog every second and suspends ingest while it is at the byte limit, so new
 *       images wait in the spool (and the camera holds them when the spool disk is full).
 *       An image older than the age limit raises an alarm but is kept.</li>
 *   <li>{@code drop-oldest}: the edge topics' retention (bytes and age) deletes the oldest
 *       images; the uplink logs and counts what it finds gone (cefiot.stage.dropped).</li>
 * </ul>
 * Either way it is never silent: alarms go to the log at ERROR, and the gauges
 * {@code cefiot.edge.buffer.bytes} and {@code cefiot.edge.buffer.full} show the state.
 */
public final class EdgeBuffer extends RoutePolicySupport {

    private static final Logger LOG = LogManager.getLogger(EdgeBuffer.class);
    private static final long MIN_SEGMENT_BYTES = 1024 * 1024;
    private static final Duration DEGRADED_AFTER = Duration.ofSeconds(5);

    private final BufferPolicy policy;
    /** The oldest unsent image is looked up every this many checks (seconds): it reads records. */
    private static final int OLDEST_EVERY_CHECKS = 5;

    private final long maxBytes;
    private final String edgeServers;
    /** Each buffer topic and the edge-side group that reads it. */
    private final Map<String, String> readers = new LinkedHashMap<>();
    private final AtomicLong backlogBytes = new AtomicLong();
    private final AtomicLong full = new AtomicLong();
    private final AtomicLong tooOld = new AtomicLong();
    private final AtomicLong brokersUp = new AtomicLong(-1);
    private final AtomicLong degraded = new AtomicLong();
    private final AtomicLong backlogImages = new AtomicLong();
    private final AtomicLong oldestUnsentAgeSeconds = new AtomicLong();
    /** Next unread offset of each lagging edge partition, from the last measure. */
    private Map<TopicPartition, Long> unread = Map.of();
    private final Path spool;
    private OldestUnsent oldestUnsent;
    private int checks;
    private long brokersSeen;
    private long failingSince = -1;
    private final long maxAgeMillis;
    private ScheduledExecutorService scheduler;
    private Admin admin;
    private Route route;
    private boolean suspendedByUs;
    private boolean oldestWaiting;

    public EdgeBuffer(SiteConfig config, SitePlan plan, MeterRegistry registry) {
        this.policy = config.bufferPolicy();
        this.maxBytes = config.longValue(Setting.EDGE_BUFFER_MAX_BYTES);
        this.maxAgeMillis = config.longValue(Setting.EDGE_BUFFER_MAX_AGE_MS);
        this.edgeServers = config.bootstrapServers(Side.EDGE);
        this.spool = config.path(Setting.SPOOL_DIR);
        readers.putAll(EdgeBacklog.edgeReaders(plan));
        Gauge.builder("cefiot.edge.buffer.bytes", backlogBytes, AtomicLong::get)
                .description("Image bytes at the edge not yet copied to the cloud").register(registry);
        Gauge.builder("cefiot.edge.buffer.full", full, AtomicLong::get)
                .description("1 while ingest waits because the edge buffer is at edge.buffer.max-bytes").register(registry);
        Gauge.builder("cefiot.edge.degraded", degraded, AtomicLong::get)
                .description("1 while the edge cluster cannot take writes (fewer than 2 brokers, or not answering)").register(registry);
        Gauge.builder("cefiot.edge.brokers", brokersUp, AtomicLong::get)
                .description("Edge Kafka brokers answering; below 2 (min.insync.replicas) edge writes stop").register(registry);
        Gauge.builder("cefiot.edge.backlog.images", backlogImages, AtomicLong::get)
                .description("Images in the edge cluster not yet copied to the cloud (the edge readers' lag, the uplink's included)")
                .register(registry);
        Gauge.builder("cefiot.edge.backlog.oldest-age-seconds", oldestUnsentAgeSeconds, AtomicLong::get)
                .description("Age of the oldest captured image not yet in the cloud (spool or edge topics); 0 when none waits")
                .register(registry);
        Gauge.builder("cefiot.edge.buffer.too-old", tooOld, AtomicLong::get)
                .description("1 while an image older than edge.buffer.max-age-ms waits at the edge").register(registry);
    }

    /** Topic settings of the edge buffer's topics for the configured policy. */
    public static Map<String, String> topicConfig(SiteConfig config, SitePlan plan) {
        if (config.bufferPolicy() == BufferPolicy.WAIT) {
            // Keep everything: the gate, not retention, bounds the buffer.
            return Map.of("retention.bytes", "-1", "retention.ms", "-1");
        }
        int topics = Math.max(1, plan.edgeBufferTopics().size());
        long perPartition = Math.max(MIN_SEGMENT_BYTES,
                config.longValue(Setting.EDGE_BUFFER_MAX_BYTES) / topics / config.longValue(Setting.KAFKA_PARTITIONS));
        long maxAge = config.longValue(Setting.EDGE_BUFFER_MAX_AGE_MS);
        // Retention deletes whole segments: small ones keep the limit close.
        long segmentBytes = Math.max(MIN_SEGMENT_BYTES, Math.min(1L << 30, perPartition / 4));
        return Map.of("retention.bytes", Long.toString(perPartition), "retention.ms", Long.toString(maxAge),
                "segment.bytes", Long.toString(segmentBytes), "segment.ms", Long.toString(Math.max(10_000, maxAge / 4)));
    }

    public long backlogBytes() {
        return backlogBytes.get();
    }

    public boolean isFull() {
        return full.get() == 1;
    }

    @Override
    public void onInit(Route route) {
        this.route = route;
    }

    @Override
    public void onStart(Route route) {
        if (scheduler == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, edgeServers,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000));
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "cefiot-edge-buffer");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleWithFixedDelay(this::check, 0, 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public void onRemove(Route route) {
        if (scheduler != null) {
            scheduler.shutdownNow();
            admin.close(Duration.ofSeconds(2));
            if (oldestUnsent != null) {
                try {
                    // The consumer is the check thread's; let a running check finish before closing it.
                    scheduler.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                oldestUnsent.close();
                oldestUnsent = null;
            }
            scheduler = null;
        }
    }

    private void check() {
        long bytes;
        long started = System.nanoTime();
        try {
            EdgeBacklog backlog = EdgeBacklog.measure(admin, readers, maxAgeMillis);
            bytes = backlog.bytes();
            backlogImages.set(backlog.images());
            unread = backlog.unread();
            oldestWaiting = backlog.anyTooOld();
            reportHealth(true, backlog.brokers(), started);
        } catch (Exception e) {
            // The edge cluster is busy or down: ingest's sends wait. Measure again shortly.
            LOG.debug("Cannot measure the edge buffer: {}", e.toString());
            reportHealth(false, 0, started);
            return;
        }
        backlogBytes.set(bytes);
        if (checks++ % OLDEST_EVERY_CHECKS == 0) {
            measureOldestUnsent();
        }
        boolean old = oldestWaiting;
        if (old != (tooOld.get() == 1)) {
            tooOld.set(old ? 1 : 0);
            if (old) {
                LOG.error("ALARM: images have waited at the edge longer than edge.buffer.max-age-ms={} ({}).", maxAgeMillis,
                        policy == BufferPolicy.WAIT ? "policy wait: they are kept" : "policy drop-oldest: retention deletes them");
            } else {
                LOG.warn("No image at the edge is older than edge.buffer.max-age-ms any more.");
            }
        }
        boolean atLimit = policy == BufferPolicy.WAIT && bytes >= maxBytes;
        try {
            if (atLimit && !isFull()) {
                full.set(1);
                LOG.error("ALARM: edge buffer full: {} bytes wait for the link (edge.buffer.max-bytes={}). Ingest pauses; "
                        + "new images wait in the spool. Nothing is lost.", bytes, maxBytes);
                if (route != null && route.getCamelContext().getRouteController().getRouteStatus(route.getRouteId()).isStarted()) {
                    route.getCamelContext().getRouteController().suspendRoute(route.getRouteId());
                    suspendedByUs = true;
                }
            } else if (!atLimit && isFull()) {
                full.set(0);
                LOG.warn("Edge buffer below its limit again ({} of {} bytes): ingest resumes.", bytes, maxBytes);
                if (suspendedByUs && route != null) {
                    route.getCamelContext().getRouteController().resumeRoute(route.getRouteId());
                    suspendedByUs = false;
                }
            }
        } catch (Exception e) {
            LOG.warn("Cannot {} ingest: {}", atLimit ? "pause" : "resume", e.toString());
        }
    }

    /**
     * Degraded mode: with fewer than two edge brokers, writes with acks=all stop
     * (min.insync.replicas 2). With two of three lost, the controller quorum is gone too and the
     * survivor's metadata goes stale, so the sign that counts is that the edge cluster stops
     * answering the buffer check. Nothing is lost (the spool holds the images), but the state
     * shows: an ERROR line and cefiot.edge.degraded=1.
     *
     * <p>The failing time counts from the start of the first check that failed: against dead
     * leaders one check waits out several 5 s timeouts, and counting from its end put the
     * alarm 20 s or more after the loss.
     */
    private void reportHealth(boolean answering, int brokers, long checkStarted) {
        if (answering) {
            brokersUp.set(brokers);
            brokersSeen = Math.max(brokersSeen, brokers);
            failingSince = -1;
        } else if (failingSince < 0) {
            failingSince = checkStarted;
        }
        boolean isDegraded = (answering && brokers < Math.min(2, brokersSeen))
                || (!answering && System.nanoTime() - failingSince > DEGRADED_AFTER.toNanos());
        if (isDegraded && degraded.get() == 0) {
            degraded.set(1);
            LOG.error("DEGRADED: the edge Kafka cluster {} (min.insync.replicas=2). Edge writes stop; new images wait in the "
                    + "spool until brokers return. Nothing is lost.", answering ? "has only " + brokers + " of " + brokersSeen
                    + " brokers" : "has not answered for " + DEGRADED_AFTER.toSeconds() + " s");
        } else if (!isDegraded && degraded.get() == 1) {
            degraded.set(0);
            LOG.warn("Edge cluster writable again: {} brokers answer.", brokers);
        }
    }

    private void measureOldestUnsent() {
        try {
            if (oldestUnsent == null) {
                oldestUnsent = new OldestUnsent(edgeServers, spool);
            }
            OptionalLong oldest = oldestUnsent.oldestCaptureMillis(unread);
            oldestUnsentAgeSeconds.set(oldest.isEmpty() ? 0 : Math.max(0, (System.currentTimeMillis() - oldest.getAsLong()) / 1000));
        } catch (RuntimeException e) {
            LOG.debug("Cannot find the oldest unsent image: {}", e.toString());
        }
    }
}
