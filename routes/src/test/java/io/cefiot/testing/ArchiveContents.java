package io.cefiot.testing;

import io.cefiot.contract.Sha256;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What is in an archive or a capture log, as lists of SHA-256 hashes (repeats kept). */
public final class ArchiveContents {

    private ArchiveContents() {
    }

    /** The archived images. Safe to call while the archive writes: a temporary file renamed mid-walk is retried. */
    public static List<Path> images(Path archive) {
        if (!Files.isDirectory(archive)) {
            return List.of();
        }
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> files = Files.walk(archive)) {
                return files.filter(p -> p.getFileName().toString().endsWith(".jpg")).sorted().toList();
            } catch (IOException | UncheckedIOException e) {
                Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
                if (!(cause instanceof NoSuchFileException) || attempt == 5) {
                    throw new UncheckedIOException(cause instanceof IOException io ? io : new IOException(cause));
                }
            }
        }
    }

    public static List<String> imageHashes(Path archive) {
        return images(archive).stream().map(ArchiveContents::hash).sorted().toList();
    }

    public static List<String> loggedHashes(Path captureLog) {
        try {
            return Files.readAllLines(captureLog).stream().map(l -> l.split(" ")[0]).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String hash(Path file) {
        try {
            return Sha256.hex(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
