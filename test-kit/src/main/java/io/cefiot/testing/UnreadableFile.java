package io.cefiot.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Puts a file at a path that has a size but cannot be read. Root reads anything with
 * ordinary permissions, so as root this is a link to a write-only sysfs attribute, which
 * refuses reads to everyone; otherwise a file with mode 000.
 */
public final class UnreadableFile {

    private static final List<Path> WRITE_ONLY_ATTRIBUTES = List.of(
            Path.of("/sys/bus/pci/rescan"), Path.of("/sys/class/zram-control/hot_remove"));

    private UnreadableFile() {
    }

    public static void create(Path at) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            Files.write(at, new byte[] {(byte) 0xFF, (byte) 0xD8, 0, (byte) 0xFF, (byte) 0xD9});
            Files.setPosixFilePermissions(at, PosixFilePermissions.fromString("---------"));
            return;
        }
        Path target = WRITE_ONLY_ATTRIBUTES.stream().filter(Files::exists).findFirst().orElseThrow(() ->
                new IllegalStateException("No write-only sysfs attribute to make an unreadable file from; looked for "
                        + WRITE_ONLY_ATTRIBUTES));
        Files.createSymbolicLink(at, target);
    }
}
