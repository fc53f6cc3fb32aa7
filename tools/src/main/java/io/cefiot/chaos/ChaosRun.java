package io.cefiot.chaos;

import io.cefiot.localsite.SiteProcess;
import io.cefiot.localsite.SiteRecords;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One chaos run: start the site, let images flow, inject faults (every kind at least once,
 * in a seeded random order, then random kinds) until the duration is spent, stop the camera,
 * let the site drain, and check every captured image.
 */
public final class ChaosRun {

    private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration DRAIN_STALL = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final long seed;
    private final Duration duration;
    private final Duration linkOutage;
    private final Path data;
    private final int cameraIntervalMs;
    private final PrintStream out;
    private final long startedAt = System.nanoTime();

    public ChaosRun(long seed, Duration duration, Duration linkOutage, Path data, int cameraIntervalMs, PrintStream out) {
        this.seed = seed;
        this.duration = duration;
        this.linkOutage = linkOutage;
        this.data = data.toAbsolutePath();
        this.cameraIntervalMs = cameraIntervalMs;
        this.out = out;
    }

    /**
     * True when no image was lost, archived twice, copied twice to the cloud topic or put out of
     * order there, and every fault was recovered from.
     */
    public boolean run() throws InterruptedException {
        out.println("Chaos run, seed " + seed + " (replay with --seed " + seed + "), faults for " + duration.toSeconds()
                + " s, data in " + data);
        clear(data);
        Random random = new Random(seed);
        List<Trial> trials = new ArrayList<>();
        try (ChaosSite site = ChaosSite.start(data, seed, cameraIntervalMs, out)) {
            progress("waiting for the first image in the archive");
            awaitArchived(site, 1, Duration.ofMinutes(5));
            List<FaultKind> kinds = Arrays.stream(FaultKind.values())
                    .filter(k -> !k.needsRoot() || (k == FaultKind.DISK_FULL ? site.spoolDisk.isReal() : site.link.isReal()))
                    .toList();
            List<FaultKind> skipped = Arrays.stream(FaultKind.values()).filter(k -> !kinds.contains(k)).toList();
            if (!skipped.isEmpty()) {
                out.println("Not run without root: " + skipped);
            }
            FaultInjector injector = new FaultInjector(site, random, out, linkOutage);
            List<FaultKind> firstPass = new ArrayList<>(kinds);
            Collections.shuffle(firstPass, random);
            long faultsUntil = System.nanoTime() + duration.toNanos();
            while (!firstPass.isEmpty() || System.nanoTime() < faultsUntil) {
                FaultKind kind = firstPass.isEmpty() ? kinds.get(random.nextInt(kinds.size())) : firstPass.remove(0);
                progress("fault " + (trials.size() + 1) + ": " + kind.description);
                Trial trial = injector.inject(kind);
                trials.add(trial);
                boolean recovered = awaitImageCapturedAfter(site, trial.recoveredAt(), RECOVERY_TIMEOUT);
                progress("  " + trial.target() + ": " + (recovered ? "flowing again" : "NOT flowing again within "
                        + RECOVERY_TIMEOUT.toSeconds() + " s"));
            }
            progress("stopping the camera and draining");
            site.camera.stop();
            long captured = SiteRecords.readCaptureLog(site.captureLog()).size();
            drain(site, captured);
            FaultMatrix matrix = FaultMatrix.of(site, trials);
            String report = "Chaos run: seed " + seed + ", " + trials.size() + " faults over " + duration.toSeconds()
                    + " s, link outage up to " + linkOutage.toSeconds() + " s, camera every " + cameraIntervalMs + " ms.\n\n"
                    + matrix.table();
            out.println();
            out.print(report);
            write(data.resolve("fault-matrix.md"), report);
            out.println();
            if (!matrix.passed()) {
                printWarnings(data.resolve("logs"));
                // A node that exited on its own (a broker that could not rejoin, say) is not restarted
                // here as a service manager would: name it, as it may be why images are missing.
                List<String> down = site.exitedOnTheirOwn().stream().filter(p -> p != site.camera).map(SiteProcess::name).toList();
                out.println("Not running at the end (besides the camera, stopped for the drain): "
                        + (down.isEmpty() ? "none" : String.join(", ", down)));
            }
            out.println(matrix.passed()
                    ? "PASSED: every one of " + matrix.captured() + " captured images is in the archive once, and every edge "
                    + "record on the cloud topic once, in per-camera order. Seed " + seed + "."
                    : "FAILED: " + matrix.failures() + ". Replay with --seed " + seed + "; logs in " + data.resolve("logs"));
            return matrix.passed();
        }
    }

    private void drain(ChaosSite site, long captured) throws InterruptedException {
        long archived = countArchived(site);
        long lastProgress = System.nanoTime();
        while (archived < captured && System.nanoTime() - lastProgress < DRAIN_STALL.toNanos()) {
            Thread.sleep(1000);
            long now = countArchived(site);
            if (now > archived) {
                lastProgress = System.nanoTime();
                progress("archived " + now + " of " + captured);
            }
            archived = now;
        }
    }

    private boolean awaitImageCapturedAfter(ChaosSite site, long since, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (newestArchivedCapture(site) >= since) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    private void awaitArchived(ChaosSite site, long images, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (countArchived(site) < images) {
            List<SiteProcess> exited = site.exitedOnTheirOwn();
            if (!exited.isEmpty()) {
                throw new IllegalStateException(exited.get(0).name() + " exited at start; see " + exited.get(0).log()
                        + ", which ends:" + System.lineSeparator() + exited.get(0).lastLogLines(30));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("No image reached the archive within " + timeout.toMinutes()
                        + " minutes of start; see the logs in " + data.resolve("logs"));
            }
            Thread.sleep(500);
        }
    }

    /** The capture time of the newest archived image, read from its metadata's file name. */
    private static long newestArchivedCapture(ChaosSite site) {
        try (Stream<Path> files = Files.walk(site.archive())) {
            return files.filter(p -> p.toString().endsWith(".jpg"))
                    .max(Comparator.comparingLong(ChaosRun::modified))
                    .map(ChaosRun::captureMillis).orElse(-1L);
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    private static long captureMillis(Path jpg) {
        Path json = jpg.resolveSibling(jpg.getFileName().toString().replace(".jpg", ".json"));
        try {
            return Long.parseLong(JSON.readTree(json.toFile()).path("capture-time").asText("-1"));
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return -1;
        }
    }

    private static long countArchived(ChaosSite site) {
        if (!Files.isDirectory(site.archive())) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(site.archive())) {
            return files.filter(p -> p.toString().endsWith(".jpg")).count();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    /**
     * The last warnings and errors of every process, printed with a failed run: the data folder
     * (and its logs) is often gone by the time someone reads a CI log, and a rare failure may
     * not come back on replay.
     */
    private void printWarnings(Path logs) {
        try (Stream<Path> files = Files.list(logs)) {
            for (Path log : files.sorted().toList()) {
                List<String> warnings = Files.readAllLines(log).stream()
                        .filter(line -> line.contains(" WARN ") || line.contains(" ERROR ") || line.contains("Exception")).toList();
                out.println("--- last warnings of " + log.getFileName() + " (" + warnings.size() + " in all) ---");
                warnings.subList(Math.max(0, warnings.size() - 12), warnings.size()).forEach(out::println);
            }
        } catch (IOException | UncheckedIOException e) {
            out.println("(cannot read the logs in " + logs + ": " + e.getMessage() + ")");
        }
    }

    private void progress(String message) {
        out.printf("[%5ds] %s%n", Duration.ofNanos(System.nanoTime() - startedAt).toSeconds(), message);
    }

    /** Clears what an earlier run left in the data directory (only its own parts). */
    private static void clear(Path data) {
        for (String part : List.of("edge-kafka", "cloud-kafka", "spool", "spool.leader", "quarantine", "archive", "logs",
                "source.sha256", "site.properties", "fault-matrix.md")) {
            Path path = data.resolve(part);
            if (Files.exists(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot clear " + path, e);
                }
            }
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
