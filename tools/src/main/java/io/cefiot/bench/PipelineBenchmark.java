package io.cefiot.bench;

import io.cefiot.bench.FlowBenchmark.DrainSample;
import io.cefiot.bench.RateLatencyBenchmark.Rate;
import io.cefiot.deploy.K3sStage;
import io.cefiot.localsite.LocalClusters;
import io.cefiot.localsite.SiteProcess;
import io.cefiot.site.Side;
import io.cefiot.site.Stage;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import org.apache.camel.util.FileUtil;

/**
 * The pipeline benchmark: on one local multi-process site (three edge Kafka processes, a cloud
 * Kafka process behind a real link when run as root), ingest against ProducerPerformance, the
 * uplink against MirrorMaker 2, then on the flowing pipeline latency, memory, failover and the
 * drain after an outage. Writes pipeline.md, pipeline.csv, ratios.png, drain.png and drain.csv.
 */
public final class PipelineBenchmark {

    private static final int DRAIN_LINK_KBIT = 20_000;
    private static final int UPLINK_RECORD_BYTES = 200_000;

    /** How much of everything a run does: the full run, or the short one CI runs to keep the benchmark working. */
    public record Plan(String name, List<IngestBenchmark.Size> ingestSizes, int ingestRounds, int uplinkRecords, int uplinkRounds,
                       List<Rate> rates, int cameraIntervalMs, Duration steady, int failoverTrials, Duration outage) {

        public static Plan full() {
            return new Plan("full", List.of(new IngestBenchmark.Size("50KB", 50_000, 1200), new IngestBenchmark.Size("200KB", 200_000, 500),
                    new IngestBenchmark.Size("1MB", 1_000_000, 120)), 3, 1500, 3,
                    List.of(new Rate("0.5", 0.5, 30), new Rate("2", 2, 60), new Rate("5", 5, 100), new Rate("20", 20, 300),
                            new Rate("burst", 0, 100)),
                    50, Duration.ofSeconds(90), 5, Duration.ofSeconds(60));
        }

        public static Plan quick() {
            return new Plan("quick", List.of(new IngestBenchmark.Size("50KB", 50_000, 150), new IngestBenchmark.Size("200KB", 200_000, 60),
                    new IngestBenchmark.Size("1MB", 1_000_000, 20)), 1, 300, 1,
                    List.of(new Rate("0.5", 0.5, 8), new Rate("5", 5, 40), new Rate("burst", 0, 50)),
                    100, Duration.ofSeconds(20), 1, Duration.ofSeconds(20));
        }
    }

    private final Plan plan;
    private final Path out;
    private final Path referenceLibs;
    private final PrintStream console;

    /** The parts a run can do; {@code --only} picks some. */
    public static final Set<String> PARTS = new LinkedHashSet<>(List.of("ingest", "uplink", "flow"));

    private final Path data;
    private final Set<String> parts;

    public PipelineBenchmark(Plan plan, Set<String> parts, Path out, Path data, Path referenceLibs, PrintStream console) {
        this.parts = parts;
        this.plan = plan;
        this.out = out;
        this.data = data;
        this.referenceLibs = referenceLibs;
        this.console = console;
    }

    /** Runs every part and writes the figures. The working data is removed after a run that completes, and kept (with its logs) after one that fails. */
    public void run() throws IOException, InterruptedException {
        Files.createDirectories(out);
        FileUtil.removeDir(data.toFile());
        Files.createDirectories(data);
        long started = System.nanoTime();
        List<BenchResult> results = new ArrayList<>();
        List<DrainSample> drain = List.of();
        List<RateLatencyBenchmark.Figures> byRate = new ArrayList<>();
        // As deployed: the JVM picks its own collector and compiles fully, as under the systemd unit.
        LocalClusters clusters = LocalClusters.create(data, SiteProcess.Jvm.AS_DEPLOYED);
        Thread cleanup = new Thread(clusters::close, "cefiot-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        boolean drainRun = clusters.link().isReal();
        try {
            console.printf("Pipeline benchmark (%s run), working data in %s%n", plan.name(), data);
            clusters.start(console);
            if (parts.contains("ingest")) {
                results.addAll(new IngestBenchmark(clusters, referenceLibs, console).run(plan.ingestSizes(), plan.ingestRounds()));
                elapsed(started);
            }
            if (parts.contains("uplink")) {
                results.addAll(new UplinkBenchmark(clusters, referenceLibs, console).run(UPLINK_RECORD_BYTES, plan.uplinkRecords(),
                        plan.uplinkRounds()));
                elapsed(started);
            }
            if (parts.contains("flow")) {
                drain = flow(clusters, results, byRate, started, drainRun);
            }
        } catch (RuntimeException | InterruptedException e) {
            console.println("The benchmark stopped: " + e.getMessage() + "\nEvery process's log is in " + clusters.logs());
            throw e;
        } finally {
            clusters.close();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        write(results, byRate, drain, (System.nanoTime() - started) / 1e9, drainRun);
        FileUtil.removeDir(data.toFile());
    }

    /**
     * On the pipeline: latency by camera rate, then under steady traffic latency and memory, failover,
     * and the drain (which needs the real link). Returns the drain's samples.
     */
    private List<DrainSample> flow(LocalClusters clusters, List<BenchResult> results, List<RateLatencyBenchmark.Figures> byRate,
                                   long started, boolean drainRun) throws IOException, InterruptedException {
        try (FlowBenchmark flow = new FlowBenchmark(clusters, plan.cameraIntervalMs(), console)) {
            byRate.addAll(flow.latencyByRate(referenceLibs, plan.rates()));
            results.addAll(RateLatencyBenchmark.results(byRate));
            elapsed(started);
            flow.start();
            results.addAll(flow.latencyAndFootprint(plan.steady()));
            elapsed(started);
            results.addAll(flow.failover(plan.failoverTrials()));
            elapsed(started);
            if (!drainRun) {
                console.println("Drain: not run; cutting and limiting the link needs root (a network namespace and tc).");
                return List.of();
            }
            List<DrainSample> drain = flow.drain(plan.outage(), DRAIN_LINK_KBIT);
            results.addAll(DrainFigures.of(drain, DRAIN_LINK_KBIT, plan.outage().toSeconds()));
            return drain;
        }
    }

    private void elapsed(long started) {
        console.printf("  (%.0f s so far)%n", (System.nanoTime() - started) / 1e9);
    }

    private void write(List<BenchResult> results, List<RateLatencyBenchmark.Figures> byRate, List<DrainSample> drain, double seconds,
                       boolean drainRun) throws IOException {
        List<String> csv = new ArrayList<>();
        csv.add(BenchResult.csvHeader());
        results.forEach(r -> csv.add(r.csvLine()));
        Files.write(out.resolve("pipeline.csv"), csv);
        BenchCharts.ratios(results, out.resolve("ratios.png"));
        List<String> md = new ArrayList<>();
        md.add("# Pipeline benchmark (" + plan.name() + " run), " + Instant.now());
        md.add("");
        md.add(String.format(Locale.ROOT, "Made by `./cefiot bench%s` in %.0f s on %d cores: 3 edge Kafka nodes and 1 cloud Kafka node, "
                + "each its own JVM, %s. In the ingest and uplink comparisons each stage and each reference tool ran "
                + "as its own JVM with the same options, as the systemd unit runs a stage (-Xmx256m; Kafka nodes -Xmx512m); "
                + "in the flow (latency, footprint, failover, drain) each stage ran with the JVM options its k3s pod ships "
                + "with (%s for ingest). Ours and the reference "
                + "alternate on the same clusters; each figure is the median of %d round(s).", plan.name().equals("quick") ? " --quick" : "",
                seconds, Runtime.getRuntime().availableProcessors(),
                drainRun ? "the cloud node in its own network namespace behind a veth link" : "the cloud node on loopback (not root: no link)",
                String.join(" ", K3sStage.sized(Stage.INGEST, Side.EDGE).jvmOptions()), plan.ingestRounds()));
        md.add("");
        md.add("ProducerPerformance runs with the ingest stage's producer settings (" + String.join(", ",
                IngestBenchmark.ingestProducerSettings()) + "), MirrorMaker 2 with its defaults but for replication factors "
                + "the one-node cloud can hold; the uplink's rate counts from the first record either copies.");
        md.add("");
        md.add(BenchResult.markdownHeader());
        results.forEach(r -> md.add(r.markdownLine()));
        md.add("");
        md.add("![ratios](ratios.png)");
        if (!byRate.isEmpty()) {
            BenchCharts.latencyByRate(byRate, out.resolve("latency.png"));
            md.add("");
            md.add("Latency rows: each rate is a camera of its own on the running pipeline, its images timed from capture until "
                    + "a consumer can read them on the edge topic (acks=all: every in-sync replica has them) and on the cloud topic "
                    + "(read_committed). EndToEndLatency sends one record at a time (acks=all) and times it until consumed; "
                    + "MirrorMaker 2 copies a topic that ProducerPerformance fills at the same rate with records of the same size, "
                    + "timed from the producer's timestamp until readable in the cloud.");
            md.add("");
            md.add("![latency by rate](latency.png)");
        }
        if (!drain.isEmpty()) {
            List<String> drainCsv = new ArrayList<>();
            drainCsv.add("seconds,phase,cloud_mbit_s,link_mbit_s,backlog_records");
            drain.forEach(s -> drainCsv.add(String.format(Locale.ROOT, "%.1f,%s,%.3f,%.3f,%d", s.atSeconds(), s.phase(),
                    s.goodputMbit(), s.wireMbit(), s.backlog())));
            Files.write(out.resolve("drain.csv"), drainCsv);
            BenchCharts.drain(drain, DRAIN_LINK_KBIT, out.resolve("drain.png"));
            md.add("");
            md.add("![drain](drain.png)");
        }
        Files.write(out.resolve("pipeline.md"), md);
        console.println();
        md.forEach(console::println);
        console.println("Figures: " + out.resolve("pipeline.md") + ", pipeline.csv, ratios.png" + (byRate.isEmpty() ? "" : ", latency.png")
                + (drain.isEmpty() ? "" : ", drain.png, drain.csv"));
    }
}
