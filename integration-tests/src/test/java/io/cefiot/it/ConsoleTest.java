package io.cefiot.it;

import io.cefiot.testing.Requires;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The console of a running demo, in real headless Chromium (Debian's chromium and
 * chromium-driver, which .ci/run installs): login, the Camel routes view, a wrong password;
 * and the documented answers to requests without credentials.
 */
class ConsoleTest {

    static final List<String> ROUTES = List.of("camera-motion-to-spool", "ingest-spool-to-edge", "enrich-add-site-metadata",
            "uplink-edge-to-cloud", "archive-store-images");
    static final By ROUTES_FOLDER = By.xpath("//button[contains(@class,'tree-view__node-text') and normalize-space(text())='routes']");
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    @TempDir
    static Path dir;

    static Process demo;
    static int port;
    static String password;

    @BeforeAll
    static void startDemo() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        demo = LauncherTest.start(dir, "demo", "--data", dir.resolve("demo").toString(), "--console-port", Integer.toString(port));
        Pattern login = Pattern.compile("Console: http://localhost:\\d+/hawtio {2}user: admin {2}password in (\\S+)");
        await().atMost(Duration.ofMinutes(3)).until(() -> {
            assertThat(demo.isAlive()).as("the demo runs; stderr: " + Files.readString(dir.resolve("stderr.txt"))).isTrue();
            Matcher m = login.matcher(Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8));
            if (m.find()) {
                password = Files.readString(Path.of(m.group(1))).trim();
            }
            return password != null;
        });
    }

    @AfterAll
    static void stopDemo() throws Exception {
        if (demo != null) {
            demo.destroy();
            if (!demo.waitFor(60, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
        }
    }

    @Test
    void health_and_metrics_are_open_and_the_console_api_is_refused_without_credentials() throws Exception {
        assertThat(get("/hawtio/jolokia/version").statusCode()).isIn(401, 403);
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            HttpResponse<String> ready = get("/observe/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"readiness\":\"UP\"");
        });
        assertThat(get("/observe/health/live").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            String metrics = get("/observe/metrics").body();
            // Throughput and errors per stage, quarantine, backlog (images, bytes, oldest), link, failovers.
            assertThat(metrics).containsPattern("cefiot_stage_exchanges_total\\{outcome=\"done\",stage=\"archive\"} [1-9]")
                    .contains("cefiot_stage_exchanges_total{outcome=\"failed\",stage=\"enrich\"}")
                    .contains("cefiot_stage_exchanges_total{outcome=\"quarantined\",stage=\"ingest\"}")
                    .contains("cefiot_edge_backlog_images").contains("cefiot_edge_buffer_bytes")
                    .contains("cefiot_edge_backlog_oldest_age_seconds")
                    .contains("cefiot_link_up 1.0")
                    .contains("cefiot_failovers_total{stage=\"uplink\"}")
                    // Time to safety: a histogram per milestone, each with images in it.
                    .containsPattern("cefiot_time_to_safety_seconds_count\\{milestone=\"edge-acknowledged\"} [1-9]")
                    .containsPattern("cefiot_time_to_safety_seconds_count\\{milestone=\"cloud-committed\"} [1-9]")
                    .containsPattern("cefiot_time_to_safety_seconds_count\\{milestone=\"archived\"} [1-9]")
                    .containsPattern("cefiot_time_to_safety_seconds_bucket\\{milestone=\"archived\",le=\"[0-9.]+\"} [1-9]");
        });
    }

    @Test
    void an_operator_logs_in_and_sees_every_route_of_the_pipeline_started() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        WebDriver browser = chromium();
        try {
            browser.get("http://localhost:" + port + "/hawtio/");
            logIn(browser, "admin", "not-the-password");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(browser.findElement(By.tagName("body")).getText()).contains("Invalid login credentials"));
            screenshot(browser, "wrong-password.png");

            browser.navigate().refresh();
            logIn(browser, "admin", password);
            await().atMost(Duration.ofMinutes(1)).until(() -> browser.findElements(By.cssSelector("input[type=password]")).isEmpty());
            browser.get("http://localhost:" + port + "/hawtio/camel/routes");
            // The Camel plugin's tree: the context's "routes" folder opens the table of its routes.
            await().atMost(Duration.ofMinutes(1)).until(() -> !browser.findElements(ROUTES_FOLDER).isEmpty());
            browser.findElement(ROUTES_FOLDER).click();
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                for (String route : ROUTES) {
                    List<WebElement> rows = browser.findElements(By.xpath("//tr[.//*[normalize-space(text())='" + route + "']]"));
                    assertThat(rows).as("a table row for " + route).isNotEmpty();
                    assertThat(rows.get(0).getText()).as("the row of " + route).contains("Started");
                }
            });
            screenshot(browser, "camel-routes.png");
        } finally {
            Files.writeString(SCREENSHOTS.resolve("last-page.html"), browser.getPageSource());
            browser.quit();
        }
    }

    private static void logIn(WebDriver browser, String user, String secret) {
        await().atMost(Duration.ofMinutes(1)).until(() -> !browser.findElements(By.cssSelector("input[type=password]")).isEmpty());
        WebElement name = browser.findElement(By.cssSelector("input[type=text], input[name=username], input#pf-login-username-id"));
        WebElement pass = browser.findElement(By.cssSelector("input[type=password]"));
        name.clear();
        name.sendKeys(user);
        pass.clear();
        pass.sendKeys(secret);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
    }

    private static WebDriver chromium() {
        Path browser = Requires.debianTool("chromium", "chromium", "The console test");
        Path driver = Requires.debianTool("chromedriver", "chromium-driver", "The console test");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--disable-background-networking", "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).build();
        return new ChromeDriver(service, options);
    }

    private static void screenshot(WebDriver browser, String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static HttpResponse<String> get(String path) {
        return ConsoleHttp.get(port, path);
    }
}
