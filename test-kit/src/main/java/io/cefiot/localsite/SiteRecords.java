package io.cefiot.localsite;

import io.cefiot.contract.Sha256;
import io.cefiot.contract.SpoolFileName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What a local site's camera captured (its capture log) and what its archive holds. */
public final class SiteRecords {

    /** One captured image, from the camera's capture log. */
    public record Captured(String camera, long sequence, long capturedAt, String sha256) {
    }

    /** One archived image; {@code archivedAt} is when its file was written; {@code sha256} is null from {@link #listArchive}. */
    public record Archived(String camera, long sequence, long archivedAt, String sha256) {
    }

    private SiteRecords() {
    }

    public static List<Captured> readCaptureLog(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> !l.isBlank()).map(line -> {
                String[] parts = line.split("\\s+\\*?", 2);
                SpoolFileName name = SpoolFileName.parse(Path.of(parts[1].trim()).getFileName().toString()).orElseThrow(
                        () -> new IllegalStateException("Unexpected capture log line: " + line));
                return new Captured(name.camera(), name.sequence(), name.captureMillis(), parts[0]);
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the capture log " + log, e);
        }
    }

    public static List<Archived> readArchive(Path archive) {
        return archivedImages(archive).stream().map(jpg -> archived(jpg, true)).toList();
    }

    /** The archived images' names and times only, with no SHA-256 ({@code null}): cheap enough to poll. */
    public static List<Archived> listArchive(Path archive) {
        return archivedImages(archive).stream().map(jpg -> archived(jpg, false)).toList();
    }

    private static Archived archived(Path jpg, boolean hash) {
        try {
            String name = jpg.getFileName().toString();
            return new Archived(jpg.getParent().getParent().getFileName().toString(),
                    Long.parseLong(name.substring(0, name.length() - 4)),
                    Files.getLastModifiedTime(jpg).toMillis(), hash ? Sha256.hex(Files.readAllBytes(jpg)) : null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The archive's image files, read while the archive may still be writing: its temporary
     * files can vanish between the listing and the look at them, and are passed over.
     */
    public static List<Path> archivedImages(Path archive) {
        if (!Files.isDirectory(archive)) {
            return List.of();
        }
        List<Path> images = new ArrayList<>();
        try {
            Files.walkFileTree(archive, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (file.getFileName().toString().endsWith(".jpg")) {
                        images.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the archive " + archive, e);
        }
        return images;
    }
}
