package io.cefiot.it;

import io.cefiot.camera.SyntheticCamera;
import io.cefiot.contract.Sha256;
import io.cefiot.contract.SpoolFileName;
import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.site.Setting;
import io.cefiot.site.Stage;
import io.cefiot.testing.ArchiveContents;
import io.cefiot.testing.SiteClusters;
import io.cefiot.testing.TestSite;
import io.cefiot.testing.UnreadableFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Bad files among good ones in the spool: the good all reach the archive, the bad all reach quarantine. */
class BadInputTest {

    @RegisterExtension
    static SiteClusters clusters = new SiteClusters(3, 1);

    @TempDir
    Path dir;

    @Test
    void should_archive_every_good_image_and_quarantine_every_bad_file_with_its_reason() throws Exception {
        TestSite site = clusters.site(dir)
                .set(Setting.SPOOL_MAX_IMAGE_BYTES, "2000000");
        Files.createDirectories(site.spool());
        SyntheticCamera camera = new SyntheticCamera(3, List.of("cam-1"), Clock.systemUTC());

        List<String> goodHashes = new ArrayList<>();
        Map<String, String> expectedReasons = new LinkedHashMap<>();
        long sequence = 1;
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 6; i++) {
                byte[] jpeg = camera.draw(sequence);
                write(site, new SpoolFileName("cam-1", sequence++, 1764270000000L + sequence), jpeg);
                goodHashes.add(Sha256.hex(jpeg));
            }
            byte[] whole = camera.draw(1000 + round);
            expectedReasons.put(write(site, new SpoolFileName("cam-1", sequence++, 1764270000000L), "plain text".getBytes()), "NOT_A_JPEG");
            expectedReasons.put(write(site, new SpoolFileName("cam-1", sequence++, 1764270000000L), new byte[0]), "EMPTY");
            expectedReasons.put(write(site, new SpoolFileName("cam-1", sequence++, 1764270000000L),
                    Arrays.copyOf(whole, whole.length - 100)), "TRUNCATED");
            byte[] huge = Arrays.copyOf(whole, 2_000_001);
            expectedReasons.put(write(site, new SpoolFileName("cam-1", sequence++, 1764270000000L), huge), "OVERSIZED");
            String unreadable = new SpoolFileName("cam-1", sequence++, 1764270000000L).fileName();
            UnreadableFile.create(site.spool().resolve(unreadable));
            expectedReasons.put(unreadable, "UNREADABLE");
        }

        try (PipelineRuntime runtime = PipelineRuntime.start(site.config(),
                List.of(Stage.INGEST, Stage.ENRICH, Stage.UPLINK, Stage.ARCHIVE))) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> ArchiveContents.images(site.archive()).size() >= goodHashes.size());
        }

        assertThat(ArchiveContents.imageHashes(site.archive())).containsExactlyElementsOf(goodHashes.stream().sorted().toList());
        for (var expected : expectedReasons.entrySet()) {
            Path reason = site.quarantine().resolve(expected.getKey() + ".reason.txt");
            assertThat(reason).as(expected.getKey()).exists();
            assertThat(Files.readString(reason)).contains("reason: " + expected.getValue());
        }
    }

    private static String write(TestSite site, SpoolFileName name, byte[] bytes) throws Exception {
        Files.write(site.spool().resolve(name.fileName()), bytes);
        return name.fileName();
    }
}
