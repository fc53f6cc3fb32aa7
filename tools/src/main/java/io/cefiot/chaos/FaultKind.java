package io.cefiot.chaos;

/** The faults a chaos run injects: each is one row of the fault matrix. */
enum FaultKind {
    BROKER_KILL("SIGKILL of an edge Kafka node (often the leader of partition 0)"),
    BROKER_STALL("an edge Kafka node stalled (SIGSTOP) past its session timeout, then resumed (SIGCONT)"),
    STAGE_KILL("SIGKILL of a stage replica (ingest, enrich, uplink or archive)"),
    NODE_LOSS("an edge node lost: its Kafka node and its stage replicas, together"),
    LINK_CUT("edge-cloud link cut, then restored"),
    LINK_SLOW("edge-cloud link limited to 2 Mbit/s, with a backlog to drain"),
    DISK_FULL("spool disk full"),
    CLOUD_BROKER_RESTART("cloud Kafka node SIGKILLed and restarted"),
    CLOUD_BROKER_STALL("cloud Kafka node stalled (SIGSTOP) past the uplink's timeouts while transactions are open, then resumed"),
    TWO_BROKERS_LOST("two of three edge Kafka nodes lost at once (edge writes stop: degraded)");

    final String description;

    FaultKind(String description) {
        this.description = description;
    }

    boolean needsRoot() {
        return this == LINK_CUT || this == LINK_SLOW || this == DISK_FULL;
    }
}
