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
 * the same image bytes stored under two archive entries. Duplicates on the cloud topic: more
 * than one record for one (camera, sequence) on the topic the archive reads, with
 * read_committed. Out of order: records of a camera on that topic after a later sequence of
 * the same camera. Failover: from the fault to the first image captured after it that was
 * archived.
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
        final List<Long> failoverMillis = new ArrayList<>();
        int notRecovered;
    }

    private final Map<String, Row> rows = new TreeMap<>();
    private final long totalCaptured;
    private final long totalLost;
    private final long totalArchivedTwice;

    private FaultMatrix(List<Trial> trials, List<Captured> captured, List<Archived> archived, List<String[]> cloudRecords) {
        Map<String, Archived> archivedById = new HashMap<>();
        Map<String, Long> pathsPerHash = new HashMap<>();
        for (Archived a : archived) {
            archivedById.put(id(a.camera(), a.sequence()), a);
            pathsPerHash.merge(a.sha256(), 1L, Long::sum);
        }
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
            row.cloudDuplicates += Math.max(0, copiesOnTopic.getOrDefault(id, 0L) - 1);
            row.outOfOrder += outOfOrderById.getOrDefault(id, 0L);
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
    }

    static FaultMatrix of(ChaosSite site, List<Trial> trials) {
        return new FaultMatrix(trials, SiteRecords.readCaptureLog(site.captureLog()), SiteRecords.readArchive(site.archive()),
                readTopic(site.cloudKafka.bootstrapServers(), site.topicReadByArchive()));
    }

    boolean passed() {
        return totalLost == 0 && totalArchivedTwice == 0 && rows.values().stream().allMatch(r -> r.notRecovered == 0);
    }

    long captured() {
        return totalCaptured;
    }

    long lost() {
        return totalLost;
    }

    /** The matrix as a Markdown table. */
    String table() {
        StringBuilder out = new StringBuilder();
        out.append("| fault | trials | captured | archived | lost | archived twice | duplicates on cloud topic | "
                + "out of per-camera order | failover max (s) | failover median (s) |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (String name : order()) {
            Row row = rows.get(name);
            List<Long> sorted = row.failoverMillis.stream().sorted().toList();
            String max = sorted.isEmpty() ? "-" : seconds(sorted.get(sorted.size() - 1));
            String median = sorted.isEmpty() ? "-" : seconds(sorted.get(sorted.size() / 2));
            if (row.notRecovered > 0) {
                max = max + " (" + row.notRecovered + " not recovered)";
            }
            out.append(String.format("| %s | %d | %d | %d | %d | %d | %d | %d | %s | %s |%n", name.toLowerCase().replace('_', ' '),
                    row.trials, row.captured, row.archived, row.lost, row.archivedTwice, row.cloudDuplicates, row.outOfOrder,
                    max, median));
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
