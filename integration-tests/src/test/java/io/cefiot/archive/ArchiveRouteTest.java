package io.cefiot.archive;

import io.cefiot.contract.ImageHeaders;
import io.cefiot.contract.Sha256;
import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.site.Stage;
import io.cefiot.testing.ArchiveContents;
import io.cefiot.testing.KafkaClusterExtension;
import io.cefiot.testing.TestSite;
import io.cefiot.testing.Topics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ArchiveRouteTest {

    @RegisterExtension
    static KafkaClusterExtension cloud = new KafkaClusterExtension(1);

    @TempDir
    Path dir;

    static Map<String, String> enrichedHeaders(long sequence, byte[] jpeg) {
        Map<String, String> headers = new HashMap<>();
        headers.put(ImageHeaders.CAMERA, "cam-1");
        headers.put(ImageHeaders.SEQUENCE, Long.toString(sequence));
        headers.put(ImageHeaders.CAPTURE_TIME, "1764270000000");
        headers.put(ImageHeaders.SHA256, Sha256.hex(jpeg));
        headers.put(ImageHeaders.SITE, TestSite.SITE_ID);
        headers.put(ImageHeaders.CAPTURE_DATE, "2025-11-27");
        headers.put(ImageHeaders.CAPTURE_TIMESTAMP, "2025-11-27T19:00:00Z");
        return headers;
    }

    @Test
    void should_store_each_image_once_byte_for_byte_with_its_metadata_and_refuse_a_conflicting_one() throws Exception {
        TestSite site = new TestSite(dir).cloud(cloud.bootstrapServers());
        String topic = TestSite.SITE_ID + ".images.enriched";
        byte[] first = {(byte) 0xFF, (byte) 0xD8, 1, (byte) 0xFF, (byte) 0xD9};
        byte[] second = {(byte) 0xFF, (byte) 0xD8, 2, (byte) 0xFF, (byte) 0xD9};
        byte[] impostor = {(byte) 0xFF, (byte) 0xD8, 3, (byte) 0xFF, (byte) 0xD9};

        try (PipelineRuntime runtime = PipelineRuntime.start(site.config(), List.of(Stage.ARCHIVE))) {
            Topics.send(cloud.bootstrapServers(), topic, "cam-1", first, enrichedHeaders(1, first));
            Topics.send(cloud.bootstrapServers(), topic, "cam-1", second, enrichedHeaders(2, second));
            Topics.send(cloud.bootstrapServers(), topic, "cam-1", first, enrichedHeaders(1, first));
            Topics.send(cloud.bootstrapServers(), topic, "cam-1", impostor, enrichedHeaders(2, impostor));

            List<ConsumerRecord<String, byte[]>> dead = Topics.readAtLeast(cloud.bootstrapServers(),
                    TestSite.SITE_ID + ".images.dead-letter", 1, Duration.ofSeconds(60));
            assertThat(dead).hasSize(1);
            assertThat(Topics.header(dead.get(0), ImageHeaders.REJECTED_REASON)).contains("a different image");
        }

        Path folder = site.archive().resolve(TestSite.SITE_ID).resolve("cam-1").resolve("2025-11-27");
        assertThat(ArchiveContents.images(site.archive())).containsExactly(
                folder.resolve("000000000001.jpg"), folder.resolve("000000000002.jpg"));
        assertThat(Files.readAllBytes(folder.resolve("000000000001.jpg"))).isEqualTo(first);
        assertThat(Files.readAllBytes(folder.resolve("000000000002.jpg"))).isEqualTo(second);
        Map<String, Object> metadata = new ObjectMapper().readValue(folder.resolve("000000000002.json").toFile(),
                new TypeReference<Map<String, Object>>() { });
        assertThat(metadata).containsEntry("sha256", Sha256.hex(second)).containsEntry("site", TestSite.SITE_ID)
                .containsEntry("camera", "cam-1").containsEntry("sequence", "2").containsEntry("capture-date", "2025-11-27");
    }
}
