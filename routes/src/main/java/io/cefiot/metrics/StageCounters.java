package io.cefiot.metrics;

import io.cefiot.contract.ImageHeaders;
import io.cefiot.contract.Outcome;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.Exchange;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Counts finished exchanges per stage and outcome ({@code cefiot.stage.exchanges} with
 * tags stage and outcome), and the image bytes each stage passed on
 * ({@code cefiot.stage.bytes}; for the uplink, what crossed the link). A route's stage is
 * the first word of its id, so {@code ingest-spool-to-edge} counts for ingest.
 */
public class StageCounters extends EventNotifierSupport {

    public static final String METER = "cefiot.stage.exchanges";
    public static final String BYTES_METER = "cefiot.stage.bytes";
    public static final String DROPPED_METER = "cefiot.stage.dropped";
    public static final String FAILOVERS_METER = "cefiot.failovers";
    /** Edge partitions the uplink found replaced (a wiped and provisioned edge, a topic made again) and copied anew from 0. */
    public static final String EDGE_RESETS_METER = "cefiot.edge.resets";
    /** Capture to a milestone of safety (tag milestone): edge-acknowledged, cloud-committed, archived. */
    public static final String SAFETY_METER = "cefiot.time.to.safety";

    /** The stage whose finished work makes an image safe, and how safe: the milestone it reaches. */
    public static final Map<String, String> MILESTONES = Map.of(
            "ingest", "edge-acknowledged",   // every in-sync edge replica has it (acks=all, min.insync 2)
            "uplink", "cloud-committed",     // its cloud transaction committed
            "archive", "archived");          // on the archive's disk, forced

    private final MeterRegistry registry;

    public StageCounters(MeterRegistry registry) {
        this.registry = registry;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeCompletedEvent || event instanceof CamelEvent.ExchangeFailedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
        String routeId = exchange.getFromRouteId();
        if (routeId == null) {
            return;
        }
        String outcome = exchange.isFailed() || event instanceof CamelEvent.ExchangeFailedEvent
                ? Outcome.FAILED
                : exchange.getProperty(Outcome.PROPERTY, Outcome.DONE, String.class);
        if (exchange.getMessage().getBody() instanceof List<?>) {
            return; // a batch: the stage that handles it counts its records (see add)
        }
        String stage = stageOf(routeId);
        counter(stage, outcome).increment();
        if (Outcome.DONE.equals(outcome) && exchange.getMessage().getBody() instanceof byte[] image) {
            bytesCounter(stage).increment(image.length);
            // A Camel Kafka producer returns once the record is acknowledged, so an ingest exchange
            // completes when its image is safe at the edge; an archive exchange once it is stored.
            if (!"uplink".equals(stage)) {
                reachedSafety(stage, exchange.getMessage().getHeader(ImageHeaders.CAPTURE_TIME, String.class));
            }
        }
    }

    /**
     * Records the time from an image's capture ({@code cefiot.capture-time}, epoch millis) until now,
     * when {@code stage} made it safe, if that stage has a milestone. The clocks of two nodes may
     * differ a little: a negative time counts as 0.
     */
    public void reachedSafety(String stage, String captureMillis) {
        String milestone = MILESTONES.get(stage);
        if (milestone == null || captureMillis == null) {
            return;
        }
        try {
            long millis = System.currentTimeMillis() - Long.parseLong(captureMillis.trim());
            safetyTimer(milestone).record(Math.max(0, millis), TimeUnit.MILLISECONDS);
        } catch (NumberFormatException notAContractRecord) {
            // the stage's own checks dead-letter such a record: it never became safe
        }
    }

    /** The time-to-safety meter of a milestone: a histogram (for Prometheus) and p50/p99 over the last minutes. */
    public Timer safetyTimer(String milestone) {
        return Timer.builder(SAFETY_METER)
                .description("time from an image's capture until it is safe at this milestone")
                .tag("milestone", milestone)
                .publishPercentileHistogram()
                .publishPercentiles(0.5, 0.99)
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Counts records a stage handled as part of a batch, with their image bytes. */
    public void add(String stage, int records, long bytes) {
        counter(stage, Outcome.DONE).increment(records);
        bytesCounter(stage).increment(bytes);
    }

    /** Counts records a stage found gone (deleted by the edge topic's retention) and could not pass on. */
    public void dropped(String stage, long records) {
        registry.counter(DROPPED_METER, "stage", stage).increment(records);
    }

    /** Counts edge partitions found replaced since their records were copied: their copy starts again from 0. */
    public void edgeReset(String stage) {
        registry.counter(EDGE_RESETS_METER, "stage", stage).increment();
    }

    public long edgeResets(String stage) {
        return (long) registry.counter(EDGE_RESETS_METER, "stage", stage).count();
    }

    /** Creates a stage's series (done, failed, bytes, failovers) at 0. */
    public void register(String stage) {
        counter(stage, Outcome.DONE);
        counter(stage, Outcome.FAILED);
        bytesCounter(stage);
        registry.counter(FAILOVERS_METER, "stage", stage);
        if (MILESTONES.containsKey(stage)) {
            safetyTimer(MILESTONES.get(stage));
        }
    }

    /** Counts work this replica took over from another (partitions of a replica that died or left). */
    public void failovers(String stage, long takenOver) {
        registry.counter(FAILOVERS_METER, "stage", stage).increment(takenOver);
    }

    public long failovers(String stage) {
        return (long) registry.counter(FAILOVERS_METER, "stage", stage).count();
    }

    /**
     * Publishes a gauge read from {@code value} each time metrics are read. The last holder wins.
     * Camel builds a route file's beans twice (when it pre-parses the file, then when it loads
     * it) and again at each reload, and a process's registry outlives a pipeline that a placement
     * move replaces: the bean in use is the last one built. Micrometer keeps the first gauge of a
     * name, which would read a discarded bean for ever (NaN once it is collected).
     */
    public synchronized <T> void gauge(String name, String description, T holder, ToDoubleFunction<T> value) {
        Gauge earlier = registry.find(name).gauge();
        if (earlier != null) {
            registry.remove(earlier);
        }
        Gauge.builder(name, holder, value).description(description).strongReference(true).register(registry);
    }

    public long dropped(String stage) {
        return (long) registry.counter(DROPPED_METER, "stage", stage).count();
    }

    /** Image bytes the stage handled successfully. */
    public long bytes(String stage) {
        return (long) bytesCounter(stage).count();
    }

    private Counter bytesCounter(String stage) {
        return registry.counter(BYTES_METER, "stage", stage);
    }

    public long count(String stage, String outcome) {
        return (long) counter(stage, outcome).count();
    }

    private Counter counter(String stage, String outcome) {
        return registry.counter(METER, "stage", stage, "outcome", outcome);
    }

    private static String stageOf(String routeId) {
        int dash = routeId.indexOf('-');
        return dash < 0 ? routeId : routeId.substring(0, dash);
    }
}
