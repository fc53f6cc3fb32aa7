package io.cefiot.testing;

import io.cefiot.site.Setting;
import io.cefiot.site.SiteConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A site configuration for tests: folders under one directory, clusters as given. */
public final class TestSite {

    public static final String SITE_ID = "test-site";

    private final Path root;
    private final Map<String, String> settings = new LinkedHashMap<>();

    public TestSite(Path root) {
        this.root = root;
        set(Setting.SITE_ID, SITE_ID);
        set(Setting.SPOOL_DIR, spool().toString());
        set(Setting.QUARANTINE_DIR, quarantine().toString());
        set(Setting.ARCHIVE_DIR, archive().toString());
        set(Setting.CAMERA_CAPTURE_LOG, captureLog().toString());
        // Seeded synthetic images from two cameras, so runs compare by hash; CameraRouteTest reads video.
        set(Setting.CAMERA_SOURCE, SiteConfig.SYNTHETIC_SOURCE);
        set(Setting.CAMERA_IDS, "cam-1,cam-2");
        set(Setting.CAMERA_STATE_DIR, root.resolve("camera-state").toString());
        set(Setting.KAFKA_PARTITIONS, "3");
        // SiteClusters' clouds are plaintext test clusters; CloudSecurityTest and the demo run the secured cloud.
        set(Setting.CLOUD_SECURITY_PROTOCOL, "PLAINTEXT");
    }

    /** The site logging in to a secured cloud: its user, password and the cloud's certificate authority. */
    public TestSite cloudLogin(String user, String password, Path caFile) {
        settings.remove(Setting.CLOUD_SECURITY_PROTOCOL.key());
        return set(Setting.CLOUD_SASL_USERNAME, user).set(Setting.CLOUD_SASL_PASSWORD, password).set(Setting.CLOUD_SSL_CA_FILE, caFile.toString());
    }

    public TestSite set(Setting setting, String value) {
        settings.put(setting.key(), value);
        return this;
    }

    public TestSite edge(String bootstrapServers) {
        return set(Setting.EDGE_BOOTSTRAP_SERVERS, bootstrapServers);
    }

    public TestSite cloud(String bootstrapServers) {
        return set(Setting.CLOUD_BOOTSTRAP_SERVERS, bootstrapServers);
    }

    /** The settings as key/value pairs, for writing a site configuration file. */
    public Map<String, String> settings() {
        return Map.copyOf(settings);
    }

    /** Writes the settings as a site configuration file, as the processes and ./cefiot place read it. */
    public Path write(Path file) throws IOException {
        Files.write(file, settings.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).toList());
        return file;
    }

    public SiteConfig config() {
        return SiteConfig.of("the test site", settings);
    }

    public Path spool() {
        return root.resolve("spool");
    }

    public Path quarantine() {
        return root.resolve("quarantine");
    }

    public Path archive() {
        return root.resolve("archive");
    }

    public Path captureLog() {
        return root.resolve("source.sha256");
    }
}
