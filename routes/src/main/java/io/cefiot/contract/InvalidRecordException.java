package io.cefiot.contract;

/** An image record that breaks the data contract. It goes to the dead-letter topic. */
public class InvalidRecordException extends Exception {

    public InvalidRecordException(String message) {
        super(message);
    }
}
