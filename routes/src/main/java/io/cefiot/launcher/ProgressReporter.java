package io.cefiot.launcher;

import io.cefiot.contract.Outcome;
import io.cefiot.runtime.StageCounters;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

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
