package io.cefiot.ingest;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The two markers that make a JPEG whole: start-of-image (FF D8) as its first bytes and
 * end-of-image (FF D9) at or near its end. Encoders may pad after end-of-image, so it is
 * looked for among the last {@value #TAIL_BYTES} bytes rather than only at the very end.
 */
final class JpegMarkers {

    static final int TAIL_BYTES = 64;

    private JpegMarkers() {
    }

    static boolean startsWithSoi(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xD8;
    }

    /** Whether {@code tail} (the last bytes after the start-of-image marker) holds an end-of-image marker. */
    static boolean endsWithEoi(byte[] tail) {
        for (int i = tail.length - 2; i >= 0; i--) {
            if ((tail[i] & 0xff) == 0xFF && (tail[i + 1] & 0xff) == 0xD9) {
                return true;
            }
        }
        return false;
    }

    /** The bytes in which end-of-image is looked for: at most the last {@value #TAIL_BYTES}, never the start-of-image marker. */
    static byte[] tail(byte[] jpeg) {
        int from = Math.max(2, jpeg.length - TAIL_BYTES);
        return from >= jpeg.length ? new byte[0] : Arrays.copyOfRange(jpeg, from, jpeg.length);
    }

    /** Reads a file's first two and last bytes only: whether it is, as it stands, a whole JPEG. */
    static boolean isWhole(Path file) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length < 4) {
                return false;
            }
            byte[] head = new byte[2];
            in.readFully(head);
            long from = Math.max(2, length - TAIL_BYTES);
            byte[] tail = new byte[(int) (length - from)];
            in.seek(from);
            in.readFully(tail);
            return startsWithSoi(head) && endsWithEoi(tail);
        }
    }
}
