package io.cefiot.site;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every setting a site configuration file may hold, with its default. This list is the
 * single source for validation and for docs/configuration.md, which
 * {@link ConfigurationReference} writes from it (a test keeps the two in step).
 */
public enum Setting {
    SITE_ID("site.id", null,
            "Site identifier: names the site's topics, consumer groups and archive folder. Lower-case letters, digits and '-'."),
    EDGE_BOOTSTRAP_SERVERS("edge.bootstrap-servers", null,
            "host:port list of the edge Kafka cluster. Required when a chosen stage reads or writes the edge cluster."),
    CLOUD_BOOTSTRAP_SERVERS("cloud.bootstrap-servers", null,
            "host:port list of the cloud Kafka cluster. Required when a chosen stage reads or writes the cloud cluster."),
    CLOUD_SECURITY_PROTOCOL("cloud.security-protocol", "SASL_SSL",
            "How the stages reach the cloud cluster: SASL_SSL (TLS and a SCRAM-SHA-512 login, the default) or PLAINTEXT "
                    + "(neither: only for a cloud cluster on a network you trust; a warning says so at start)."),
    CLOUD_SASL_USERNAME("cloud.sasl.username", "",
            "The site's user on the cloud cluster (SCRAM-SHA-512). Empty means the site id, the name ./cefiot cloud-access grant gives it."),
    CLOUD_SASL_PASSWORD("cloud.sasl.password", "",
            "That user's password, as the cloud operator issued it. No default. Better kept out of the file: CEFIOT_CLOUD_SASL_PASSWORD "
                    + "(a Kubernetes Secret, an Ansible Vault value) overrides it."),
    CLOUD_SSL_CA_FILE("cloud.ssl.ca-file", "",
            "PEM file of the authority that signed the cloud brokers' certificates. Empty trusts the JVM's public authorities."),
    PLACEMENT_ENRICH("placement.enrich", "edge",
            "Side the enrich stage runs on: edge or cloud. The uplink bridges whichever topic crosses the cut."),
    COMPACT_ENABLED("compact.enabled", "false",
            "true adds the compact stage, which re-encodes images smaller; off by default because the archive keeps originals as evidence."),
    PLACEMENT_COMPACT("placement.compact", "edge",
            "Side the compact stage runs on, when compact.enabled is true: edge (less crosses the link) or cloud."),
    COMPACT_MAX_WIDTH("compact.max-width", "640",
            "Widest image compact keeps, in pixels; wider ones are scaled down, keeping their aspect ratio."),
    COMPACT_QUALITY("compact.quality", "70",
            "JPEG quality compact encodes with, 1 to 100."),
    SPOOL_DIR("spool.dir", "/var/lib/cefiot/spool",
            "Directory the camera writes images into and ingest reads from."),
    SPOOL_MAX_IMAGE_BYTES("spool.max-image-bytes", "8388608",
            "Largest image ingest accepts, in bytes; larger files go to quarantine."),
    QUARANTINE_DIR("quarantine.dir", "/var/lib/cefiot/quarantine",
            "Where rejected spool files go, each with a .reason.txt beside it."),
    ARCHIVE_DIR("archive.dir", "/var/lib/cefiot/archive",
            "Root of the permanent archive: SITE/CAMERA/DATE/SEQUENCE.jpg plus .json metadata."),
    CAMERA_SOURCE("camera.source", "/dev/video0",
            "What the camera stage reads: a V4L2 device (/dev/video0), a stream URL (rtsp://..., http://... MJPEG), "
                    + "a video file, or synthetic (seeded still images, for tests and load runs)."),
    CAMERA_IDS("camera.ids", "cam-1",
            "The camera's id (letters, digits, '-'). A synthetic source takes several, comma-separated, captured in turn."),
    CAMERA_IMAGES("camera.images", "0",
            "How many images the camera captures before it stops; 0 means no limit."),
    CAMERA_DETECTOR("camera.detector", "mog2",
            "Motion detection: mog2 (MOG2 background subtraction) or diff (frame differencing)."),
    CAMERA_PIXEL_THRESHOLD("camera.pixel-threshold", "25",
            "How much a pixel must change to count as changed: grey levels for diff, MOG2's varThreshold for mog2."),
    CAMERA_MIN_AREA("camera.min-area", "0.002",
            "Share of the watched area (0 to 1) that must change for a frame to show motion."),
    CAMERA_WARMUP_FRAMES("camera.warmup-frames", "10",
            "Frames used only to learn the scene, after start and after a dropout or a sudden global change."),
    CAMERA_DETECT_WIDTH("camera.detect-width", "320",
            "Frames are scaled down to this width for detection; captures keep the camera's full resolution."),
    CAMERA_ROI_MASK("camera.roi-mask", "",
            "An image (PNG, say) whose non-black pixels mark the region watched for motion; empty watches everything."),
    CAMERA_MAX_RATE("camera.max-rate", "2",
            "At most this many captures per second while motion lasts."),
    CAMERA_COOLDOWN_MS("camera.cooldown-ms", "0",
            "After a motion event ends, the scene must stay still this long before a new event is captured."),
    CAMERA_JPEG_QUALITY("camera.jpeg-quality", "90",
            "JPEG quality of captured frames, 1 to 100."),
    CAMERA_LOOP("camera.loop", "false",
            "Replay a video file source from the start when it ends (true or false)."),
    CAMERA_STATE_DIR("camera.state-dir", "/var/lib/cefiot/camera",
            "Where the camera keeps its sequence number, so it continues after a restart."),
    CAMERA_INTERVAL_MS("camera.interval-ms", "1000",
            "Milliseconds between two synthetic captures (camera.source=synthetic only)."),
    CAMERA_SEED("camera.seed", "1",
            "Seed of the synthetic source: the same seed draws the same images."),
    CAMERA_CAPTURE_LOG("camera.capture-log", "",
            "If set, a file to which each spooled image's SHA-256 is appended (sha256sum format)."),
    EDGE_BUFFER_MAX_BYTES("edge.buffer.max-bytes", "4294967296",
            "Most image bytes the edge keeps that have not yet crossed the link (per broker, all edge topics together)."),
    EDGE_BUFFER_MAX_AGE_MS("edge.buffer.max-age-ms", "604800000",
            "Oldest an image waiting at the edge may get, in milliseconds (default 7 days)."),
    EDGE_BUFFER_POLICY("edge.buffer.policy", "wait",
            "What happens at an edge buffer limit: wait (ingest pauses, new images wait in the spool, nothing is lost) "
                    + "or drop-oldest (Kafka deletes the oldest images; the uplink counts them)."),
    CONSOLE_USER("console.user", "admin",
            "User name of the operator console (Hawtio) in process mode."),
    CONSOLE_PASSWORD("console.password", "",
            "Password of the console user. No default: without it (or console.users-file), ./cefiot run starts no console."),
    CONSOLE_USERS_FILE("console.users-file", "",
            "More console users: a properties file with one 'user = password' line each."),
    CONSOLE_PORT("console.port", "8080",
            "Port of the console (/hawtio, /observe/metrics, /observe/health) in process mode; --console-port overrides it."),
    KAFKA_PARTITIONS("kafka.partitions", "6",
            "Partitions of each topic the site creates. Per-camera order holds within a partition."),
    KAFKA_STARTUP_TIMEOUT_MS("kafka.startup-timeout-ms", "15000",
            "How long start-up waits for each cluster to answer before it gives up.");

    private final String key;
    private final String defaultValue;
    private final String description;

    Setting(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public String description() {
        return description;
    }

    /** Whether the value is a secret: it goes to no log, message or Camel property placeholder. */
    public boolean secret() {
        return this == CLOUD_SASL_PASSWORD || this == CONSOLE_PASSWORD;
    }

    public static Optional<Setting> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }
}
