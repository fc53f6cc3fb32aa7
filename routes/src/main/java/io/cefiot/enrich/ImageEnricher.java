package io.cefiot.enrich;

import io.cefiot.contract.ImageHeaders;
import io.cefiot.contract.ImageRecord;
import io.cefiot.contract.InvalidRecordException;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Adds what the archive and its readers need to an ingested record: the site id, the
 * capture date (UTC, the archive's folder), the capture time as ISO-8601 and when
 * enrichment happened. The image bytes are not touched.
 */
public class ImageEnricher {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private final String siteId;

    /** As enrich.camel.yaml declares it, with the setting site.id. */
    public ImageEnricher(String siteId) {
        this.siteId = siteId;
    }

    public void enrich(Exchange exchange) throws InvalidRecordException {
        ImageRecord.checkedBody(exchange, ImageHeaders.INGESTED);
        Message in = exchange.getIn();
        String captureTime = in.getHeader(ImageHeaders.CAPTURE_TIME, String.class);
        Instant captured;
        try {
            captured = Instant.ofEpochMilli(Long.parseLong(captureTime));
        } catch (NumberFormatException e) {
            throw new InvalidRecordException("record " + ImageRecord.where(exchange) + " has "
                    + ImageHeaders.CAPTURE_TIME + "='" + captureTime + "', not epoch milliseconds");
        }
        in.setHeader(ImageHeaders.SITE, siteId);
        in.setHeader(ImageHeaders.CAPTURE_DATE, DATE.format(captured));
        in.setHeader(ImageHeaders.CAPTURE_TIMESTAMP, captured.toString());
        in.setHeader(ImageHeaders.ENRICHED_AT, Instant.now().toString());
    }
}
