package io.cefiot.localsite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The edge–cloud link of a local site, made real: as root, the cloud side (its Kafka node
 * and the archive) runs in its own network namespace, joined to this one by a veth pair.
 * Cutting the link takes the veth down (what is sent to the cloud then fails at once, and nothing
 * leaves this machine); a slow link is a tbf queue on it. Without root there
 * is no namespace, the cloud listens on loopback, and the link faults are not run.
 */
public final class CloudLink implements AutoCloseable {

    private static final String EDGE_ADDRESS = "10.231.0.1";
    private static final String CLOUD_ADDRESS = "10.231.0.2";
    private static final String LINK_SUBNET = "10.231.0.0/30";

    private final String namespace;
    private final String edgeInterface;
    private final boolean real;

    private CloudLink(String namespace, String edgeInterface, boolean real) {
        this.namespace = namespace;
        this.edgeInterface = edgeInterface;
        this.real = real;
    }

    /** A namespace and veth pair when running as root (and ip works), else no link. */
    public static CloudLink create() {
        String suffix = Long.toString(ProcessHandle.current().pid() % 100000);
        CloudLink link = new CloudLink("cefiot-cloud-" + suffix, "cfe" + suffix, true);
        if (!isRoot()) {
            return new CloudLink(null, null, false);
        }
        String cloudInterface = "cfc" + suffix;
        try {
            link.run("ip", "netns", "add", link.namespace);
            link.run("ip", "link", "add", link.edgeInterface, "type", "veth", "peer", "name", cloudInterface);
            link.run("ip", "link", "set", cloudInterface, "netns", link.namespace);
            link.run("ip", "addr", "add", EDGE_ADDRESS + "/30", "dev", link.edgeInterface);
            // With the veth down its route goes, and the cloud's address would fall to the default
            // route, out of this machine. This route outranks only that: a cut link stays a local fault.
            link.run("ip", "route", "replace", "unreachable", LINK_SUBNET, "metric", "4000");
            link.run("ip", "link", "set", link.edgeInterface, "up");
            link.run("ip", "netns", "exec", link.namespace, "ip", "addr", "add", CLOUD_ADDRESS + "/30", "dev", cloudInterface);
            link.run("ip", "netns", "exec", link.namespace, "ip", "link", "set", cloudInterface, "up");
            link.run("ip", "netns", "exec", link.namespace, "ip", "link", "set", "lo", "up");
            return link;
        } catch (IllegalStateException e) {
            link.close();
            throw new IllegalStateException("Cannot create the cloud network namespace: " + e.getMessage(), e);
        }
    }

    public boolean isReal() {
        return real;
    }

    /** The address the cloud's Kafka node listens on. */
    public String cloudHost() {
        return real ? CLOUD_ADDRESS : "localhost";
    }

    /** The namespace cloud processes run in, if any. */
    public Optional<String> cloudNamespace() {
        return Optional.ofNullable(namespace);
    }

    public void cut() {
        run("ip", "link", "set", edgeInterface, "down");
    }

    public void restore() {
        run("ip", "link", "set", edgeInterface, "up");
    }

    /** Link up and no rate limit, whatever state a fault left it in. */
    public void restoreQuietly() {
        if (real) {
            Shell.run("ip", "link", "set", edgeInterface, "up");
            Shell.run("tc", "qdisc", "del", "dev", edgeInterface, "root");
        }
    }

    /** Limits edge-to-cloud traffic to {@code kbit} kilobits per second. */
    public void limit(int kbit) {
        // tbf can send no faster than one bucket per timer tick: a bucket of 10 ms of traffic
        // (4 KB at least) lets the link reach its rate instead of stalling below it.
        long burstBytes = Math.max(4096, kbit * 1000L / 8 / 100);
        run("tc", "qdisc", "replace", "dev", edgeInterface, "root", "tbf", "rate", kbit + "kbit", "burst",
                Long.toString(burstBytes), "latency", "2s");
    }

    /** Bytes sent from the edge towards the cloud on the link so far (frames, with every header), or -1 without a link. */
    public long bytesSentToCloud() {
        if (!real) {
            return -1;
        }
        try {
            return Long.parseLong(Files.readString(Path.of("/sys/class/net", edgeInterface, "statistics", "tx_bytes")).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    public void unlimit() {
        run("tc", "qdisc", "del", "dev", edgeInterface, "root");
    }

    @Override
    public void close() {
        if (real) {
            Shell.run("ip", "link", "del", edgeInterface);
            Shell.run("ip", "route", "del", "unreachable", LINK_SUBNET, "metric", "4000");
            Shell.run("ip", "netns", "del", namespace);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name")) && Shell.run("ip", "-V");
    }

    private void run(String... command) {
        if (!Shell.run(command)) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }
}
