package io.cefiot.site;

import java.util.Locale;

/** The two sides of the Internet hop. */
public enum Side {
    EDGE, CLOUD;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The setting that holds this side's Kafka cluster address. */
    public Setting bootstrapServersSetting() {
        return this == EDGE ? Setting.EDGE_BOOTSTRAP_SERVERS : Setting.CLOUD_BOOTSTRAP_SERVERS;
    }

    public static Side parse(String value, String settingKey) {
        for (Side side : values()) {
            if (side.id().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return side;
            }
        }
        throw new ConfigException("Setting '" + settingKey + "' is '" + value + "': it must be 'edge' or 'cloud'.");
    }
}
