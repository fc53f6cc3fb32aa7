package io.cefiot.ingest;

/** A spool file that is not a usable image. It goes to quarantine; the route goes on. */
public class ImageRejectedException extends Exception {

    private final RejectionReason reason;

    public ImageRejectedException(RejectionReason reason, String detail) {
        super(reason + ": " + reason.meaning() + " (" + detail + ")");
        this.reason = reason;
    }

    public RejectionReason reason() {
        return reason;
    }
}
