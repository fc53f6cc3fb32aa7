package io.cefiot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's resident memory, read from /proc/PID/status. */
record ProcessMemory(long rssKib, long peakRssKib) {

    static final ProcessMemory GONE = new ProcessMemory(0, 0);

    /** VmRSS (resident now) and VmHWM (the most it has been resident), or {@link #GONE} if the process has ended. */
    static ProcessMemory of(long pid) {
        long rss = 0;
        long hwm = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("VmHWM:")) {
                    hwm = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException gone) {
            return GONE;
        }
        return new ProcessMemory(rss, hwm);
    }

    double rssMib() {
        return rssKib / 1024.0;
    }

    double peakRssMib() {
        return peakRssKib / 1024.0;
    }
}
