package io.cefiot.launcher;

import io.cefiot.contract.Outcome;
import io.cefiot.metrics.StageCounters;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;

/** Prints where the images are: captured, acknowledged at the edge, uplinked, archived. */
final class ProgressReporter {

    record Snapshot(long captured, long atEdge, long quarantined, long enriched, long uplinked, long archived, long duplicates,
                    long uplinkedBytes) {

        String line(double seconds) {
            return String.format("[%6.1fs] captured %d | at edge %d | enriched %d | uplinked %d | archived %d | quarantined %d",
                    seconds, captured, atEdge, enriched, uplinked, archived, quarantined);
        }
    }

    private final StageCounters counters;
    private final PrintStream out;
    private final boolean terminal;

    ProgressReporter(StageCounters counters, PrintStream out, boolean terminal) {
        this.counters = counters;
        this.out = out;
        this.terminal = terminal;
    }

    Snapshot snapshot() {
        return new Snapshot(
                counters.count("camera", Outcome.DONE),
                counters.count("ingest", Outcome.DONE),
                counters.count("ingest", Outcome.QUARANTINED),
                counters.count("enrich", Outcome.DONE),
                counters.count("uplink", Outcome.DONE),
                counters.count("archive", Outcome.DONE),
                counters.count("archive", Outcome.DUPLICATE),
                counters.bytes("uplink"));
    }

    /**
     * The time from capture to each milestone of safety, p50 and p99 over the last minutes, for
     * the milestones these stages reached: "acknowledged at the edge 0.21 / 0.40 s | ...".
     */
    String timeToSafety() {
        List<String> parts = new ArrayList<>();
        for (String[] milestone : new String[][] {{"ingest", "acknowledged at the edge"}, {"uplink", "committed in the cloud"},
                {"archive", "archived"}}) {
            HistogramSnapshot snapshot = counters.safetyTimer(StageCounters.MILESTONES.get(milestone[0])).takeSnapshot();
            if (snapshot.count() == 0) {
                continue;
            }
            double p50 = Double.NaN;
            double p99 = Double.NaN;
            for (ValueAtPercentile value : snapshot.percentileValues()) {
                if (value.percentile() == 0.5) {
                    p50 = value.value(TimeUnit.SECONDS);
                } else if (value.percentile() == 0.99) {
                    p99 = value.value(TimeUnit.SECONDS);
                }
            }
            parts.add(String.format(Locale.ROOT, "%s %.2f / %.2f s", milestone[1], p50, p99));
        }
        return parts.isEmpty() ? "no image reached safety yet" : String.join(" | ", parts);
    }

    /**
     * Reports until {@code target} images are archived (true) or nothing has moved for
     * {@code stallSeconds} (false). On a terminal the line is redrawn in place; in a log,
     * a line is written every five seconds and whenever the target is reached.
     */
    boolean followUntil(long target, long stallSeconds) throws InterruptedException {
        long start = System.nanoTime();
        long lastChange = start;
        long lastPrinted = 0;
        Snapshot previous = snapshot();
        while (true) {
            TimeUnit.MILLISECONDS.sleep(terminal ? 250 : 500);
            Snapshot now = snapshot();
            long tick = System.nanoTime();
            if (!now.equals(previous)) {
                lastChange = tick;
                previous = now;
            }
            boolean done = now.archived() >= target;
            double seconds = (tick - start) / 1e9;
            if (terminal) {
                out.print("\r" + now.line(seconds) + (done ? "\n" : ""));
                out.flush();
            } else if (done || tick - lastPrinted >= TimeUnit.SECONDS.toNanos(5)) {
                out.println(now.line(seconds));
                lastPrinted = tick;
            }
            if (done) {
                return true;
            }
            if (tick - lastChange > TimeUnit.SECONDS.toNanos(stallSeconds)) {
                if (terminal) {
                    out.println();
                }
                return false;
            }
        }
    }
}
