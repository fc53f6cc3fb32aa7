package io.cefiot.bench;

import io.cefiot.contract.SpoolFileName;
import io.cefiot.clients.ClusterAccess;
import io.cefiot.runtime.ClusterPreflight;
import io.cefiot.localsite.LocalClusters;
import io.cefiot.localsite.SiteProcess;
import io.cefiot.site.Setting;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ingest against Kafka's own producer tool: images per second from the spool into the 3-node
 * edge cluster (acks=all) by the ingest stage, and records per second of the same size by
 * {@code org.apache.kafka.tools.ProducerPerformance} on an identical topic of the same cluster,
 * alternating, each its own JVM with the same options.
 */
final class IngestBenchmark {

    /** One image size: its label, its target size, and how many images a round sends. */
    record Size(String label, int bytes, int images) {
    }

    private static final Pattern PRODUCER_PERFORMANCE_TOTAL =
            Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\)");
    private static final Duration STALL = Duration.ofSeconds(90);

    private final LocalClusters clusters;
    private final Path referenceLibs;
    private final PrintStream out;

    IngestBenchmark(LocalClusters clusters, Path referenceLibs, PrintStream out) {
        this.clusters = clusters;
        this.referenceLibs = referenceLibs;
        this.out = out;
    }

    List<BenchResult> run(List<Size> sizes, int rounds) throws IOException, InterruptedException {
        List<BenchResult> results = new ArrayList<>();
        for (Size size : sizes) {
            results.addAll(run(size, rounds));
        }
        return results;
    }

    private List<BenchResult> run(Size size, int rounds) throws IOException, InterruptedException {
        String siteId = "bench-ingest-" + size.label().toLowerCase(Locale.ROOT);
        Path siteDir = clusters.dir().resolve(siteId);
        Map<String, String> settings = clusters.siteSettings(siteId, siteDir);
        settings.put(Setting.SPOOL_MAX_IMAGE_BYTES.key(), Integer.toString(Math.max(8 * 1024 * 1024, size.bytes() * 2)));
        Path config = LocalClusters.writeSettings(siteDir.resolve("site.properties"), "CEFIoT ingest benchmark", settings);
        Path spool = siteDir.resolve("spool");
        Path staging = siteDir.resolve("staging");
        Files.createDirectories(spool);
        Files.createDirectories(staging);
        String topic = siteId + ".images.ingested";
        String referenceTopic = siteId + ".producer-performance";
        List<byte[]> images = BenchJpegs.ofSize(size.bytes(), 8, size.bytes());
        int meanBytes = (int) images.stream().mapToInt(b -> b.length).average().orElseThrow();
        out.printf("Ingest, %s JPEGs (mean %,d bytes), %d per round, %d round(s): the ingest stage vs ProducerPerformance%n",
                size.label(), meanBytes, size.images(), rounds);
        ClusterPreflight.ensureTopics(ClusterAccess.plaintext("bench", clusters.edgeKafka().bootstrapServers()), List.of(referenceTopic), 6,
                Duration.ofSeconds(60), t -> Map.of());

        SiteProcess ingest = clusters.stage("ingest-" + size.label().toLowerCase(Locale.ROOT), "edge-0", "ingest", config);
        ingest.start();
        long sequence = 0;
        List<Double> ours = new ArrayList<>();
        List<Double> reference = new ArrayList<>();
        try (TopicProbe edge = new TopicProbe(clusters.edgeKafka().bootstrapServers())) {
            Runnable alive = () -> {
                if (!ingest.isAlive()) {
                    throw new IllegalStateException("The ingest stage exited; see " + ingest.log());
                }
            };
            // One image first: the stage is up, its topic exists and its producer is connected.
            sequence = spool(images, staging, spool, sequence, 1);
            Counting.until("ingest warm-up", () -> edge.endOffsetSum(topic), 1, Duration.ofMinutes(3), alive);
            // Round 0 warms the stage up and is not counted: ingest is a long-running service, measured
            // as it runs once its code is compiled. Each ProducerPerformance run is a new JVM, as the tool is used.
            for (int round = 0; round <= rounds; round++) {
                // Who goes first alternates, so that neither always follows the other's load.
                boolean referenceFirst = round % 2 == 0 && round > 0;
                double producerPerformance = referenceFirst ? producerPerformance(referenceTopic, size, meanBytes, round) : 0;
                long before = edge.endOffsetSum(topic);
                // Staged whole, then renamed into the spool as the camera publishes: taken at once.
                stage(images, staging, sequence, size.images());
                long started = System.nanoTime();
                sequence = publish(staging, spool, sequence, size.images());
                Counting.Climb climb = Counting.until("ingest of " + size.label(), () -> edge.endOffsetSum(topic),
                        before + size.images(), STALL, alive);
                double imagesPerSecond = size.images() / ((climb.reached().atNanos() - started) / 1e9);
                if (round == 0) {
                    out.printf("  warm-up: ingest %.1f images/s (not counted)%n", imagesPerSecond);
                    continue;
                }
                if (!referenceFirst) {
                    producerPerformance = producerPerformance(referenceTopic, size, meanBytes, round);
                }
                ours.add(imagesPerSecond);
                reference.add(producerPerformance);
                out.printf("  round %d: ingest %.1f images/s, ProducerPerformance %.1f records/s%n", round, imagesPerSecond,
                        producerPerformance);
            }
        } finally {
            ingest.stop();
        }
        double oursMedian = Stats.median(ours);
        double referenceMedian = Stats.median(reference);
        double mib = meanBytes / (1024.0 * 1024.0);
        String scenario = size.label() + " JPEG; acks=all; 3 nodes";
        return List.of(
                BenchResult.compared("ingest", scenario, "images/s", "1/s", oursMedian, "ProducerPerformance", referenceMedian, 0.8),
                BenchResult.compared("ingest", scenario, "throughput", "MiB/s", oursMedian * mib, "ProducerPerformance",
                        referenceMedian * mib, 0.8));
    }

    /** Writes {@code count} images into the staging folder, named as a camera would name them. */
    private static void stage(List<byte[]> images, Path staging, long sequence, int count) throws IOException {
        long now = System.currentTimeMillis();
        for (int i = 0; i < count; i++) {
            long n = sequence + i + 1;
            Files.write(staging.resolve(new SpoolFileName("cam-" + (n % 3 + 1), n, now).fileName()), images.get((int) (n % images.size())));
        }
    }

    /** Moves every staged image into the spool at once (renames on one file system), oldest first. */
    private static long publish(Path staging, Path spool, long sequence, int count) throws IOException {
        try (var files = Files.list(staging)) {
            for (Path file : files.sorted().toList()) {
                Files.move(file, spool.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return sequence + count;
    }

    private static long spool(List<byte[]> images, Path staging, Path spool, long sequence, int count) throws IOException {
        stage(images, staging, sequence, count);
        return publish(staging, spool, sequence, count);
    }

    /**
     * The producer settings the ingest stage runs with (Camel's Kafka component options in the
     * jar's application.properties), as Kafka's names, for ProducerPerformance; the rest stays at
     * Kafka's defaults on both sides.
     */
    static List<String> ingestProducerSettings() {
        Map<String, String> kafkaNames = Map.of(
                "camel.component.kafka.request-required-acks", "acks",
                "camel.component.kafka.enable-idempotence", "enable.idempotence",
                "camel.component.kafka.max-in-flight-request", "max.in.flight.requests.per.connection",
                "camel.component.kafka.max-request-size", "max.request.size",
                "camel.component.kafka.producer-batch-size", "batch.size");
        Properties properties = new Properties();
        try (InputStream in = IngestBenchmark.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("Cannot read the stages' application.properties from the jar", e);
        }
        return kafkaNames.entrySet().stream().filter(e -> properties.containsKey(e.getKey()))
                .map(e -> e.getValue() + "=" + properties.getProperty(e.getKey()).trim()).sorted().toList();
    }

    /** Runs ProducerPerformance to the end and returns the records per second it reports. */
    private double producerPerformance(String topic, Size size, int recordBytes, int round) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("--topic", topic, "--num-records", Integer.toString(size.images()),
                "--record-size", Integer.toString(recordBytes), "--throughput", "-1",
                "--bootstrap-server", clusters.edgeKafka().bootstrapServers(), "--command-property"));
        command.addAll(ingestProducerSettings());
        String log = ToolRun.toCompletion(clusters, "producer-performance-" + size.label().toLowerCase(Locale.ROOT) + "-" + round,
                referenceLibs, "org.apache.kafka.tools.ProducerPerformance", command, Duration.ofMinutes(10));
        Matcher total = null;
        for (Matcher m = PRODUCER_PERFORMANCE_TOTAL.matcher(log); m.find(); ) {
            total = PRODUCER_PERFORMANCE_TOTAL.matcher(m.group());
            total.matches();
        }
        if (total == null || Long.parseLong(total.group(1)) != size.images()) {
            throw new IllegalStateException("ProducerPerformance's summary line is missing from its log in " + clusters.logs());
        }
        return Double.parseDouble(total.group(2));
    }
}
