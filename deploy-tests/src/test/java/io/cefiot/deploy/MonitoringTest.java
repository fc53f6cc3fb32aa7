package io.cefiot.deploy;

import io.cefiot.console.ProcessConsole;
import io.cefiot.kafka.ListenerPorts;
import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.site.Setting;
import io.cefiot.site.Stage;
import io.cefiot.testing.ArchiveContents;
import io.cefiot.testing.Requires;
import io.cefiot.testing.SiteClusters;
import io.cefiot.testing.TestSite;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What monitoring/ ships, on the real Prometheus (Debian's package): the alert rules parse under
 * promtool, each alert's unit test passes, the scrape configuration is valid, every series a rule
 * reads is one a real process serves at /observe/metrics; and Prometheus scraping a running
 * CEFIoT process (every stage in one process, as ./cefiot run starts it) with the rules loaded
 * evaluates each rule without error and answers every query of the Grafana dashboard.
 */
class MonitoringTest {

    static final Path MONITORING = Overlay.root().resolve("monitoring");
    static final Path RULES = MONITORING.resolve("prometheus");
    static final int IMAGES = 30;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
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

    @Test
    void prometheus_scrapes_a_running_site_evaluates_every_rule_and_answers_every_dashboard_query() throws Exception {
        Path prometheus = Requires.debianTool("prometheus", "prometheus", "The Prometheus scrape test");
        TestSite site = clusters.site(dir.resolve("site"))
                .set(Setting.CAMERA_IMAGES, Integer.toString(IMAGES))
                .set(Setting.CAMERA_INTERVAL_MS, "100")
                .set(Setting.CONSOLE_USER, "operator")
                .set(Setting.CONSOLE_PASSWORD, "scrape-test-secret");
        Path siteFile = site.write(dir.resolve("site.properties"));
        int consolePort = ListenerPorts.next();
        int prometheusPort = ListenerPorts.next();
        Path prometheusConfig = Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: cefiot
                    metrics_path: /observe/metrics
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(MONITORING.resolve("prometheus/cefiot-alerts.yml"), consolePort));
        List<String> queries = dashboardQueries();
        assertThat(queries).hasSizeGreaterThan(10);

        // The whole pipeline in one real process, as ./cefiot run starts it, its console on consolePort.
        Process cefiot = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-jar", Overlay.root().resolve("app/target/cefiot.jar").toString(), "run", "camera", "ingest", "enrich", "uplink",
                "archive", "--config", siteFile.toString(), "--console-port", Integer.toString(consolePort))
                .redirectErrorStream(true).redirectOutput(dir.resolve("cefiot.log").toFile()).start();
        Process server = null;
        try {
            server = new ProcessBuilder(prometheus.toString(), "--config.file=" + prometheusConfig,
                    "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + prometheusPort)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            await("images in the archive").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> ArchiveContents.images(site.archive()).size() == IMAGES);

            await("Prometheus scraping the site").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> query(prometheusPort, "up{job=\"cefiot\"} == 1").size() == 1);
            for (String query : queries) {
                await(query).atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> !query(prometheusPort, query).isEmpty());
            }
            JsonNode groups = get(prometheusPort, "/api/v1/rules").path("data").path("groups");
            List<String> rules = new ArrayList<>();
            groups.forEach(group -> group.path("rules").forEach(rule -> {
                rules.add(rule.path("name").asText());
                assertThat(rule.path("health").asText()).as(rule.path("name").asText() + ": " + rule.path("lastError").asText())
                        .isEqualTo("ok");
            }));
            assertThat(rules).hasSize(9).contains("CefiotLinkDown", "CefiotHeapNearLimit");
        } finally {
            cefiot.destroy();
            cefiot.waitFor(30, TimeUnit.SECONDS);
            if (server != null) {
                server.destroy();
                server.waitFor(30, TimeUnit.SECONDS);
                System.out.println("--- prometheus log ---\n" + Files.readString(dir.resolve("prometheus.log")));
            }
        }
    }

    private static List<String> dashboardQueries() throws Exception {
        List<String> queries = new ArrayList<>();
        JSON.readTree(MONITORING.resolve("grafana/cefiot-site.json").toFile()).path("panels")
                .forEach(panel -> panel.path("targets").forEach(target -> queries.add(target.path("expr").asText())));
        return queries;
    }

    private static JsonNode query(int port, String promql) throws Exception {
        JsonNode answer = get(port, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertThat(answer.path("status").asText()).as(promql + ": " + answer).isEqualTo("success");
        return answer.path("data").path("result");
    }

    private static JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
