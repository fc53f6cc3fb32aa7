package io.cefiot.contract;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of an image in the spool: CAMERA_SEQUENCE_CAPTUREMILLIS.jpg, for example
 * {@code cam-1_000000000042_1764270000000.jpg}. The name carries the capture metadata so
 * that one atomic rename publishes image and metadata together.
 */
public record SpoolFileName(String camera, long sequence, long captureMillis) {

    private static final Pattern FORMAT = Pattern.compile("([A-Za-z0-9][A-Za-z0-9-]*)_(\\d{1,18})_(\\d{1,18})\\.jpe?g");

    public static final String DESCRIPTION = "CAMERA_SEQUENCE_CAPTUREMILLIS.jpg (for example cam-1_000000000042_1764270000000.jpg)";

    public static Optional<SpoolFileName> parse(String fileName) {
        Matcher m = FORMAT.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new SpoolFileName(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
    }

    public String fileName() {
        return String.format("%s_%012d_%d.jpg", camera, sequence, captureMillis);
    }
}
