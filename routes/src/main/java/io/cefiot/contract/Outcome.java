package io.cefiot.contract;

/**
 * What became of an exchange, set as an exchange property by the step that decided it and
 * counted per stage by the runtime. An exchange without it completed normally.
 */
public final class Outcome {

    public static final String PROPERTY = "cefiot.outcome";

    public static final String DONE = "done";
    public static final String QUARANTINED = "quarantined";
    public static final String DEAD_LETTERED = "dead-lettered";
    public static final String DUPLICATE = "duplicate";
    public static final String FAILED = "failed";

    private Outcome() {
    }
}
