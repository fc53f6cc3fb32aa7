package io.cefiot.contract;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

/** Reads an image record off an exchange, checking it against the data contract. */
public final class ImageRecord {

    /**
     * Largest Kafka record the site's brokers, topics and clients accept. routes/application.properties
     * repeats it for camel.component.kafka.max-request-size and max-partition-fetch-bytes.
     */
    public static final int MAX_RECORD_BYTES = 10 * 1024 * 1024;

    /** Largest image that fits a record, leaving room for key and headers. */
    public static final int MAX_IMAGE_BYTES = 9 * 1024 * 1024;

    private ImageRecord() {
    }

    /** The JPEG bytes, after checking the named headers are present and the hash matches. */
    public static byte[] checkedBody(Exchange exchange, java.util.List<String> requiredHeaders) throws InvalidRecordException {
        Message in = exchange.getIn();
        for (String header : requiredHeaders) {
            String value = in.getHeader(header, String.class);
            if (value == null || value.isBlank()) {
                throw new InvalidRecordException("record " + where(exchange) + " has no header '" + header + "'");
            }
        }
        byte[] body = in.getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw new InvalidRecordException("record " + where(exchange) + " has an empty value");
        }
        String expected = in.getHeader(ImageHeaders.SHA256, String.class);
        if (expected != null) {
            String actual = Sha256.hex(body);
            if (!actual.equals(expected)) {
                throw new InvalidRecordException("record " + where(exchange) + " value hashes to " + actual
                        + " but its header " + ImageHeaders.SHA256 + " says " + expected);
            }
        }
        return body;
    }

    /** topic/partition@offset of the record, for messages. */
    public static String where(Exchange exchange) {
        Message in = exchange.getIn();
        return in.getHeader(KafkaConstants.TOPIC, String.class) + "/" + in.getHeader(KafkaConstants.PARTITION, String.class)
                + "@" + in.getHeader(KafkaConstants.OFFSET, String.class);
    }
}
