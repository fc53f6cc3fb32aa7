package io.cefiot.camera.capture;

/**
 * Decides which motion frames become captures, so that a long motion event does not flood the
 * spool and a flickering scene does not trigger over and over.
 * <ul>
 *   <li>{@code maxRate}: at most this many captures per second while motion lasts.</li>
 *   <li>{@code cooldownMillis}: after a motion event ends, a new event is not captured until the
 *       scene has been still this long.</li>
 * </ul>
 */
public final class CapturePolicy {

    private final long minGapMillis;
    private final long cooldownMillis;
    private long lastCapture = Long.MIN_VALUE;
    private long eventEnded = Long.MIN_VALUE;
    private boolean inEvent;

    public CapturePolicy(double maxRate, long cooldownMillis) {
        if (!(maxRate > 0)) {
            throw new IllegalArgumentException("The maximum capture rate must be positive, not " + maxRate);
        }
        if (cooldownMillis < 0) {
            throw new IllegalArgumentException("The cooldown cannot be negative: " + cooldownMillis);
        }
        this.minGapMillis = Math.round(1000 / maxRate);
        this.cooldownMillis = cooldownMillis;
    }

    /** Tells the policy about a frame at {@code nowMillis}; returns whether to capture it. */
    public boolean offer(boolean motion, long nowMillis) {
        if (!motion) {
            if (inEvent) {
                inEvent = false;
                eventEnded = nowMillis;
            }
            return false;
        }
        if (!inEvent) {
            boolean cooling = eventEnded != Long.MIN_VALUE && nowMillis - eventEnded < cooldownMillis;
            if (cooling) {
                eventEnded = nowMillis; // the scene was not still long enough: the cooldown starts again
                return false;
            }
            inEvent = true;
        }
        if (lastCapture != Long.MIN_VALUE && nowMillis - lastCapture < minGapMillis) {
            return false;
        }
        lastCapture = nowMillis;
        return true;
    }
}
