package io.cefiot.testing;

import io.cefiot.contract.ImageHeaders;
import io.cefiot.contract.Sha256;

import java.util.HashMap;
import java.util.Map;

/** The headers ingest puts on an image record (routes/README.md), for tests that feed the later stages. */
public final class IngestedRecords {

    /** Every image of these tests was captured at this moment: 2025-11-27T19:00:00Z. */
    public static final String CAPTURE_TIME = "1764270000000";

    private IngestedRecords() {
    }

    /** Camera, sequence, capture time, SHA-256 and size of {@code jpeg}; a mutable map, so a test can break the contract. */
    public static Map<String, String> headers(String camera, long sequence, byte[] jpeg) {
        Map<String, String> headers = new HashMap<>();
        headers.put(ImageHeaders.CAMERA, camera);
        headers.put(ImageHeaders.SEQUENCE, Long.toString(sequence));
        headers.put(ImageHeaders.CAPTURE_TIME, CAPTURE_TIME);
        headers.put(ImageHeaders.SHA256, Sha256.hex(jpeg));
        headers.put(ImageHeaders.SIZE, Integer.toString(jpeg.length));
        return headers;
    }
}
