package io.cefiot.chaos;

import io.cefiot.localsite.Shell;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The spool's disk, small enough to fill: as root, a 256 MiB tmpfs mounted on the spool
 * directory. Filling it writes one dot-file (which ingest ignores) over the free space;
 * freeing it deletes that file. Without root the spool is a plain directory and the
 * disk-full fault is not run.
 */
final class SpoolDisk implements AutoCloseable {

    private final Path spool;
    private final boolean mounted;

    private SpoolDisk(Path spool, boolean mounted) {
        this.spool = spool;
        this.mounted = mounted;
    }

    static SpoolDisk create(Path spool) {
        try {
            Files.createDirectories(spool);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean mounted = Shell.run("mount", "-t", "tmpfs", "-o", "size=256m", "cefiot-spool", spool.toString());
        return new SpoolDisk(spool, mounted);
    }

    boolean isReal() {
        return mounted;
    }

    /** Takes all free space but a few kilobytes: the next image does not fit. */
    void fill() {
        Path filler = spool.resolve(".cefiot-disk-full");
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // the disk is full now, as intended
        }
        try (OutputStream out = Files.newOutputStream(spool.resolve(".cefiot-disk-full-tail"))) {
            while (true) {
                out.write(block, 0, 1024);
                out.flush();
            }
        } catch (IOException full) {
            // and the last kilobytes too
        }
    }

    void free() {
        try {
            Files.deleteIfExists(spool.resolve(".cefiot-disk-full"));
            Files.deleteIfExists(spool.resolve(".cefiot-disk-full-tail"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (mounted) {
            Shell.run("umount", "-l", spool.toString());
        }
    }
}
