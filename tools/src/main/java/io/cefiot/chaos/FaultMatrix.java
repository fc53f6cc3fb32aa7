package io.cefiot.chaos;

import io.cefiot.localsite.SiteRecords;
import io.cefiot.localsite.SiteRecords.Archived;
import io.cefiot.localsite.SiteRecords.Captured;

import io.cefiot.contract.ImageHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a chaos run did to the images, per fault kind. Each image belongs to the trial during
 * which it was captured (from its injection to the next one's); images captured before the
 * first fault form the baseline row. Lost: captured but not in the archive. Archived twice:
 * the same image bytes stored under two archive entries. Duplicates on the cloud topic: copies
 * of an image on the topic the archive reads (with read_committed) beyond its copies on the
 * edge topic the uplink copies, that is, edge records the uplink wrote twice. Out of order: first
 * copies of a camera's images on that cloud topic behind a later sequence of the same camera.
 * Repeats at the edge: second copies of an image already on the edge topic (ingest and enrich
 * are at least once: a replica killed between its write and its commit does it again; the
 * archive's repeat rule stores the image once). Failover: from the fault to the first image
 * captured after it that was archived.
 */
final class FaultMatrix {

    static final class Row {
        int trials;
        long captured;
        long archived;
        long lost;
        long archivedTwice;
        long cloudDuplicates;
        long outOfOrder;
        long edgeRepeats;
        final List<Long> failoverMillis = new ArrayList<>();
        int notRecovered;
    }

    private final Map<String, Row> rows = new TreeMap<>();
    private final long totalCaptured;
    private final long totalLost;
    private final long totalArchivedTwice;
    private final long totalCloudDuplicates;
    private final long totalOutOfOrder;

    private FaultMatrix(List<Trial> trials, List<Captured> captured, List<Archived> archived, List<String[]> cloudRecords,
                        List<String[]> edgeRecords) {
        Map<String, Archived> archivedById = new HashMap<>();
        Map<String, Long> pathsPerHash = new HashMap<>();
        for (Archived a : archived) {
            archivedById.put(id(a.camera(), a.sequence()), a);
            pathsPerHash.merge(a.sha256(), 1L, Long::sum);
        }
        Map<String, Long> copiesOnEdge = new HashMap<>();
        edgeRecords.forEach(record -> copiesOnEdge.merge(id(record[0], Long.parseLong(record[1])), 1L, Long::sum));
        Map<String, Long> copiesOnTopic = new HashMap<>();
        Map<String, Long> highestSeen = new HashMap<>();
        Map<String, Long> outOfOrderById = new HashMap<>();
        for (String[] record : cloudRecords) {
            String camera = record[0];
            long sequence = Long.parseLong(record[1]);
            String id = id(camera, sequence);
            long copies = copiesOnTopic.merge(id, 1L, Long::sum);
            long highest = highestSeen.getOrDefault(camera, -1L);
            if (copies == 1 && sequence < highest) {
                outOfOrderById.put(id, 1L);
            }
            highestSeen.put(camera, Math.max(highest, sequence));
        }
        long lostTotal = 0;
        long twiceTotal = 0;
        long duplicatesTotal = 0;
        long outOfOrderTotal = 0;
        for (Captured c : captured) {
            Row row = rows.computeIfAbsent(rowOf(trials, c.capturedAt()), k -> new Row());
            String id = id(c.camera(), c.sequence());
            row.captured++;
            Archived a = archivedById.get(id);
            if (a == null || !a.sha256().equals(c.sha256())) {
                row.lost++;
                lostTotal++;
            } else {
                row.archived++;
                if (pathsPerHash.get(a.sha256()) > 1) {
                    row.archivedTwice++;
                    twiceTotal++;
                }
            }
            long onEdge = copiesOnEdge.getOrDefault(id, 0L);
            long duplicates = Math.max(0, copiesOnTopic.getOrDefault(id, 0L) - Math.max(1, onEdge));
            row.cloudDuplicates += duplicates;
            duplicatesTotal += duplicates;
            row.outOfOrder += outOfOrderById.getOrDefault(id, 0L);
            outOfOrderTotal += outOfOrderById.getOrDefault(id, 0L);
            row.edgeRepeats += Math.max(0, onEdge - 1);
        }
        for (Trial trial : trials) {
            Row row = rows.computeIfAbsent(trial.kind().name(), k -> new Row());
            row.trials++;
            long firstArchived = captured.stream().filter(c -> c.capturedAt() >= trial.injectedAt())
                    .map(c -> archivedById.get(id(c.camera(), c.sequence())))
                    .filter(a -> a != null).mapToLong(Archived::archivedAt).min().orElse(-1);
            if (firstArchived < 0) {
                row.notRecovered++;
            } else {
                row.failoverMillis.add(Math.max(0, firstArchived - trial.injectedAt()));
            }
        }
        this.totalCaptured = captured.size();
        this.totalLost = lostTotal;
        this.totalArchivedTwice = twiceTotal;
        this.totalCloudDuplicates = duplicatesTotal;
        this.totalOutOfOrder = outOfOrderTotal;
    }

    static FaultMatrix of(ChaosSite site, List<Trial> trials) {
        return new FaultMatrix(trials, SiteRecords.readCaptureLog(site.captureLog()), SiteRecords.readArchive(site.archive()),
                readTopic(site.cloudKafka.bootstrapServers(), site.topicReadByArchive()),
                readTopic(site.edgeKafka.bootstrapServers(), site.topicCopiedByUplink()));
    }

    /** Nothing lost, archived twice, copied twice to the cloud or out of order there, and every fault recovered from. */
    boolean passed() {
        return totalLost == 0 && totalArchivedTwice == 0 && totalCloudDuplicates == 0 && totalOutOfOrder == 0
                && rows.values().stream().allMatch(r -> r.notRecovered == 0);
    }

    /** What went wrong, for the verdict line: "3 lost, 2 copied twice to the cloud", or empty when it passed. */
    String failures() {
        List<String> failures = new ArrayList<>();
        if (totalLost > 0) {
            failures.add(totalLost + " of " + totalCaptured + " images lost");
        }
        if (totalArchivedTwice > 0) {
            failures.add(totalArchivedTwice + " archived twice");
        }
        if (totalCloudDuplicates > 0) {
            failures.add(totalCloudDuplicates + " copied twice to the cloud topic");
        }
        if (totalOutOfOrder > 0) {
            failures.add(totalOutOfOrder + " out of per-camera order on the cloud topic");
        }
        long notRecovered = rows.values().stream().mapToLong(r -> r.notRecovered).sum();
        if (notRecovered > 0) {
            failures.add(notRecovered + " faults not recovered from");
        }
        return String.join(", ", failures);
    }

    long captured() {
        return totalCaptured;
    }

    /** The matrix as a Markdown table. */
    String table() {
        StringBuilder out = new StringBuilder();
        out.append("| fault | trials | captured | archived | lost | archived twice | duplicates on cloud topic | "
                + "out of per-camera order | repeats at the edge | failover max (s) | failover median (s) |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (String name : order()) {
            Row row = rows.get(name);
            List<Long> sorted = row.failoverMillis.stream().sorted().toList();
            String max = sorted.isEmpty() ? "-" : seconds(sorted.get(sorted.size() - 1));
            String median = sorted.isEmpty() ? "-" : seconds(sorted.get(sorted.size() / 2));
            if (row.notRecovered > 0) {
                max = max + " (" + row.notRecovered + " not recovered)";
            }
            out.append(String.format("| %s | %d | %d | %d | %d | %d | %d | %d | %d | %s | %s |%n", name.toLowerCase().replace('_', ' '),
                    row.trials, row.captured, row.archived, row.lost, row.archivedTwice, row.cloudDuplicates, row.outOfOrder,
                    row.edgeRepeats, max, median));
        }
        return out.toString();
    }

    private List<String> order() {
        List<String> names = new ArrayList<>();
        if (rows.containsKey("BASELINE")) {
            names.add("BASELINE");
        }
        for (FaultKind kind : FaultKind.values()) {
            if (rows.containsKey(kind.name())) {
                names.add(kind.name());
            }
        }
        return names;
    }

    private static String seconds(long millis) {
        return String.format("%.1f", millis / 1000.0);
    }

    private static String rowOf(List<Trial> trials, long capturedAt) {
        String row = "BASELINE";
        for (Trial trial : trials) {
            if (trial.injectedAt() <= capturedAt) {
                row = trial.kind().name();
            }
        }
        return row;
    }

    private static String id(String camera, long sequence) {
        return camera + "/" + sequence;
    }

    /** (camera, sequence) of every committed record of the topic, in partition order. */
    static List<String[]> readTopic(String bootstrapServers, String topic) {
        List<String[]> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "cefiot-chaos-check-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 10 * 1024 * 1024),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    records.add(new String[] {header(record, ImageHeaders.CAMERA), header(record, ImageHeaders.SEQUENCE)});
                }
            }
        }
        return records;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "?" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
