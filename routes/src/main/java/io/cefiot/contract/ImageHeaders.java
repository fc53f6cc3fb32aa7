package io.cefiot.contract;

import java.util.List;

/**
 * Names of the Kafka record headers of an image record (routes/README.md documents the
 * whole contract). Every value is a UTF-8 string. The record key is the camera id and
 * the value the unchanged JPEG bytes.
 */
public final class ImageHeaders {

    // Set by ingest, from the spool file. The camera: component's exchanges carry the same names
    // (CameraHeaders; ImageHeadersTest keeps them equal): the contract does not depend on the
    // component, so the contract stays at the bottom of the stage library.
    public static final String CAMERA = "cefiot.camera";
    public static final String SEQUENCE = "cefiot.sequence";
    public static final String CAPTURE_TIME = "cefiot.capture-time";
    public static final String SHA256 = "cefiot.sha256";
    public static final String SIZE = "cefiot.size";

    // Added by enrich.
    public static final String SITE = "cefiot.site";
    public static final String CAPTURE_DATE = "cefiot.capture-date";
    public static final String CAPTURE_TIMESTAMP = "cefiot.capture-timestamp";
    public static final String ENRICHED_AT = "cefiot.enriched-at";

    // Set by compact, which changes the bytes: the camera's original stays named.
    public static final String ORIGINAL_SHA256 = "cefiot.original-sha256";
    public static final String ORIGINAL_SIZE = "cefiot.original-size";
    public static final String COMPACTED = "cefiot.compacted";

    // Set on a record sent to a dead-letter topic.
    public static final String REJECTED_BY = "cefiot.rejected-by";
    public static final String REJECTED_REASON = "cefiot.rejected-reason";

    /** The headers every record on an ingested topic must carry. */
    public static final List<String> INGESTED = List.of(CAMERA, SEQUENCE, CAPTURE_TIME, SHA256);

    /** The headers the archive needs in addition. */
    public static final List<String> ENRICHED = List.of(SITE, CAPTURE_DATE, CAPTURE_TIMESTAMP);

    public static final String PREFIX = "cefiot.";

    private ImageHeaders() {
    }
}
