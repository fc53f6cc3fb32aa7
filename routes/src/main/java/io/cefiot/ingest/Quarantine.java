package io.cefiot.ingest;

import io.cefiot.contract.Outcome;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

import org.apache.camel.Exchange;

/**
 * The quarantine folder: a rejected spool file is copied there with a NAME.reason.txt
 * beside it, before the spool copy is removed, so nothing leaves the spool unaccounted.
 */
public class Quarantine {

    private final Path directory;

    /** As ingest.camel.yaml declares it, with the setting quarantine.dir. */
    public Quarantine(String directory) {
        this.directory = Path.of(directory);
    }

    public void accept(Exchange exchange) throws IOException {
        Path source = Path.of(exchange.getIn().getHeader(Exchange.FILE_PATH, String.class));
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = cause instanceof ImageRejectedException rejected ? rejected.reason().name() : "FAILED";
        String detail = cause == null ? "unknown" : cause.getMessage();

        Files.createDirectories(directory);
        Path target = freeName(source.getFileName().toString());
        // NOFOLLOW_LINKS: an unreadable link is kept as the link it was, not followed.
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        String text = "file: " + source + "\n"
                + "reason: " + reason + "\n"
                + "detail: " + detail + "\n"
                + "quarantined-at: " + Instant.now() + "\n";
        Files.writeString(target.resolveSibling(target.getFileName() + ".reason.txt"), text, StandardCharsets.UTF_8);
        exchange.setProperty(Outcome.PROPERTY, Outcome.QUARANTINED);
    }

    private Path freeName(String fileName) {
        Path candidate = directory.resolve(fileName);
        for (int n = 1; Files.exists(candidate, LinkOption.NOFOLLOW_LINKS); n++) {
            candidate = directory.resolve(fileName + "." + n);
        }
        return candidate;
    }
}
