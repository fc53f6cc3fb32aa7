package io.cefiot.chaos;

/** One injected fault: what, on which target, and when it began and ended (epoch millis). */
record Trial(FaultKind kind, String target, long injectedAt, long recoveredAt) {
}
