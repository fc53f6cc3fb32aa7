package io.cefiot.kafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports for Kafka listeners that no other socket on this machine will take before the
 * broker binds them.
 *
 * <p>A port from {@code new ServerSocket(0)} lies in the kernel's ephemeral range, so between
 * choosing it and the broker binding it any outgoing connection (a Kafka client of another
 * cluster, say) may be given the same port; CI saw "Address already in use" that way. Ports here
 * come from below the ephemeral range, which the kernel never hands out on its own, and are
 * remembered so that one JVM never hands the same port to two listeners.
 */
public final class ListenerPorts {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int LINUX_DEFAULT_EPHEMERAL_LOW = 32768;
    private static final int SPAN = 12_000;
    private static final int LOWEST = 1024;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private ListenerPorts() {
    }

    /** A port that is free now, below the ephemeral range, and not yet handed out by this JVM. */
    public static synchronized int next() {
        int high = ephemeralLow();
        int low = Math.max(LOWEST, high - SPAN);
        int span = high - low;
        if (span <= 0) {
            throw new IllegalStateException("The kernel's ephemeral port range starts at " + high
                    + ", leaving no ports below it for Kafka listeners; see " + EPHEMERAL_RANGE);
        }
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = low + (start + i) % span;
            if (!HANDED_OUT.contains(port) && bindable(port)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new IllegalStateException("No free port between " + low + " and " + high + " for a Kafka listener");
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static int ephemeralLow() {
        try {
            // Read line-wise: procfs reports a bogus size, and Files.readString returns one byte.
            try (BufferedReader reader = Files.newBufferedReader(EPHEMERAL_RANGE)) {
                return Integer.parseInt(reader.readLine().trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException notLinux) {
            return LINUX_DEFAULT_EPHEMERAL_LOW;
        }
    }
}
