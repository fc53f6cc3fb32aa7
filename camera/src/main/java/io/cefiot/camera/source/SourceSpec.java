package io.cefiot.camera.source;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Where the frames come from, from the text a user writes: a V4L2 device ({@code /dev/video0}),
 * a network stream ({@code rtsp://...}, {@code http://...} MJPEG) or a video file (any other path).
 */
public record SourceSpec(Kind kind, String location) {

    public enum Kind {
        DEVICE, STREAM, FILE
    }

    private static final Set<String> STREAM_SCHEMES = Set.of("rtsp", "rtsps", "http", "https", "rtmp", "udp", "tcp", "srt");

    public static SourceSpec parse(String text) {
        String location = text == null ? "" : text.trim();
        if (location.isEmpty()) {
            throw new IllegalArgumentException("No camera source given. Name a V4L2 device (/dev/video0), "
                    + "a stream URL (rtsp://HOST/PATH, http://HOST/stream.mjpg) or a video file.");
        }
        if (location.startsWith("/dev/")) {
            return new SourceSpec(Kind.DEVICE, location);
        }
        int colon = location.indexOf("://");
        if (colon > 0) {
            String scheme = location.substring(0, colon).toLowerCase(Locale.ROOT);
            if (!STREAM_SCHEMES.contains(scheme)) {
                throw new IllegalArgumentException("Camera source '" + location + "' uses the scheme '" + scheme
                        + "', which is not one of " + STREAM_SCHEMES.stream().sorted().toList());
            }
            URI.create(location); // a malformed URL fails here, with the position of the fault
            return new SourceSpec(Kind.STREAM, location);
        }
        return new SourceSpec(Kind.FILE, location);
    }

    /** A problem that keeps this source from being opened at all, or null. */
    public String problem() {
        return switch (kind) {
            case DEVICE -> Files.exists(Path.of(location)) ? null
                    : "the video device " + location + " does not exist (is the camera plugged in? `ls /dev/video*` lists the devices)";
            case FILE -> !Files.exists(Path.of(location)) ? "the video file " + location + " does not exist"
                    : !Files.isReadable(Path.of(location)) ? "the video file " + location + " cannot be read (permissions)"
                    : Files.isDirectory(Path.of(location)) ? location + " is a directory, not a video file" : null;
            case STREAM -> null;
        };
    }

    /** Live sources reconnect when they drop; a file ends. */
    public boolean live() {
        return kind != Kind.FILE;
    }

    @Override
    public String toString() {
        return location;
    }
}
