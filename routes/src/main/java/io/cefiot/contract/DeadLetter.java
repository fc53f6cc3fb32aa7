package io.cefiot.contract;

import org.apache.camel.Exchange;

/** Marks a record bound for a dead-letter topic with the stage that refused it and why. */
public class DeadLetter {

    public void mark(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        exchange.getIn().setHeader(ImageHeaders.REJECTED_BY, exchange.getFromRouteId());
        exchange.getIn().setHeader(ImageHeaders.REJECTED_REASON, cause == null ? "unknown" : cause.getMessage());
        exchange.setProperty(Outcome.PROPERTY, Outcome.DEAD_LETTERED);
    }
}
