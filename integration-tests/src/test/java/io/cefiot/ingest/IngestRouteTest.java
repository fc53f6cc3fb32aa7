package io.cefiot.ingest;

import io.cefiot.camera.SyntheticCamera;
import io.cefiot.contract.ImageHeaders;
import io.cefiot.contract.Sha256;
import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.site.Setting;
import io.cefiot.site.Stage;
import io.cefiot.testing.KafkaClusterExtension;
import io.cefiot.testing.TestSite;
import io.cefiot.testing.UnreadableFile;
import io.cefiot.testing.Topics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class IngestRouteTest {

    @RegisterExtension
    static KafkaClusterExtension edge = new KafkaClusterExtension(1);

    @TempDir
    Path dir;

    @Test
    void should_publish_good_images_and_quarantine_each_kind_of_bad_file_with_its_reason() throws Exception {
        TestSite site = new TestSite(dir).edge(edge.bootstrapServers()).set(Setting.SPOOL_MAX_IMAGE_BYTES, "300000");
        Files.createDirectories(site.spool());
        SyntheticCamera camera = new SyntheticCamera(1, List.of("cam-1"), Clock.systemUTC());
        Map<String, byte[]> good = Map.of(
                "cam-1_000000000001_1764270000000.jpg", camera.draw(1),
                "cam-1_000000000002_1764270001000.jpg", camera.draw(2),
                "cam-2_000000000001_1764270002000.jpg", camera.draw(3));
        byte[] whole = camera.draw(4);
        byte[] oversized = new byte[300001];
        oversized[0] = (byte) 0xFF;
        oversized[1] = (byte) 0xD8;
        Map<String, byte[]> bad = Map.of(
                "cam-1_000000000003_1764270003000.jpg", "not an image at all".getBytes(),
                "cam-1_000000000004_1764270004000.jpg", new byte[0],
                "cam-1_000000000005_1764270005000.jpg", Arrays.copyOf(whole, whole.length / 2),
                "cam-1_000000000006_1764270006000.jpg", oversized,
                "holiday-photo.jpg", whole);
        for (var file : good.entrySet()) {
            Files.write(site.spool().resolve(file.getKey()), file.getValue());
        }
        for (var file : bad.entrySet()) {
            Files.write(site.spool().resolve(file.getKey()), file.getValue());
        }
        UnreadableFile.create(site.spool().resolve("cam-1_000000000007_1764270007000.jpg"));

        try (PipelineRuntime runtime = PipelineRuntime.start(site.config(), List.of(Stage.INGEST))) {
            List<ConsumerRecord<String, byte[]>> records = Topics.readAtLeast(edge.bootstrapServers(),
                    TestSite.SITE_ID + ".images.ingested", 3, Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(30)).until(() -> spoolFiles(site.spool()).isEmpty());

            assertThat(records).hasSize(3);
            Map<String, ConsumerRecord<String, byte[]>> bySha = records.stream()
                    .collect(Collectors.toMap(r -> Topics.header(r, ImageHeaders.SHA256), r -> r));
            for (var file : good.entrySet()) {
                ConsumerRecord<String, byte[]> record = bySha.get(Sha256.hex(file.getValue()));
                assertThat(record).as(file.getKey()).isNotNull();
                assertThat(record.value()).isEqualTo(file.getValue());
                String camera1 = file.getKey().substring(0, file.getKey().indexOf('_'));
                assertThat(record.key()).isEqualTo(camera1);
                assertThat(Topics.header(record, ImageHeaders.CAMERA)).isEqualTo(camera1);
                assertThat(Topics.header(record, ImageHeaders.CAPTURE_TIME)).isEqualTo(file.getKey().split("[_.]")[2]);
            }
        }

        assertThat(reasonOf(site, "cam-1_000000000003_1764270003000.jpg")).contains("reason: NOT_A_JPEG");
        assertThat(reasonOf(site, "cam-1_000000000004_1764270004000.jpg")).contains("reason: EMPTY");
        assertThat(reasonOf(site, "cam-1_000000000005_1764270005000.jpg")).contains("reason: TRUNCATED");
        assertThat(reasonOf(site, "cam-1_000000000006_1764270006000.jpg")).contains("reason: OVERSIZED");
        assertThat(reasonOf(site, "holiday-photo.jpg")).contains("reason: BAD_NAME");
        assertThat(reasonOf(site, "cam-1_000000000007_1764270007000.jpg")).contains("reason: UNREADABLE");
        assertThat(Files.readAllBytes(site.quarantine().resolve("holiday-photo.jpg"))).isEqualTo(whole);
    }

    @Test
    void should_leave_a_file_being_written_under_a_dot_name_alone_until_it_is_renamed_into_place() throws Exception {
        TestSite site = new TestSite(dir).edge(edge.bootstrapServers());
        Files.createDirectories(site.spool());
        byte[] jpeg = new SyntheticCamera(5, List.of("cam-9"), Clock.systemUTC()).draw(1);
        String name = "cam-9_000000000001_1764270000000.jpg";
        Path partial = site.spool().resolve(".part-" + name);
        Files.write(partial, Arrays.copyOf(jpeg, jpeg.length / 3));

        try (PipelineRuntime runtime = PipelineRuntime.start(site.config(), List.of(Stage.INGEST))) {
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> Files.exists(partial) && !Files.exists(site.quarantine()));

            Files.write(partial, jpeg);
            Files.move(partial, site.spool().resolve(name));
            List<ConsumerRecord<String, byte[]>> records = Topics.readUntil(edge.bootstrapServers(),
                    TestSite.SITE_ID + ".images.ingested", read -> read.stream().anyMatch(r -> "cam-9".equals(r.key())),
                    Duration.ofSeconds(60)).stream().filter(r -> "cam-9".equals(r.key())).toList();

            assertThat(records).hasSize(1);
            assertThat(records.get(0).value()).isEqualTo(jpeg);
            assertThat(site.quarantine()).doesNotExist();
        }
    }

    @Test
    void should_take_a_renamed_image_at_once_and_a_file_written_in_place_only_once_it_is_whole() throws Exception {
        TestSite site = new TestSite(dir).edge(edge.bootstrapServers());
        Files.createDirectories(site.spool());
        SyntheticCamera camera = new SyntheticCamera(7, List.of("cam-7"), Clock.systemUTC());
        byte[] slow = camera.draw(1);
        byte[] renamed = camera.draw(2);
        Path inPlace = site.spool().resolve("cam-7_000000000001_1764270000000.jpg");
        Files.write(inPlace, Arrays.copyOf(slow, 16));
        String topic = TestSite.SITE_ID + ".images.ingested";

        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        try (PipelineRuntime runtime = PipelineRuntime.start(site.config(), List.of(Stage.INGEST))) {
            // Another tool writes its file in place, a slice every 100 ms for about 3 s.
            int slice = slow.length / 30 + 1;
            writer.scheduleAtFixedRate(() -> {
                try {
                    long written = Files.size(inPlace);
                    if (written < slow.length) {
                        int upTo = (int) Math.min(slow.length, written + slice);
                        Files.write(inPlace, Arrays.copyOfRange(slow, (int) written, upTo), StandardOpenOption.APPEND);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("the in-place writer failed", e);
                }
            }, 100, 100, TimeUnit.MILLISECONDS);
            Path staged = site.spool().resolve(".cam-7_000000000002_1764270001000.jpg");
            Files.write(staged, renamed);
            Files.move(staged, site.spool().resolve("cam-7_000000000002_1764270001000.jpg"), StandardCopyOption.ATOMIC_MOVE);

            // The class's tests share the topic: only this test's camera counts.
            List<String> hashes = Topics.readUntil(edge.bootstrapServers(), topic,
                    read -> read.stream().filter(r -> "cam-7".equals(r.key())).count() >= 2, Duration.ofSeconds(60)).stream()
                    .filter(r -> "cam-7".equals(r.key())).map(r -> Sha256.hex(r.value())).toList();

            assertThat(hashes).containsExactlyInAnyOrder(Sha256.hex(renamed), Sha256.hex(slow));
            assertThat(site.quarantine()).doesNotExist();
        } finally {
            writer.shutdownNow();
        }
    }

    private static String reasonOf(TestSite site, String fileName) throws Exception {
        return Files.readString(site.quarantine().resolve(fileName + ".reason.txt"));
    }

    private static List<Path> spoolFiles(Path spool) throws Exception {
        try (Stream<Path> files = Files.list(spool)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }
    }
}
