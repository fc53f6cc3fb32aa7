package io.cefiot.bench;

import io.cefiot.launcher.Cefiot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, javaOptions, "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), Cefiot.class.getName(), "run", "camera", "--config", config.toString());
        builder.redirectErrorStream(true).redirectOutput(work.resolve("camera-rss.log").toFile());
        Process process = builder.start();
        try {
            long end = System.nanoTime() + duration.toNanos();
            ProcessMemory last = ProcessMemory.GONE;
            while (System.nanoTime() < end && process.isAlive()) {
                process.waitFor(1, TimeUnit.SECONDS); // one sample a second
                ProcessMemory sample = ProcessMemory.of(process.pid());
                if (sample.rssKib() > 0) {
                    last = sample;
                }
            }
            if (!process.isAlive()) {
                throw new IOException("The camera process ended early (exit " + process.exitValue() + "); see "
                        + work.resolve("camera-rss.log"));
            }
            progress.accept("camera process sampled for " + duration.toSeconds() + " s");
            long spooled;
            try (var files = Files.list(spool)) {
                spooled = files.count();
            }
            return new Rss(last.rssMib(), last.peakRssMib(), javaOptions, spooled);
        } finally {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
