package io.cefiot.bench;

import io.cefiot.localsite.SiteProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The resident memory of a real camera process: {@code cefiot run camera} as its own JVM, replaying
 * a clip in a loop into a spool, sampled from /proc every second.
 */
public final class CameraProcessMemory {

    /** Resident set sizes in MiB: the last sample, and the peak (VmHWM) the kernel recorded. */
    public record Rss(double steadyMib, double peakMib, String javaOptions, long spooled) {
    }

    private CameraProcessMemory() {
    }

    public static Rss measure(Path work, Path clip, String javaOptions, Duration duration, Consumer<String> progress)
            throws IOException, InterruptedException {
        Path config = work.resolve("camera-rss.properties");
        Path spool = work.resolve("rss-spool");
        Files.write(config, List.of(
                "site.id = bench",
                "camera.source = " + clip,
                "camera.loop = true",
                "camera.ids = bench-cam",
                "camera.max-rate = 5",
                "camera.state-dir = " + work.resolve("rss-camera-state"),
                "spool.dir = " + spool,
                "edge.bootstrap-servers = localhost:9",
                "cloud.bootstrap-servers = localhost:9"));
        // The same jar as a process of its own (java -jar), as every site process is started.
        SiteProcess camera = new SiteProcess("camera-rss", "camera", Optional.empty(), List.of(javaOptions, "-Djava.awt.headless=true"),
                work, List.of("run", "camera", "--config", config.toString()));
        camera.start();
        try {
            long end = System.nanoTime() + duration.toNanos();
            ProcessMemory last = ProcessMemory.GONE;
            while (System.nanoTime() < end && camera.isAlive()) {
                camera.awaitExit(Duration.ofSeconds(1)); // one sample a second
                OptionalLong pid = camera.pid();
                ProcessMemory sample = pid.isPresent() ? ProcessMemory.of(pid.getAsLong()) : ProcessMemory.GONE;
                if (sample.rssKib() > 0) {
                    last = sample;
                }
            }
            if (!camera.isAlive()) {
                throw new IOException("The camera process ended early (exit " + camera.awaitExit(Duration.ZERO).orElse(-1) + "); see "
                        + camera.log());
            }
            progress.accept("camera process sampled for " + duration.toSeconds() + " s");
            long spooled;
            try (var files = Files.list(spool)) {
                spooled = files.count();
            }
            return new Rss(last.rssMib(), last.peakRssMib(), javaOptions, spooled);
        } finally {
            camera.stop();
        }
    }
}
