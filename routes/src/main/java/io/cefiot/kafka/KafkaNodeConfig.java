package io.cefiot.kafka;

import io.cefiot.contract.ImageRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The server.properties of a small KRaft cluster on this host: every node is a combined
 * broker and controller with a static quorum, and topics default to replication factor 3
 * and min.insync.replicas 2 where there are 3 nodes (fewer on a smaller cluster).
 */
public final class KafkaNodeConfig {

    private final List<Integer> brokerPorts;
    private final List<Integer> controllerPorts;
    private final Path dataDirectory;

    private KafkaNodeConfig(List<Integer> brokerPorts, List<Integer> controllerPorts, Path dataDirectory) {
        this.brokerPorts = brokerPorts;
        this.controllerPorts = controllerPorts;
        this.dataDirectory = dataDirectory;
    }

    /** A cluster of {@code nodes} nodes on free loopback ports, with data under {@code dataDirectory}. */
    public static KafkaNodeConfig onFreePorts(int nodes, Path dataDirectory) {
        List<Integer> brokers = new ArrayList<>();
        List<Integer> controllers = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            brokers.add(freePort());
            controllers.add(freePort());
        }
        return new KafkaNodeConfig(brokers, controllers, dataDirectory);
    }

    public int size() {
        return brokerPorts.size();
    }

    public String bootstrapServers() {
        return brokerPorts.stream().map(p -> "localhost:" + p).collect(Collectors.joining(","));
    }

    public Path logDirectory(int nodeId) {
        return dataDirectory.resolve("node-" + nodeId);
    }

    public Properties properties(int nodeId) {
        int nodes = size();
        String replicas = Integer.toString(Math.min(3, nodes));
        String minInsync = Integer.toString(Math.min(2, nodes));
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(nodeId));
        p.setProperty("controller.quorum.voters", voters());
        p.setProperty("listeners", "PLAINTEXT://localhost:" + brokerPorts.get(nodeId)
                + ",CONTROLLER://localhost:" + controllerPorts.get(nodeId));
        p.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + brokerPorts.get(nodeId));
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDirectory(nodeId).toString());
        p.setProperty("default.replication.factor", replicas);
        p.setProperty("min.insync.replicas", minInsync);
        p.setProperty("offsets.topic.replication.factor", replicas);
        p.setProperty("transaction.state.log.replication.factor", replicas);
        p.setProperty("transaction.state.log.min.isr", minInsync);
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("message.max.bytes", Integer.toString(ImageRecord.MAX_RECORD_BYTES));
        p.setProperty("replica.fetch.max.bytes", Integer.toString(ImageRecord.MAX_RECORD_BYTES));
        // A site's consumers should start at once, not wait for more members.
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("num.partitions", "6");
        return p;
    }

    private String voters() {
        List<String> voters = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            voters.add(i + "@localhost:" + controllerPorts.get(i));
        }
        return String.join(",", voters);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free local port for a Kafka listener", e);
        }
    }
}
