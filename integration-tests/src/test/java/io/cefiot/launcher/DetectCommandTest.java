package io.cefiot.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.cefiot.camera.video.Scene;
import io.cefiot.camera.video.SceneVideo;
import io.cefiot.testing.CommandRun;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./cefiot detect on a real clip: the counts it prints match the CSV and the JPEGs it writes. */
class DetectCommandTest {

    @TempDir
    Path dir;

    @Test
    void should_print_the_counts_and_write_one_csv_row_per_frame_and_one_jpeg_per_capture() throws Exception {
        Path clip = SceneVideo.write(new Scene(320, 240, 25, 120, 3, 3.0, 1.0, 1.0,
                List.of(new Scene.Crossing(new Scene.Interval(30, 90), 40, 0.5, 230)), List.of()), dir.resolve("clip.avi"));
        Path out = dir.resolve("out");

        CommandRun run = CommandRun.of("detect", clip.toString(), "--detector", "diff", "--max-rate", "5", "--out", out.toString());
        int exit = run.exit();
        String printed = run.stdout();
        assertThat(exit).as(printed).isZero();
        List<String> rows = Files.readAllLines(out.resolve("frames.csv"));
        assertThat(rows).hasSize(121).first().isEqualTo("frame,time_ms,state,score,motion,captured,box");
        long motion = rows.stream().skip(1).filter(r -> r.split(",")[4].equals("yes")).count();
        long captured = rows.stream().skip(1).filter(r -> r.split(",")[5].equals("yes")).count();
        long jpegs;
        try (Stream<Path> files = Files.list(out)) {
            jpegs = files.filter(p -> p.toString().endsWith(".jpg")).count();
        }
        // 60 frames of motion at 25 fps is 2.4 s: at 5 captures a second, 12 or 13 captures.
        assertThat(motion).isBetween(55L, 62L);
        assertThat(captured).isBetween(11L, 13L).isEqualTo(jpegs);
        assertThat(printed).contains("Read 120 frames: " + motion + " showed motion").contains(captured + " would be captured");
    }

    @Test
    void should_refuse_a_file_that_is_not_a_video_with_exit_2() throws Exception {
        Path notVideo = Files.writeString(dir.resolve("notes.avi"), "not a video");
        assertThat(Cefiot.commandLine().execute("detect", notVideo.toString())).isEqualTo(2);
        assertThat(Cefiot.commandLine().execute("detect", dir.resolve("missing.avi").toString())).isEqualTo(2);
        assertThat(Cefiot.commandLine().execute("detect", notVideo.toString(), "--min-area", "7")).isEqualTo(2);
    }
}
