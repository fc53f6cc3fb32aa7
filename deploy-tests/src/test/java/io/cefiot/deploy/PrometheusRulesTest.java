package io.cefiot.deploy;

import io.cefiot.console.ProcessConsole;
import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.site.Stage;
import io.cefiot.testing.Requires;
import io.cefiot.testing.SiteClusters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped alert rules (monitoring/prometheus), checked by Prometheus's own promtool: they
 * parse, each alert's unit test passes, the scrape configuration is valid; and every series a
 * rule reads is one a real process serves at /observe/metrics, so that no alert watches a name
 * nobody writes.
 */
class PrometheusRulesTest {

    static final Path RULES = Overlay.root().resolve("monitoring/prometheus");
    static final Pattern SERIES = Pattern.compile("\\b((?:cefiot|jvm|camel)_[a-z_]+)");

    @RegisterExtension
    static SiteClusters clusters = new SiteClusters(1, 1);

    @TempDir
    Path dir;

    @Test
    void promtool_accepts_the_rules_and_the_scrape_configuration_and_every_alert_passes_its_unit_test() throws Exception {
        Path promtool = Requires.debianTool("promtool", "prometheus", "The alert rules' test (promtool)");
        for (List<String> args : List.of(List.of("check", "rules", "cefiot-alerts.yml"), List.of("test", "rules", "cefiot-alerts.test.yml"),
                List.of("check", "config", "prometheus.yml"))) {
            List<String> command = new ArrayList<>(List.of(promtool.toString()));
            command.addAll(args);
            ProcessRun run = ProcessRun.of(new ProcessBuilder(command).directory(RULES.toFile()), Duration.ofMinutes(2));
            assertThat(run.status()).as("promtool " + String.join(" ", args) + "\n" + run.output()).isZero();
            assertThat(run.output()).contains("SUCCESS");
        }
    }

    @Test
    void every_series_a_rule_reads_is_served_by_a_running_process() throws Exception {
        Set<String> read = new TreeSet<>();
        Matcher m = SERIES.matcher(Files.readString(RULES.resolve("cefiot-alerts.yml")));
        while (m.find()) {
            read.add(m.group(1));
        }
        assertThat(read).contains("cefiot_link_up", "jvm_memory_used_bytes");

        PrometheusMeterRegistry registry = ProcessConsole.registry();
        String served;
        try (PipelineRuntime edge = PipelineRuntime.start(clusters.site(dir).config(),
                List.of(Stage.INGEST, Stage.ENRICH, Stage.UPLINK, Stage.ARCHIVE), registry)) {
            served = registry.scrape();
        }
        // A whole name at the start of a sample line, not a prefix of another series.
        assertThat(read).allSatisfy(series -> assertThat(served).as("a process's /observe/metrics")
                .containsPattern("(?m)^" + series + "[{ ]"));
    }
}
