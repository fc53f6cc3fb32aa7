package io.cefiot.launcher;

import io.cefiot.site.Setting;
import io.cefiot.site.Side;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

class PlaceCommandTest {

    @TempDir
    Path dir;

    @Test
    void should_rewrite_only_the_placement_line_and_keep_comments() throws Exception {
        Path config = dir.resolve("site.properties");
        Files.write(config, List.of("# gate site", "site.id = gate", "placement.enrich=edge", "# end"));

        PlaceCommand.writePlacement(config, Setting.PLACEMENT_ENRICH, Side.CLOUD);

        assertThat(Files.readAllLines(config)).containsExactly("# gate site", "site.id = gate", "placement.enrich = cloud", "# end");
        PlaceCommand.writePlacement(config, Setting.PLACEMENT_COMPACT, Side.CLOUD);
        assertThat(Files.readAllLines(config)).endsWith("placement.compact = cloud");
    }

    @Test
    void should_refuse_to_move_a_fixed_stage_or_a_stage_not_in_the_chain_and_leave_the_file_alone() throws Exception {
        Path config = dir.resolve("site.properties");
        Files.write(config, List.of("site.id = gate"));

        assertThat(place("archive", "edge", config)).contains("archive cannot move");
        assertThat(place("compact", "cloud", config)).contains("compact.enabled=true");
        assertThat(place("enrich", "moon", config)).contains("must be 'edge' or 'cloud'");
        assertThat(Files.readAllLines(config)).containsExactly("site.id = gate");
    }

    private static String place(String stage, String side, Path config) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = Cefiot.commandLine();
        commandLine.setErr(new PrintWriter(err));
        assertThat(commandLine.execute("place", stage, side, "--config", config.toString(), "--wait", "0")).isEqualTo(2);
        return err.toString();
    }
}
