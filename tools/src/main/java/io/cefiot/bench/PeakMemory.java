package io.cefiot.bench;

import io.cefiot.localsite.SiteProcess;

/** The highest resident memory a process reached while it was sampled. */
final class PeakMemory {

    private final SiteProcess process;
    private long peakKib;

    PeakMemory(SiteProcess process) {
        this.process = process;
    }

    void sample() {
        process.pid().ifPresent(pid -> peakKib = Math.max(peakKib, ProcessMemory.of(pid).peakRssKib()));
    }

    double peakMib() {
        return peakKib / 1024.0;
    }
}
