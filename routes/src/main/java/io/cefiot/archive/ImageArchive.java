package io.cefiot.archive;

import io.cefiot.contract.ImageHeaders;
import io.cefiot.contract.ImageRecord;
import io.cefiot.contract.InvalidRecordException;
import io.cefiot.contract.Sha256;
import io.cefiot.contract.Outcome;
import io.cefiot.files.DurableFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The permanent store: ROOT/SITE/CAMERA/DATE/SEQUENCE.jpg holds the JPEG exactly as
 * captured and SEQUENCE.json beside it the record's metadata. (site, camera, sequence)
 * names an image once, so a record delivered twice is written once: that makes
 * at-least-once delivery upstream safe.
 */
public class ImageArchive {

    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final List<String> REQUIRED = Stream.concat(ImageHeaders.INGESTED.stream(), ImageHeaders.ENRICHED.stream()).toList();

    private final Path root;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** As archive.camel.yaml declares it, with the setting archive.dir. */
    public ImageArchive(String root) {
        if (root == null || root.isBlank()) {
            throw new IllegalArgumentException("The archive needs a folder: set archive.dir (the archive route file's imageArchive bean reads it).");
        }
        this.root = Path.of(root);
    }

    public void store(Exchange exchange) throws InvalidRecordException, IOException {
        byte[] jpeg = ImageRecord.checkedBody(exchange, REQUIRED);
        Message in = exchange.getIn();
        Path folder = root.resolve(segment(exchange, ImageHeaders.SITE))
                .resolve(segment(exchange, ImageHeaders.CAMERA))
                .resolve(segment(exchange, ImageHeaders.CAPTURE_DATE));
        String sequence = String.format("%012d", sequenceNumber(exchange));
        Path image = folder.resolve(sequence + ".jpg");

        if (Files.exists(image)) {
            String existing = Sha256.hex(Files.readAllBytes(image));
            if (existing.equals(in.getHeader(ImageHeaders.SHA256, String.class))) {
                exchange.setProperty(Outcome.PROPERTY, Outcome.DUPLICATE);
                return;
            }
            throw new InvalidRecordException("record " + ImageRecord.where(exchange) + " claims " + image
                    + " but a different image (sha256 " + existing + ") is archived there: two images share a camera and sequence number");
        }
        Files.createDirectories(folder);
        // Metadata first, image last: an image in the archive always has its document.
        DurableFile.write(folder.resolve(sequence + ".json"), json.writeValueAsBytes(metadata(in, image, jpeg.length)));
        DurableFile.write(image, jpeg);
    }

    private static Map<String, Object> metadata(Message in, Path image, int size) {
        Map<String, Object> document = new TreeMap<>();
        in.getHeaders().forEach((name, value) -> {
            if (name.startsWith(ImageHeaders.PREFIX)) {
                document.put(name.substring(ImageHeaders.PREFIX.length()), in.getHeader(name, String.class));
            }
        });
        document.put("file", image.getFileName().toString());
        document.put("size", Integer.toString(size));
        return document;
    }

    private static long sequenceNumber(Exchange exchange) throws InvalidRecordException {
        String value = exchange.getIn().getHeader(ImageHeaders.SEQUENCE, String.class);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidRecordException("record " + ImageRecord.where(exchange) + " has " + ImageHeaders.SEQUENCE
                    + "='" + value + "', not a whole number");
        }
    }

    private static String segment(Exchange exchange, String header) throws InvalidRecordException {
        String value = exchange.getIn().getHeader(header, String.class);
        if (!SAFE_SEGMENT.matcher(value).matches()) {
            throw new InvalidRecordException("record " + ImageRecord.where(exchange) + " has " + header + "='" + value
                    + "', which cannot name an archive folder");
        }
        return value;
    }
}
