package io.cefiot.tools;

import io.cefiot.bench.CameraBenchmark;
import io.cefiot.bench.CameraProcessMemory;
import io.cefiot.bench.PipelineBenchmark;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Benchmarks that measure CEFIoT beside a reference in one run and report the ratio. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run a benchmark and write its figures (Markdown, CSV, PNG) to --out.",
                "pipeline (the default): on a local multi-process site, ingest vs Kafka's ProducerPerformance, the uplink vs "
                        + "MirrorMaker 2, then latency, memory, failover and the drain after a link outage (the drain needs root).",
                "camera: detection frames/s per core vs the bare OpenCV operations, and the camera process's RSS."})
public class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", defaultValue = "pipeline", paramLabel = "BENCHMARK",
            description = "pipeline or camera (default: ${DEFAULT-VALUE}).")
    String benchmark;

    @Option(names = "--out", defaultValue = "bench-results", paramLabel = "DIR", description = "Where the figures go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--quick", description = "pipeline: a short run (a few minutes) that keeps the benchmark working; its figures are rough.")
    boolean quick;

    @Option(names = "--only", split = ",", paramLabel = "PART",
            description = "pipeline: run only these parts, of ingest, uplink and flow (latency, memory, failover, drain) (default: all).")
    Set<String> only;

    @Option(names = "--data", paramLabel = "DIR",
            description = "pipeline: working folder for the site's Kafka data and logs; kept if the run fails (default: a new temporary folder).")
    Path data;

    @Option(names = "--reference-libs", paramLabel = "DIR",
            description = "pipeline: the jars of Kafka's tools and MirrorMaker 2 (default: bench-reference/target/libs of this checkout).")
    Path referenceLibs;

    @Option(names = "--frames", defaultValue = "500", description = "camera: frames per clip (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--rounds", defaultValue = "3", description = "camera: alternating rounds per measurement; the median counts (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--rss-seconds", defaultValue = "30", description = "camera: how long the camera process runs for the RSS figure (default: ${DEFAULT-VALUE}).")
    int rssSeconds;

    @Option(names = "--rss-java-options", defaultValue = "-Xmx256m", description = "camera: heap option of the measured camera process (default: ${DEFAULT-VALUE}).")
    String rssJavaOptions;

    @Override
    public Integer call() throws Exception {
        return switch (benchmark) {
            case "pipeline" -> pipeline();
            case "camera" -> camera();
            default -> {
                System.err.println("cefiot: unknown benchmark '" + benchmark + "'. Benchmarks: pipeline (the default), camera.");
                yield 2;
            }
        };
    }

    private int pipeline() throws Exception {
        Path libs = referenceLibs != null ? referenceLibs : checkout().resolve("bench-reference").resolve("target").resolve("libs");
        if (!Files.isDirectory(libs)) {
            System.err.println("cefiot: the reference tools' jars are not at " + libs + ". Build them with "
                    + "`mvn -B -pl bench-reference package` (./cefiot bench does this on its first run), or give --reference-libs DIR.");
            return 2;
        }
        Set<String> parts = only == null ? PipelineBenchmark.PARTS : only;
        if (!PipelineBenchmark.PARTS.containsAll(parts)) {
            System.err.println("cefiot: --only takes " + String.join(", ", PipelineBenchmark.PARTS) + "; not " + parts + ".");
            return 2;
        }
        Path work = data != null ? data : Files.createTempDirectory("cefiot-bench-");
        new PipelineBenchmark(quick ? PipelineBenchmark.Plan.quick() : PipelineBenchmark.Plan.full(), parts, out, work, libs, System.out).run();
        return 0;
    }

    /** The checkout this jar was built in: tools/target/cefiot-tools.jar (or tools/target/classes) is three levels below it. */
    private static Path checkout() throws URISyntaxException {
        Path code = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return code.getParent().getParent().getParent();
    }

    private int camera() throws Exception {
        if (frames < 50 || rounds < 1 || rssSeconds < 5) {
            System.err.println("cefiot: use --frames >= 50, --rounds >= 1 and --rss-seconds >= 5.");
            return 2;
        }
        Files.createDirectories(out);
        Path work = Files.createTempDirectory("cefiot-bench-");
        List<CameraBenchmark.Measurement> results = CameraBenchmark.run(work, frames, rounds, System.out::println);
        System.out.println("Measuring the RSS of a camera process (" + rssJavaOptions + ") for " + rssSeconds + " s...");
        CameraProcessMemory.Rss rss = CameraProcessMemory.measure(work, work.resolve("bench-640x480.avi"), rssJavaOptions,
                Duration.ofSeconds(rssSeconds), System.out::println);

        List<String> csv = new ArrayList<>();
        csv.add("resolution,algorithm,detector_fps_per_core,ceiling_fps_per_core,ratio,decode_only_fps_per_core");
        List<String> md = new ArrayList<>();
        md.add("# Camera benchmark, " + Instant.now());
        md.add("");
        md.add("Frames per CPU-second of the benchmark process (OpenCV held to 1 thread): the camera's detector against the bare");
        md.add("OpenCV operations it needs (decode, scale, grey, subtract, threshold) on the same " + frames
                + "-frame clip; median of " + rounds + " alternating rounds.");
        md.add("");
        md.add("| resolution | algorithm | detector fps/core | ceiling fps/core | ratio | decode only fps/core |");
        md.add("|---|---|---|---|---|---|");
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        for (CameraBenchmark.Measurement m : results) {
            csv.add(String.format(Locale.ROOT, "%s,%s,%.1f,%.1f,%.3f,%.1f", m.resolution(), m.algorithm().id(),
                    m.detectorFps(), m.ceilingFps(), m.ratio(), m.decodeFps()));
            md.add(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.2f | %.0f |", m.resolution(), m.algorithm().id(),
                    m.detectorFps(), m.ceilingFps(), m.ratio(), m.decodeFps()));
            String category = m.resolution() + " " + m.algorithm().id();
            dataset.addValue(m.detectorFps(), "CEFIoT detector", category);
            dataset.addValue(m.ceilingFps(), "bare OpenCV (ceiling)", category);
        }
        md.add("");
        md.add(String.format(Locale.ROOT, "Camera process (`cefiot run camera`, %s, 640x480 clip looped, %d images spooled): "
                + "RSS %.0f MiB after %d s, peak %.0f MiB.", rss.javaOptions(), rss.spooled(), rss.steadyMib(), rssSeconds, rss.peakMib()));
        Files.write(out.resolve("camera.csv"), csv);
        Files.write(out.resolve("camera.md"), md);
        JFreeChart chart = ChartFactory.createBarChart("Motion detection, frames per second per core", null, "frames / CPU-second",
                dataset, PlotOrientation.VERTICAL, true, false, false);
        File png = out.resolve("camera.png").toFile();
        ChartUtils.saveChartAsPNG(png, chart, 900, 500);
        md.forEach(System.out::println);
        System.out.println("Figures: " + out.resolve("camera.csv") + ", " + out.resolve("camera.md") + ", " + png);
        org.apache.camel.util.FileUtil.removeDir(work.toFile());
        return 0;
    }
}
