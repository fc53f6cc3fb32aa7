package io.cefiot.bench;

import io.cefiot.contract.ImageHeaders;
import io.cefiot.clients.ClusterAccess;
import io.cefiot.runtime.ClusterPreflight;
import io.cefiot.localsite.LocalClusters;
import io.cefiot.localsite.SiteProcess;
import io.cefiot.site.Setting;
import io.cefiot.site.SiteConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Time to safety at camera rates from a quiet camera to a burst, on the running pipeline, beside
 * the same paths through Kafka's own tools in the same run: a camera of its own per rate, its
 * images timed from capture until they can be read on the edge topic (acknowledged by every
 * in-sync replica) and on the cloud topic (committed); {@code EndToEndLatency} for produce to
 * consume on the edge cluster, and MirrorMaker 2 copying a topic that ProducerPerformance fills
 * at the same rate, timed from produce until readable in the cloud.
 */
final class RateLatencyBenchmark {

    /** A camera rate: images per second (0 for a burst, as fast as the camera draws) and how many images. */
    record Rate(String label, double perSecond, int images) {

        boolean burst() {
            return perSecond <= 0;
        }

        String scenario() {
            return burst() ? "burst of " + images + " images" : String.format(Locale.ROOT, "%s images/s (%d images)", label, images);
        }
    }

    /** One rate's figures, for the table and the plot. */
    record Figures(Rate rate, double edgeP50, double edgeP99, double endToEndP50, double endToEndP99, double cloudP50,
                   double cloudP99, double mirrorMakerP50, double mirrorMakerP99) {
    }

    private static final Pattern END_TO_END_PERCENTILES = Pattern.compile("Percentiles: 50th = (\\d+), 99th = (\\d+)");
    private static final String MIRROR_TOPIC = FlowBenchmark.SITE_ID + ".latency-reference";
    private static final String END_TO_END_TOPIC = FlowBenchmark.SITE_ID + ".latency-end-to-end";

    private final LocalClusters clusters;
    private final Path referenceLibs;
    private final Path siteDir;
    private final String ingestedTopic;
    private final String enrichedTopic;
    private final PrintStream out;

    RateLatencyBenchmark(LocalClusters clusters, Path referenceLibs, Path siteDir, String ingestedTopic, String enrichedTopic,
                         PrintStream out) {
        this.clusters = clusters;
        this.referenceLibs = referenceLibs;
        this.siteDir = siteDir;
        this.ingestedTopic = ingestedTopic;
        this.enrichedTopic = enrichedTopic;
        this.out = out;
    }

    /** Needs the pipeline's stages running and its own camera not yet started. */
    List<Figures> run(List<Rate> rates) throws IOException, InterruptedException {
        out.println("Latency by camera rate: ours (capture to edge, to cloud) beside EndToEndLatency and MirrorMaker 2...");
        ClusterPreflight.ensureTopics(ClusterAccess.plaintext("bench", clusters.edgeKafka().bootstrapServers()),
                List.of(MIRROR_TOPIC, END_TO_END_TOPIC), 6, Duration.ofSeconds(60), t -> Map.of());
        // Not counted: the first images meet stages that are still joining their groups.
        ours(new Rate("warm-up", 0, 10), "lat-warm-up");
        SiteProcess mirrorMaker = clusters.tool("mirror-maker-2-latency", "edge-2", referenceLibs,
                "org.apache.kafka.connect.mirror.MirrorMaker",
                List.of(UplinkBenchmark.mirrorMakerProperties(clusters, siteDir, MIRROR_TOPIC).toString()));
        mirrorMaker.start();
        try {
            mirrorMakerWarmUp();
            List<Figures> figures = new ArrayList<>();
            int n = 0;
            for (Rate rate : rates) {
                n++;
                double[] edgeAndCloud = ours(rate, "lat-" + n);
                double[] endToEnd = endToEnd(rate, n);
                double[] mirror = mirrorMaker(rate, n);
                Figures f = new Figures(rate, edgeAndCloud[0], edgeAndCloud[1], endToEnd[0], endToEnd[1], edgeAndCloud[2],
                        edgeAndCloud[3], mirror[0], mirror[1]);
                out.printf(Locale.ROOT, "  %s: capture to edge p50 %.0f / p99 %.0f ms (EndToEndLatency %.0f / %.0f); "
                                + "to cloud p50 %.0f / p99 %.0f ms (MirrorMaker 2 %.0f / %.0f)%n", rate.scenario(), f.edgeP50(),
                        f.edgeP99(), f.endToEndP50(), f.endToEndP99(), f.cloudP50(), f.cloudP99(), f.mirrorMakerP50(),
                        f.mirrorMakerP99());
                figures.add(f);
            }
            return figures;
        } finally {
            mirrorMaker.stop();
        }
    }

    /** A camera of its own at this rate through the pipeline: p50 and p99 to the edge, then to the cloud, in ms. */
    private double[] ours(Rate rate, String cameraId) throws InterruptedException {
        Map<String, String> settings = clusters.siteSettings(FlowBenchmark.SITE_ID, siteDir);
        settings.put(Setting.CAMERA_SOURCE.key(), SiteConfig.SYNTHETIC_SOURCE);
        settings.put(Setting.CAMERA_IDS.key(), cameraId);
        settings.put(Setting.CAMERA_IMAGES.key(), Integer.toString(rate.images()));
        settings.put(Setting.CAMERA_INTERVAL_MS.key(), Long.toString(rate.burst() ? 1 : Math.round(1000 / rate.perSecond())));
        Path config = LocalClusters.writeSettings(siteDir.resolve(cameraId + ".properties"), "CEFIoT latency camera " + rate.label(),
                settings);
        SiteProcess camera = clusters.stage("camera-" + cameraId, "edge-0", "camera", config);
        try (LatencyProbe edge = new LatencyProbe(clusters.edgeKafka().bootstrapServers(), ingestedTopic,
                r -> cameraId.equals(key(r)), RateLatencyBenchmark::captureMillis);
             LatencyProbe cloud = new LatencyProbe(clusters.cloudKafka().bootstrapServers(), enrichedTopic,
                     r -> cameraId.equals(key(r)), RateLatencyBenchmark::captureMillis)) {
            camera.start();
            Duration timeout = Duration.ofSeconds(120 + (rate.burst() ? 0 : (long) (rate.images() / rate.perSecond())));
            cloud.awaitSeen(rate.images(), timeout, "camera " + cameraId + "'s images in the cloud");
            edge.awaitSeen(rate.images(), Duration.ofSeconds(10), "camera " + cameraId + "'s images at the edge");
            return new double[] {Stats.percentile(edge.latenciesMillis(), 50), Stats.percentile(edge.latenciesMillis(), 99),
                    Stats.percentile(cloud.latenciesMillis(), 50), Stats.percentile(cloud.latenciesMillis(), 99)};
        } finally {
            camera.stop();
        }
    }

    /** Kafka's EndToEndLatency on the edge cluster: one record at a time, produced (acks=all) and consumed; p50 and p99 in ms. */
    private double[] endToEnd(Rate rate, int n) throws InterruptedException {
        String log = ToolRun.toCompletion(clusters, "end-to-end-latency-" + n, referenceLibs, "org.apache.kafka.tools.EndToEndLatency",
                List.of("--bootstrap-server", clusters.edgeKafka().bootstrapServers(), "--topic", END_TO_END_TOPIC,
                        "--num-records", Integer.toString(rate.images()), "--producer-acks", "all",
                        "--record-size", Integer.toString(FlowBenchmark.MEAN_IMAGE_BYTES)), Duration.ofMinutes(5));
        Matcher m = END_TO_END_PERCENTILES.matcher(log);
        if (!m.find()) {
            throw new IllegalStateException("EndToEndLatency printed no percentiles; see its log in " + clusters.logs());
        }
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    /** ProducerPerformance fills the reference topic at the rate, MirrorMaker 2 copies it: produce to readable in the cloud, ms. */
    private double[] mirrorMaker(Rate rate, int n) throws InterruptedException {
        try (LatencyProbe cloud = new LatencyProbe(clusters.cloudKafka().bootstrapServers(), "edge." + MIRROR_TOPIC, r -> true,
                ConsumerRecord::timestamp)) {
            produce("producer-performance-latency-" + n, rate.images(), rate.burst() ? -1 : rate.perSecond());
            cloud.awaitSeen(rate.images(), Duration.ofSeconds(120), "MirrorMaker 2's copies in the cloud");
            return new double[] {Stats.percentile(cloud.latenciesMillis(), 50), Stats.percentile(cloud.latenciesMillis(), 99)};
        }
    }

    /** MirrorMaker 2 starts, finds the topic and copies its first records: not timed. */
    private void mirrorMakerWarmUp() throws InterruptedException {
        produce("producer-performance-latency-warm-up", 10, -1);
        try (TopicProbe cloud = new TopicProbe(clusters.cloudKafka().bootstrapServers())) {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (endOffsets(cloud) < 10) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("MirrorMaker 2 copied nothing within 3 minutes; see its log in " + clusters.logs());
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
        }
    }

    private static long endOffsets(TopicProbe cloud) {
        try {
            return cloud.endOffsetSum("edge." + MIRROR_TOPIC);
        } catch (RuntimeException notCreatedYet) {
            return 0;
        }
    }

    private void produce(String name, int records, double perSecond) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("--topic", MIRROR_TOPIC, "--num-records", Integer.toString(records),
                "--record-size", Integer.toString(FlowBenchmark.MEAN_IMAGE_BYTES), "--throughput",
                perSecond <= 0 ? "-1" : String.format(Locale.ROOT, "%.2f", perSecond),
                "--bootstrap-server", clusters.edgeKafka().bootstrapServers(), "--command-property"));
        command.addAll(IngestBenchmark.ingestProducerSettings());
        ToolRun.toCompletion(clusters, name, referenceLibs, "org.apache.kafka.tools.ProducerPerformance", command,
                Duration.ofMinutes(10));
    }

    /** The table's rows: per rate, p50 and p99 to the edge (beside EndToEndLatency) and to the cloud (beside MirrorMaker 2, goal ≤ 1). */
    static List<BenchResult> results(List<Figures> figures) {
        List<BenchResult> results = new ArrayList<>();
        for (Figures f : figures) {
            String scenario = f.rate().scenario();
            String endToEnd = "EndToEndLatency produce to consume";
            String mirror = "MirrorMaker 2 produce to cloud";
            results.add(BenchResult.comparedAtMost("latency", scenario, "capture to edge p50", "ms", f.edgeP50(), endToEnd,
                    f.endToEndP50(), Double.NaN));
            results.add(BenchResult.comparedAtMost("latency", scenario, "capture to edge p99", "ms", f.edgeP99(), endToEnd,
                    f.endToEndP99(), Double.NaN));
            results.add(BenchResult.comparedAtMost("latency", scenario, "capture to cloud p50", "ms", f.cloudP50(), mirror,
                    f.mirrorMakerP50(), 1.0));
            results.add(BenchResult.comparedAtMost("latency", scenario, "capture to cloud p99", "ms", f.cloudP99(), mirror,
                    f.mirrorMakerP99(), 1.0));
        }
        return results;
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    private static long captureMillis(ConsumerRecord<byte[], byte[]> record) {
        var header = record.headers().lastHeader(ImageHeaders.CAPTURE_TIME);
        return Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
    }
}
