package io.cefiot.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Watches a count (records on a topic, offsets a group committed) climb to a target,
 * sampling it every 100 ms, and gives up when it stops climbing. It tells when the
 * first new unit arrived and when the target was reached.
 */
final class Counting {

    private static final long SAMPLE_MILLIS = 100;

    record Sample(long atNanos, long value) {
    }

    /** What the samples show: the first sample above the start and the one that reached the target. */
    record Climb(long startValue, Sample firstProgress, Sample reached) {

        /** Units per second from the first unit seen to the target: a rate that leaves out start-up. */
        double ratePerSecondAfterFirst() {
            double seconds = Math.max(SAMPLE_MILLIS / 1000.0, (reached.atNanos() - firstProgress.atNanos()) / 1e9);
            return (reached.value() - firstProgress.value()) / seconds;
        }
    }

    private Counting() {
    }

    /** Samples {@code count} until it reaches {@code target}; fails if it does not climb for {@code stall}. */
    static Climb until(String what, LongSupplier count, long target, Duration stall, Runnable checkAlive) throws InterruptedException {
        long start = count.getAsLong();
        Sample last = new Sample(System.nanoTime(), start);
        Sample firstProgress = null;
        long lastClimb = last.atNanos();
        while (last.value() < target) {
            TimeUnit.MILLISECONDS.sleep(SAMPLE_MILLIS);
            checkAlive.run();
            Sample now = new Sample(System.nanoTime(), count.getAsLong());
            if (now.value() > last.value()) {
                lastClimb = now.atNanos();
                if (firstProgress == null) {
                    firstProgress = now;
                }
            } else if (now.atNanos() - lastClimb > stall.toNanos()) {
                throw new IllegalStateException(what + " stopped at " + now.value() + " of " + target + " for "
                        + stall.toSeconds() + " s");
            }
            last = now;
        }
        return new Climb(start, firstProgress == null ? last : firstProgress, last);
    }
}
