package io.cefiot.camera.capture;

import io.cefiot.files.DurableFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The per-camera sequence number, kept on disk so that it continues after a restart and
 * (camera, sequence) stays unique. Each number is written durably before it is handed out: a
 * crash can leave a gap, never a repeat.
 */
public final class SequenceStore {

    private final Path file;
    private long last;

    private SequenceStore(Path file, long last) {
        this.file = file;
        this.last = last;
    }

    /** Opens (or starts at 0) the sequence of {@code camera} in {@code directory}. */
    public static SequenceStore open(Path directory, String camera) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(camera + ".sequence");
        if (!Files.exists(file)) {
            return new SequenceStore(file, 0);
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        try {
            return new SequenceStore(file, Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IOException("The sequence file " + file + " holds '" + text + "', not a number. "
                    + "Put the last sequence number the camera used in it (see the archive), or delete it to start at 1.");
        }
    }

    /** The next sequence number, already on disk. */
    public synchronized long next() throws IOException {
        long next = last + 1;
        DurableFile.write(file, Long.toString(next).getBytes(StandardCharsets.US_ASCII));
        last = next;
        return next;
    }

    public synchronized long last() {
        return last;
    }
}
