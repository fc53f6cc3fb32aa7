package io.cefiot.runtime;

import io.cefiot.metrics.StageCounters;

import java.time.Duration;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Counts ingest failovers (cefiot.failovers{stage=ingest}): the ingest route of a replica that
 * started as a standby starts when it takes the spool lock from a leader that died or left. A
 * replica that finds the lock free starts its route within a couple of seconds of starting (the
 * lock is tried after 1 s, then every second); a start later than {@link #STANDBY_AFTER}, or any
 * later start, is a takeover.
 */
final class IngestTakeoverWatch extends EventNotifierSupport {

    static final Duration STANDBY_AFTER = Duration.ofSeconds(5);

    private final StageCounters counters;
    private final String routeId;
    private final long createdAt = System.nanoTime();
    private boolean startedBefore;

    IngestTakeoverWatch(StageCounters counters, String routeId) {
        this.counters = counters;
        this.routeId = routeId;
        setIgnoreCamelContextEvents(true);
        setIgnoreExchangeEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.RouteStartedEvent started && routeId.equals(started.getRoute().getRouteId());
    }

    @Override
    public synchronized void notify(CamelEvent event) {
        boolean waitedAsStandby = System.nanoTime() - createdAt > STANDBY_AFTER.toNanos();
        if (startedBefore || waitedAsStandby) {
            counters.failovers("ingest", 1);
        }
        startedBefore = true;
    }
}
