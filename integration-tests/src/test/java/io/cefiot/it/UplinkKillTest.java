package io.cefiot.it;

import io.cefiot.contract.ImageHeaders;
import io.cefiot.site.Setting;
import io.cefiot.testing.SiteClusters;
import io.cefiot.testing.TestSite;
import io.cefiot.testing.Topics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The uplink as two real processes (active and standby, sharing the partitions of one group),
 * each SIGKILLed again and again while records flow. The cloud topic, read as archive reads it
 * (read_committed), must hold every edge record exactly once and in per-camera order.
 */
class UplinkKillTest {

    static final int RECORDS = 400;
    static final int KILLS = 6;

    @RegisterExtension
    static SiteClusters clusters = new SiteClusters(3, 1);

    @TempDir
    Path dir;

    @Test
    void should_copy_every_record_exactly_once_in_order_while_uplink_processes_are_killed() throws Exception {
        TestSite site = clusters.site(dir).set(Setting.SITE_ID, "kill");
        Path config = site.write(dir.resolve("site.properties"));
        String topic = "kill.images.enriched";
        List<Process> replicas = new ArrayList<>(List.of(startUplink(config, 0), startUplink(config, 1)));
        Random random = new Random(42);
        int kills = 0;
        List<ConsumerRecord<String, byte[]>> copied;
        try {
            for (int i = 0; i < RECORDS; i++) {
                String camera = "cam-" + (i % 4);
                Topics.send(clusters.edge().bootstrapServers(), topic, camera, new byte[] {(byte) i, (byte) (i >> 8)},
                        Map.of(ImageHeaders.CAMERA, camera, ImageHeaders.SEQUENCE, Integer.toString(i)));
                if (i > 0 && i % (RECORDS / (KILLS + 1)) == 0 && kills < KILLS) {
                    int victim = random.nextInt(replicas.size());
                    replicas.get(victim).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    replicas.set(victim, startUplink(config, kills + 2));
                    kills++;
                }
            }
            copied = Topics.readAtLeast(clusters.cloud().bootstrapServers(), topic, RECORDS, Duration.ofMinutes(3));
        } finally {
            replicas.forEach(Process::destroyForcibly);
        }

        List<Integer> sequences = copied.stream().map(r -> Integer.parseInt(Topics.header(r, ImageHeaders.SEQUENCE))).toList();
        assertThat(kills).isEqualTo(KILLS);
        assertThat(sequences).as("records on the cloud topic").hasSize(RECORDS).doesNotHaveDuplicates();
        Map<String, List<Integer>> perCamera = new HashMap<>();
        copied.forEach(r -> perCamera.computeIfAbsent(r.key(), k -> new ArrayList<>())
                .add(Integer.parseInt(Topics.header(r, ImageHeaders.SEQUENCE))));
        perCamera.forEach((camera, order) -> assertThat(order).as(camera + " order").isSorted());
        System.out.printf("uplink kill test: %d records, %d SIGKILLs, %d on the cloud topic, %d distinct%n", RECORDS, kills,
                copied.size(), sequences.stream().collect(Collectors.toSet()).size());
    }

    private Process startUplink(Path config, int n) throws Exception {
        Path workDir = Files.createDirectories(dir.resolve("uplink-" + n));
        return LauncherTest.start(workDir, "run", "uplink", "--config", config.toString());
    }
}
