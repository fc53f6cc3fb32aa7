package io.cefiot.bench;

import io.cefiot.contract.ImageHeaders;
import io.cefiot.clients.ClusterAccess;
import io.cefiot.runtime.ClusterPreflight;
import io.cefiot.localsite.LocalClusters;
import io.cefiot.localsite.SiteProcess;
import io.cefiot.site.SiteConfig;
import io.cefiot.site.SitePlan;
import io.cefiot.site.Stage;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The uplink against MirrorMaker 2: one edge topic, filled beforehand, copied to the cloud
 * cluster by the uplink stage and then by MirrorMaker 2 in dedicated mode
 * ({@code org.apache.kafka.connect.mirror.MirrorMaker}, the class connect-mirror-maker.sh runs).
 * The rate counts from the first record either lands in the cloud, so their start-up is left
 * out. Ours is copied exactly once in cloud transactions; MirrorMaker 2 at its defaults copies
 * at least once.
 */
final class UplinkBenchmark {

    private static final Duration STALL = Duration.ofSeconds(120);

    private final LocalClusters clusters;
    private final Path referenceLibs;
    private final PrintStream out;

    UplinkBenchmark(LocalClusters clusters, Path referenceLibs, PrintStream out) {
        this.clusters = clusters;
        this.referenceLibs = referenceLibs;
        this.out = out;
    }

    List<BenchResult> run(int recordBytes, int records, int rounds) throws IOException, InterruptedException {
        out.printf("Uplink, %,d records of %,d bytes per round, %d round(s): the uplink stage vs MirrorMaker 2%n",
                records, recordBytes, rounds);
        List<Double> ours = new ArrayList<>();
        List<Double> mirrorMaker = new ArrayList<>();
        List<Double> oursRss = new ArrayList<>();
        List<Double> mirrorMakerRss = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            String siteId = "bench-uplink-" + round;
            Path siteDir = clusters.dir().resolve(siteId);
            Path config = LocalClusters.writeSettings(siteDir.resolve("site.properties"), "CEFIoT uplink benchmark",
                    clusters.siteSettings(siteId, siteDir));
            SitePlan plan = SitePlan.of(SiteConfig.load(config));
            String topic = plan.stage(Stage.UPLINK).input().orElseThrow().name();
            fill(topic, recordBytes, records, round);
            try (TopicProbe cloud = new TopicProbe(clusters.cloudKafka().bootstrapServers())) {
                SiteProcess uplink = clusters.stage("uplink-" + siteId, "edge-2", "uplink", config);
                PeakMemory uplinkMemory = new PeakMemory(uplink);
                SiteProcess mm2 = clusters.tool("mirror-maker-2-" + round, "edge-2", referenceLibs,
                        "org.apache.kafka.connect.mirror.MirrorMaker", List.of(mirrorMakerProperties(clusters, siteDir, topic).toString()));
                PeakMemory mm2Memory = new PeakMemory(mm2);
                // Who goes first alternates: the first copier shares the machine with the end of the fill.
                boolean oursFirst = round % 2 == 1;
                for (boolean ourTurn : List.of(oursFirst, !oursFirst)) {
                    if (ourTurn) {
                        ours.add(copy(uplink, uplinkMemory, "the uplink", () -> cloud.committedSum(plan.groupId(Stage.UPLINK), topic),
                                records).ratePerSecondAfterFirst());
                        oursRss.add(uplinkMemory.peakMib());
                    } else {
                        mirrorMaker.add(copy(mm2, mm2Memory, "MirrorMaker 2", () -> cloud.endOffsetSum("edge." + topic), records)
                                .ratePerSecondAfterFirst());
                        mirrorMakerRss.add(mm2Memory.peakMib());
                    }
                }
            }
            out.printf("  round %d: uplink %.1f records/s, MirrorMaker 2 %.1f records/s%n", round,
                    ours.get(ours.size() - 1), mirrorMaker.get(mirrorMaker.size() - 1));
        }
        double mib = recordBytes / (1024.0 * 1024.0);
        String scenario = String.format("%d KB records; edge (3 nodes) to cloud", recordBytes / 1000);
        return List.of(
                BenchResult.compared("uplink", scenario, "records/s", "1/s", Stats.median(ours), "MirrorMaker 2",
                        Stats.median(mirrorMaker), 1.0),
                BenchResult.compared("uplink", scenario, "throughput", "MiB/s", Stats.median(ours) * mib, "MirrorMaker 2",
                        Stats.median(mirrorMaker) * mib, 1.0),
                BenchResult.compared("uplink", scenario, "peak RSS of the copying process", "MiB", Stats.median(oursRss),
                        "MirrorMaker 2", Stats.median(mirrorMakerRss), Double.NaN));
    }

    private Counting.Climb copy(SiteProcess copier, PeakMemory memory, String what, LongSupplier copied, long records)
            throws InterruptedException {
        copier.start();
        try {
            return Counting.until(what + "'s copy", () -> {
                memory.sample();
                return copied.getAsLong();
            }, records, STALL, () -> {
                if (!copier.isAlive()) {
                    throw new IllegalStateException(what + " exited; see " + copier.log());
                }
            });
        } finally {
            copier.stop();
        }
    }

    /** Fills the edge topic with records shaped like enriched images: a camera key, contract headers, opaque bytes. */
    private void fill(String topic, int recordBytes, int records, long seed) {
        ClusterPreflight.ensureTopics(ClusterAccess.plaintext("bench", clusters.edgeKafka().bootstrapServers()), List.of(topic), 6, Duration.ofSeconds(60),
                t -> Map.of());
        Random random = new Random(seed);
        byte[][] values = new byte[4][recordBytes];
        for (byte[] value : values) {
            random.nextBytes(value);
        }
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, clusters.edgeKafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 10 * 1024 * 1024), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                String camera = "cam-" + (i % 3 + 1);
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, camera, values[i % values.length]);
                record.headers().add(ImageHeaders.CAMERA, camera.getBytes(StandardCharsets.UTF_8));
                record.headers().add(ImageHeaders.SEQUENCE, Long.toString(i / 3 + 1).getBytes(StandardCharsets.UTF_8));
                producer.send(record, (metadata, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " records could not be written to " + topic);
        }
    }

    /** MirrorMaker 2 in dedicated mode, edge to cloud, this one topic, replication factors the one-node cloud can hold. */
    static Path mirrorMakerProperties(LocalClusters clusters, Path siteDir, String topic) throws IOException {
        List<String> lines = List.of(
                "# MirrorMaker 2 (dedicated mode) for the benchmark: its defaults, but for what this site needs",
                "clusters = edge, cloud",
                "edge.bootstrap.servers = " + clusters.edgeKafka().bootstrapServers(),
                "cloud.bootstrap.servers = " + clusters.cloudKafka().bootstrapServers(),
                "edge->cloud.enabled = true",
                "edge->cloud.topics = " + topic.replace(".", "\\\\."),
                "cloud->edge.enabled = false",
                "edge->cloud.emit.heartbeats.enabled = false",
                "edge->cloud.emit.checkpoints.enabled = false",
                "edge->cloud.sync.group.offsets.enabled = false",
                "sync.topic.acls.enabled = false",
                "replication.factor = 1",
                "checkpoints.topic.replication.factor = 1",
                "heartbeats.topic.replication.factor = 1",
                "offset-syncs.topic.replication.factor = 3",
                "offset.storage.replication.factor = 1",
                "status.storage.replication.factor = 1",
                "config.storage.replication.factor = 1",
                "refresh.topics.interval.seconds = 5");
        return Files.write(siteDir.resolve("mm2.properties"), lines);
    }
}
