package io.cefiot.site;

import io.cefiot.camera.motion.Algorithm;
import io.cefiot.clients.ClusterAccess;
import io.cefiot.camera.motion.DetectorSettings;
import io.cefiot.camera.source.SourceSpec;
import io.cefiot.contract.ImageRecord;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A site's configuration: the values of {@link Setting}s, plus any {@code camel.*} keys,
 * which go to Camel Main untouched (for example {@code camel.component.kafka.linger-ms}).
 * Every value is checked when the configuration is made, so a bad one stops the start.
 */
public final class SiteConfig {

    private static final Pattern SITE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** The camera.source value that selects the synthetic camera. */
    public static final String SYNTHETIC_SOURCE = "synthetic";

    private static final Pattern CAMERA_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,62}");

    private final String origin;
    private final Map<Setting, String> values;
    private final Map<String, String> camelProperties;

    private SiteConfig(String origin, Map<Setting, String> values, Map<String, String> camelProperties) {
        this.origin = origin;
        this.values = values;
        this.camelProperties = camelProperties;
        validate();
    }

    /** Prefix of the environment variables that override settings: CEFIOT_CLOUD_BOOTSTRAP_SERVERS for cloud.bootstrap-servers. */
    public static final String ENV_PREFIX = "CEFIOT_";

    /**
     * Reads a properties file, then lets {@code CEFIOT_*} environment variables override its
     * settings (see {@link #environmentName}). On k3s the file comes from a ConfigMap and the
     * overrides from a pod's env, which can take a Secret: the one file serves both sides.
     */
    public static SiteConfig load(Path file) {
        return load(file, System.getenv());
    }

    /** The environment variable that overrides a setting: upper case, with '.' and '-' as '_'. */
    public static String environmentName(Setting setting) {
        return ENV_PREFIX + setting.key().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public static SiteConfig load(Path file, Map<String, String> environment) {
        SiteConfig fromFile = read(file);
        Map<Setting, String> overrides = new LinkedHashMap<>();
        for (Setting setting : Setting.values()) {
            // Other CEFIOT_* variables (CEFIOT_JAVA_OPTS, CEFIOT_ARGS) belong to the launcher, not to settings.
            Optional.ofNullable(environment.get(environmentName(setting))).ifPresent(value -> overrides.put(setting, value.trim()));
        }
        if (overrides.isEmpty()) {
            return fromFile;
        }
        String origin = file + " (with " + overrides.keySet().stream().map(SiteConfig::environmentName)
                .collect(Collectors.joining(", ")) + " from the environment)";
        Map<Setting, String> merged = new LinkedHashMap<>(fromFile.values);
        merged.putAll(overrides);
        return new SiteConfig(origin, merged, fromFile.camelProperties);
    }

    /** Reads a properties file; unknown keys are refused, as they are most often typos. */
    private static SiteConfig read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("Cannot read the site configuration " + file + ": " + e.getMessage()
                    + ". Pass an existing properties file with --config.", e);
        }
        Map<String, String> raw = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(k -> raw.put(k, properties.getProperty(k)));
        return of(file.toString(), raw);
    }

    public static SiteConfig of(String origin, Map<String, String> raw) {
        Map<Setting, String> values = new LinkedHashMap<>();
        Map<String, String> camel = new LinkedHashMap<>();
        raw.forEach((key, value) -> {
            if (key.startsWith("camel.")) {
                camel.put(key, value);
                return;
            }
            Setting setting = Setting.byKey(key).orElseThrow(() -> new ConfigException(
                    "Unknown setting '" + key + "' in " + origin + ". Known settings: "
                            + Arrays.stream(Setting.values()).map(Setting::key).collect(Collectors.joining(", "))
                            + " (and camel.* for Camel itself)."));
            values.put(setting, value.trim());
        });
        return new SiteConfig(origin, values, camel);
    }

    /**
     * The settings of a site whose folders (spool, quarantine, archive) are all under
     * {@code folder}, on the given clusters: what the demo and the local multi-process sites start from.
     */
    public static Map<String, String> localSite(String siteId, String edgeServers, String cloudServers, Path folder) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(Setting.SITE_ID.key(), siteId);
        settings.put(Setting.EDGE_BOOTSTRAP_SERVERS.key(), edgeServers);
        settings.put(Setting.CLOUD_BOOTSTRAP_SERVERS.key(), cloudServers);
        settings.put(Setting.SPOOL_DIR.key(), folder.resolve("spool").toString());
        settings.put(Setting.QUARANTINE_DIR.key(), folder.resolve("quarantine").toString());
        settings.put(Setting.ARCHIVE_DIR.key(), folder.resolve("archive").toString());
        return settings;
    }

    /** This configuration with some settings replaced. */
    public SiteConfig with(Map<Setting, String> overrides) {
        Map<Setting, String> merged = new LinkedHashMap<>(values);
        merged.putAll(overrides);
        return new SiteConfig(origin, merged, camelProperties);
    }

    public String origin() {
        return origin;
    }

    public Optional<String> get(Setting setting) {
        String value = values.get(setting);
        if (value == null || value.isEmpty()) {
            return setting.defaultValue().filter(v -> !v.isEmpty());
        }
        return Optional.of(value);
    }

    public String require(Setting setting) {
        return get(setting).orElseThrow(() -> new ConfigException(
                "Setting '" + setting.key() + "' is missing in " + origin + ". " + setting.description()));
    }

    public String siteId() {
        return require(Setting.SITE_ID);
    }

    public Path path(Setting setting) {
        return Path.of(require(setting));
    }

    public long longValue(Setting setting) {
        String value = require(setting);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException("Setting '" + setting.key() + "' is '" + value + "' in " + origin
                    + ": it must be a whole number. " + setting.description());
        }
    }

    public double doubleValue(Setting setting) {
        String value = require(setting);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new ConfigException("Setting '" + setting.key() + "' is '" + value + "' in " + origin
                    + ": it must be a number. " + setting.description());
        }
    }

    /** Whether the camera stage draws synthetic images instead of reading a camera. */
    public boolean syntheticCamera() {
        return require(Setting.CAMERA_SOURCE).trim().equals(SYNTHETIC_SOURCE);
    }

    /** How the camera stage detects motion, from the camera.* settings. */
    public DetectorSettings cameraDetector() {
        Algorithm algorithm;
        try {
            algorithm = Algorithm.parse(require(Setting.CAMERA_DETECTOR));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Setting 'camera.detector' in " + origin + ": " + e.getMessage() + ".");
        }
        double pixelThreshold = doubleValue(Setting.CAMERA_PIXEL_THRESHOLD);
        if (!(pixelThreshold > 0 && pixelThreshold <= 255)) {
            throw new ConfigException("Setting 'camera.pixel-threshold' is " + pixelThreshold + " in " + origin + ": use a value in (0, 255].");
        }
        double minArea = doubleValue(Setting.CAMERA_MIN_AREA);
        if (!(minArea > 0 && minArea < 1)) {
            throw new ConfigException("Setting 'camera.min-area' is " + minArea + " in " + origin
                    + ": it is a share of the frame, between 0 and 1 (0.002 = 0.2 %).");
        }
        requirePositive(Setting.CAMERA_WARMUP_FRAMES);
        if (longValue(Setting.CAMERA_DETECT_WIDTH) < 32) {
            throw new ConfigException("Setting 'camera.detect-width' is " + require(Setting.CAMERA_DETECT_WIDTH) + " in " + origin
                    + ": use at least 32 pixels (320 is a good start).");
        }
        Optional<Path> roi = get(Setting.CAMERA_ROI_MASK).filter(v -> !v.isBlank()).map(Path::of);
        if (roi.isPresent() && !Files.isReadable(roi.get())) {
            throw new ConfigException("Setting 'camera.roi-mask' names " + roi.get() + " in " + origin
                    + ", which cannot be read. Give an image whose non-black pixels mark the watched region, or leave it empty.");
        }
        return new DetectorSettings(algorithm, pixelThreshold, minArea, (int) longValue(Setting.CAMERA_WARMUP_FRAMES),
                (int) longValue(Setting.CAMERA_DETECT_WIDTH), roi);
    }

    private void validateCamera() {
        if (syntheticCamera()) {
            requirePositive(Setting.CAMERA_INTERVAL_MS);
            longValue(Setting.CAMERA_SEED);
            return;
        }
        try {
            SourceSpec.parse(require(Setting.CAMERA_SOURCE));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Setting 'camera.source' in " + origin + ": " + e.getMessage());
        }
        if (cameraIds().size() != 1) {
            throw new ConfigException("Setting 'camera.ids' holds " + cameraIds().size() + " ids in " + origin
                    + ", but camera.source " + require(Setting.CAMERA_SOURCE) + " is one camera: give it one id."
                    + " Run one camera stage per camera.");
        }
        cameraDetector();
        if (!(doubleValue(Setting.CAMERA_MAX_RATE) > 0)) {
            throw new ConfigException("Setting 'camera.max-rate' is " + require(Setting.CAMERA_MAX_RATE) + " in " + origin
                    + ": use a positive number of captures per second.");
        }
        if (longValue(Setting.CAMERA_COOLDOWN_MS) < 0) {
            throw new ConfigException("Setting 'camera.cooldown-ms' is negative in " + origin + ". Use 0 for no cooldown.");
        }
        long quality = longValue(Setting.CAMERA_JPEG_QUALITY);
        if (quality < 1 || quality > 100) {
            throw new ConfigException("Setting 'camera.jpeg-quality' is " + quality + " in " + origin + ": use a JPEG quality from 1 to 100.");
        }
        String loop = require(Setting.CAMERA_LOOP);
        if (!loop.equals("true") && !loop.equals("false")) {
            throw new ConfigException("Setting 'camera.loop' is '" + loop + "' in " + origin + ": use true or false.");
        }
    }

    public List<String> cameraIds() {
        return Arrays.stream(require(Setting.CAMERA_IDS).split(",")).map(String::trim).toList();
    }

    public Side placement(Stage stage) {
        return stage.placementSetting()
                .map(setting -> Side.parse(require(setting), setting.key()))
                .orElse(stage.fixedSide());
    }

    public BufferPolicy bufferPolicy() {
        return BufferPolicy.parse(require(Setting.EDGE_BUFFER_POLICY), origin);
    }

    public boolean compactEnabled() {
        String value = require(Setting.COMPACT_ENABLED);
        if (!value.equals("true") && !value.equals("false")) {
            throw new ConfigException("Setting 'compact.enabled' is '" + value + "' in " + origin + ": use true or false.");
        }
        return Boolean.parseBoolean(value);
    }

    /** The bootstrap servers of one side's cluster; fails, naming the setting, if unset. */
    public String bootstrapServers(Side side) {
        return require(side.bootstrapServersSetting());
    }

    /**
     * How this process reaches one side's cluster: the edge over the site network as it is, the
     * cloud over TLS with the site's SCRAM login (cloud.security-protocol=SASL_SSL, the default).
     * Fails, naming the setting, when the address or the password is missing.
     */
    public ClusterAccess cluster(Side side) {
        String key = side.bootstrapServersSetting().key();
        String servers = bootstrapServers(side);
        if (side == Side.EDGE || !cloudSecured()) {
            return ClusterAccess.plaintext(key, servers);
        }
        String password = get(Setting.CLOUD_SASL_PASSWORD).orElseThrow(() -> new ConfigException(
                "Setting 'cloud.sasl.password' is missing in " + origin + ". cloud.security-protocol is SASL_SSL (the default), so the "
                        + "stages log in to the cloud cluster as user " + cloudUser() + " and need the password the cloud operator issued "
                        + "for this site (./cefiot cloud-access grant). Set it in the file, readable by the stages only, or in "
                        + "CEFIOT_CLOUD_SASL_PASSWORD."));
        return ClusterAccess.scram(key, servers, cloudUser(), password, get(Setting.CLOUD_SSL_CA_FILE));
    }

    /** The site's user on the cloud cluster: cloud.sasl.username, or the site id. */
    public String cloudUser() {
        return get(Setting.CLOUD_SASL_USERNAME).orElse(siteId());
    }

    /** Whether the stages reach the cloud over TLS with a login (cloud.security-protocol). */
    public boolean cloudSecured() {
        String protocol = require(Setting.CLOUD_SECURITY_PROTOCOL);
        return switch (protocol) {
            case "SASL_SSL" -> true;
            case "PLAINTEXT" -> false;
            default -> throw new ConfigException("Setting 'cloud.security-protocol' is '" + protocol + "' in " + origin
                    + ": use SASL_SSL (TLS and a SCRAM-SHA-512 login) or PLAINTEXT (only on a network you trust).");
        };
    }

    public Map<String, String> camelProperties() {
        return camelProperties;
    }

    private void validate() {
        String siteId = siteId();
        if (!SITE_ID.matcher(siteId).matches()) {
            throw new ConfigException("Setting 'site.id' is '" + siteId + "' in " + origin
                    + ": use lower-case letters, digits and '-', starting with a letter or digit (it names topics).");
        }
        requirePositive(Setting.SPOOL_MAX_IMAGE_BYTES);
        if (longValue(Setting.SPOOL_MAX_IMAGE_BYTES) > ImageRecord.MAX_IMAGE_BYTES) {
            throw new ConfigException("Setting 'spool.max-image-bytes' is " + require(Setting.SPOOL_MAX_IMAGE_BYTES) + " in " + origin
                    + ": the most the site's Kafka records hold is " + ImageRecord.MAX_IMAGE_BYTES + " bytes. Larger images need"
                    + " camel.component.kafka.max-request-size, the brokers' message.max.bytes and the topics' max.message.bytes raised first.");
        }
        requirePositive(Setting.KAFKA_PARTITIONS);
        requirePositive(Setting.EDGE_BUFFER_MAX_BYTES);
        requirePositive(Setting.EDGE_BUFFER_MAX_AGE_MS);
        bufferPolicy();
        requirePositive(Setting.KAFKA_STARTUP_TIMEOUT_MS);
        if (longValue(Setting.CAMERA_IMAGES) < 0) {
            throw new ConfigException("Setting 'camera.images' is negative in " + origin + ". Use 0 for no limit.");
        }
        for (String camera : cameraIds()) {
            if (!CAMERA_ID.matcher(camera).matches()) {
                throw new ConfigException("Setting 'camera.ids' holds '" + camera + "' in " + origin
                        + ": camera ids use letters, digits and '-' (the spool file name separates fields with '_').");
            }
        }
        validateCamera();
        placement(Stage.ENRICH);
        placement(Stage.COMPACT);
        compactEnabled();
        requirePositive(Setting.COMPACT_MAX_WIDTH);
        long quality = longValue(Setting.COMPACT_QUALITY);
        if (quality < 1 || quality > 100) {
            throw new ConfigException("Setting 'compact.quality' is " + quality + " in " + origin + ": use a JPEG quality from 1 to 100.");
        }
        for (Side side : Side.values()) {
            get(side.bootstrapServersSetting()).ifPresent(servers -> checkHostPorts(side.bootstrapServersSetting(), servers));
        }
        cloudSecured();
        Optional<Path> ca = get(Setting.CLOUD_SSL_CA_FILE).map(Path::of);
        if (ca.isPresent() && !Files.isReadable(ca.get())) {
            throw new ConfigException("Setting 'cloud.ssl.ca-file' names " + ca.get() + " in " + origin + ", which cannot be read. "
                    + "Give the PEM file of the authority that signed the cloud brokers' certificates, or leave it empty to trust "
                    + "the JVM's public authorities.");
        }
    }

    private void requirePositive(Setting setting) {
        if (longValue(setting) <= 0) {
            throw new ConfigException("Setting '" + setting.key() + "' is '" + require(setting) + "' in " + origin
                    + ": it must be greater than 0. " + setting.description());
        }
    }

    private void checkHostPorts(Setting setting, String servers) {
        for (String server : servers.split(",")) {
            String s = server.trim();
            int colon = s.lastIndexOf(':');
            boolean valid = colon > 0 && colon < s.length() - 1;
            if (valid) {
                try {
                    int port = Integer.parseInt(s.substring(colon + 1));
                    valid = port > 0 && port < 65536;
                } catch (NumberFormatException e) {
                    valid = false;
                }
            }
            if (!valid) {
                throw new ConfigException("Setting '" + setting.key() + "' holds '" + s + "' in " + origin
                        + ": each entry must be host:port, for example kafka-0.edge.local:9092.");
            }
        }
    }
}
