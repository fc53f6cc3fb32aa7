package io.cefiot.camera;

import io.cefiot.contract.ImageHeaders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import org.apache.camel.Exchange;

/**
 * Records each image that reached the spool, in sha256sum format, so a run can be checked
 * against its archive. Off unless {@code camera.capture-log} names a file.
 */
public class CaptureLog implements AutoCloseable {

    private final Writer writer;

    public CaptureLog(Optional<Path> file) {
        try {
            if (file.isPresent()) {
                Path parent = file.get().toAbsolutePath().getParent();
                Files.createDirectories(parent);
                this.writer = Files.newBufferedWriter(file.get(), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } else {
                this.writer = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the capture log " + file.get()
                    + " (setting camera.capture-log): " + e.getMessage(), e);
        }
    }

    public synchronized void record(Exchange exchange) throws IOException {
        if (writer == null) {
            return;
        }
        writer.write(exchange.getIn().getHeader(ImageHeaders.SHA256, String.class) + "  "
                + exchange.getIn().getHeader(Exchange.FILE_NAME, String.class) + "\n");
        writer.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        if (writer != null) {
            writer.close();
        }
    }
}
