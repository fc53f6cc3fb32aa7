package io.cefiot.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes a file so that it appears whole or not at all: the bytes go to a dot-named temporary
 * file beside it (which readers of the folder skip), are forced to disk, the temporary file is
 * renamed over the target, and the folder is forced to disk too, so that the rename survives a
 * power cut once this returns. A failed write (a full disk, say) throws and leaves nothing behind.
 * Each write has a temporary name of its own: two writers of one target (two archive replicas
 * given the same record) never rename each other's half-written file into place.
 */
public final class DurableFile {

    private DurableFile() {
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceFolder(target.toAbsolutePath().getParent());
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Forces a folder's entries (the rename) to disk; Linux lets a folder be opened for reading and synced. */
    private static void forceFolder(Path folder) throws IOException {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
