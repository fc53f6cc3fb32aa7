package io.cefiot.uplink;

import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.site.Stage;
import io.cefiot.testing.SiteClusters;
import io.cefiot.testing.TestSite;
import io.cefiot.testing.Topics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class UplinkRouteTest {


    @RegisterExtension
    static SiteClusters clusters = new SiteClusters(1, 1);

    @TempDir
    Path dir;

    @Test
    void should_copy_records_from_the_edge_topic_to_the_same_topic_in_the_cloud_keeping_key_value_and_headers() throws Exception {
        TestSite site = clusters.site(dir);
        String topic = TestSite.SITE_ID + ".images.enriched";
        try (PipelineRuntime runtime = PipelineRuntime.start(site.config(), List.of(Stage.UPLINK))) {
            for (int i = 0; i < 20; i++) {
                Topics.send(clusters.edge().bootstrapServers(), topic, "cam-" + (i % 3), new byte[] {(byte) i, 42},
                        Map.of("cefiot.sequence", Integer.toString(i), "cefiot.site", TestSite.SITE_ID));
            }
            List<ConsumerRecord<String, byte[]>> copied = Topics.readAtLeast(clusters.cloud().bootstrapServers(), topic, 20,
                    Duration.ofSeconds(60));

            assertThat(copied).hasSize(20);
            for (ConsumerRecord<String, byte[]> record : copied) {
                int i = Integer.parseInt(Topics.header(record, "cefiot.sequence"));
                assertThat(record.key()).isEqualTo("cam-" + (i % 3));
                assertThat(record.value()).containsExactly((byte) i, 42);
                assertThat(Topics.header(record, "cefiot.site")).isEqualTo(TestSite.SITE_ID);
            }
        }
    }
}
