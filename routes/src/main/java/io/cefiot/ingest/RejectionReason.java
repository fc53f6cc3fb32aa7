package io.cefiot.ingest;

/** Why ingest refused a spool file. The quarantine's reason file names it. */
public enum RejectionReason {
    EMPTY("the file has zero bytes"),
    OVERSIZED("the file is larger than spool.max-image-bytes"),
    UNREADABLE("the file cannot be read"),
    NOT_A_JPEG("the file does not start with a JPEG start-of-image marker (FF D8)"),
    TRUNCATED("the JPEG has no end-of-image marker (FF D9): it was cut short"),
    BAD_NAME("the file name does not follow the spool naming contract");

    private final String meaning;

    RejectionReason(String meaning) {
        this.meaning = meaning;
    }

    public String meaning() {
        return meaning;
    }
}
