package io.cefiot.site;

import java.util.Locale;

/**
 * What the edge does when images waiting for the link reach edge.buffer.max-bytes or
 * edge.buffer.max-age-ms, as Greengrass stream manager's StrategyOnFull: either the newest
 * wait (in the spool, before ingest) or the oldest go. Neither is silent.
 */
public enum BufferPolicy {
    /** Ingest pauses at the byte limit and images wait in the spool; nothing is lost. Age only raises an alarm. */
    WAIT,
    /** The edge topics' retention deletes the oldest images at either limit; the uplink logs and counts them. */
    DROP_OLDEST;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static BufferPolicy parse(String value, String origin) {
        for (BufferPolicy policy : values()) {
            if (policy.id().equals(value.trim())) {
                return policy;
            }
        }
        throw new ConfigException("Setting 'edge.buffer.policy' is '" + value + "' in " + origin + ": use wait or drop-oldest.");
    }
}
