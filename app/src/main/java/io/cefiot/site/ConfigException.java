package io.cefiot.site;

/** A setting that is missing or wrong. The message names the setting and what to do. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
