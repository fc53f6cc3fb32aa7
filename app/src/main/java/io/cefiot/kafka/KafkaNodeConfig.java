package io.cefiot.kafka;

import io.cefiot.contract.ImageRecord;
import io.cefiot.security.ClusterTls;
import io.cefiot.clients.ClusterAccess;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import kafka.tools.StorageTool;

/**
 * The server.properties of a small KRaft cluster on this host: every node is a combined
 * broker and controller with a static quorum, and topics default to replication factor 3
 * and min.insync.replicas 2 where there are 3 nodes (fewer on a smaller cluster).
 */
public final class KafkaNodeConfig {

    /** The address each node advertises, by node id. */
    private final List<String> hosts;
    /** The address nodes listen on: empty for every interface, null for their advertised address. */
    private final String bindHost;
    private final List<Integer> brokerPorts;
    private final List<Integer> controllerPorts;
    /** Ports of the internal (inter-node) listener, used only when the cluster is secured. */
    private final List<Integer> internalPorts;
    private final Path dataDirectory;
    /** The cluster's TLS material; null for a plaintext cluster (the edge, inside the site network). */
    private final ClusterTls tls;

    private KafkaNodeConfig(List<String> hosts, String bindHost, List<Integer> brokerPorts, List<Integer> controllerPorts,
                            List<Integer> internalPorts, Path dataDirectory, ClusterTls tls) {
        this.hosts = hosts;
        this.bindHost = bindHost;
        this.brokerPorts = brokerPorts;
        this.controllerPorts = controllerPorts;
        this.internalPorts = internalPorts;
        this.dataDirectory = dataDirectory;
        this.tls = tls;
    }

    /**
     * This cluster secured as the cloud cluster is: clients (the sites) on the broker port with
     * TLS and a SCRAM-SHA-512 login, each allowed only what its ACLs grant (StandardAuthorizer,
     * nothing without an ACL); nodes among themselves and the operator's tools on the internal
     * and controller listeners with mutual TLS, as super users.
     */
    public KafkaNodeConfig secured(ClusterTls clusterTls) {
        return new KafkaNodeConfig(hosts, bindHost, brokerPorts, controllerPorts, internalPorts, dataDirectory, clusterTls);
    }

    public Optional<ClusterTls> tls() {
        return Optional.ofNullable(tls);
    }

    /** The distinct host names the nodes advertise: what their certificate must name. */
    public List<String> hosts() {
        return hosts.stream().distinct().toList();
    }

    /**
     * The nodes of a Kubernetes StatefulSet {@code name} behind the headless Service {@code domain}
     * (for example {@code kafka.cefiot.svc.cluster.local}): node i is pod {@code name-i}, every node
     * on the same ports, listening on all of its pod's interfaces.
     */
    public static KafkaNodeConfig forStatefulSet(int nodes, String name, String domain, int brokerPort, int controllerPort, int internalPort,
                                                 Path dataDirectory) {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            hosts.add(name + "-" + i + "." + domain);
        }
        return new KafkaNodeConfig(hosts, "", Collections.nCopies(nodes, brokerPort), Collections.nCopies(nodes, controllerPort),
                Collections.nCopies(nodes, internalPort), dataDirectory, null);
    }

    /** A cluster of {@code nodes} nodes on free loopback ports, with data under {@code dataDirectory}. */
    public static KafkaNodeConfig onFreePorts(int nodes, Path dataDirectory) {
        return onFreePorts(nodes, dataDirectory, "localhost");
    }

    /**
     * A cluster of {@code nodes} nodes listening on {@code host} (an address of this machine or of
     * a network namespace the nodes will run in), on ports free on this machine's loopback.
     */
    public static KafkaNodeConfig onFreePorts(int nodes, Path dataDirectory, String host) {
        List<Integer> brokers = new ArrayList<>();
        List<Integer> controllers = new ArrayList<>();
        List<Integer> internals = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            brokers.add(ListenerPorts.next());
            controllers.add(ListenerPorts.next());
            internals.add(ListenerPorts.next());
        }
        return new KafkaNodeConfig(Collections.nCopies(nodes, host), null, brokers, controllers, internals, dataDirectory, null);
    }

    /**
     * Writes node {@code nodeId}'s server.properties (with {@code overrides}) next to its log
     * directory and formats that directory for the cluster, as kafka-storage format does.
     */
    public Path prepare(int nodeId, String clusterId, Map<String, String> overrides) {
        return prepare(nodeId, clusterId, overrides, dataDirectory.resolve("node-" + nodeId + ".properties"));
    }

    /**
     * As {@link #prepare(int, String, Map)}, with the properties at {@code file}. A log directory
     * already formatted for this cluster is kept as it is: a restarted pod keeps its data.
     */
    public Path prepare(int nodeId, String clusterId, Map<String, String> overrides, Path file) {
        Properties properties = properties(nodeId);
        overrides.forEach(properties::setProperty);
        try {
            Files.createDirectories(dataDirectory);
            if (tls != null) {
                // It holds the keystore's password: readable by the node's user only.
                ClusterTls.writePrivate(file, new byte[0]);
            }
            try (Writer writer = Files.newBufferedWriter(file)) {
                properties.store(writer, "CEFIoT KRaft node " + nodeId);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        int status = StorageTool.execute(new String[] {"format", "--ignore-formatted", "-t", clusterId, "-c", file.toString()}, quiet);
        if (status != 0) {
            throw new IllegalStateException("kafka-storage format failed for " + file + " (status " + status + ")");
        }
        return file;
    }

    public int size() {
        return brokerPorts.size();
    }

    public String bootstrapServers() {
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            servers.add(hosts.get(i) + ":" + brokerPorts.get(i));
        }
        return String.join(",", servers);
    }

    /** The internal listeners (mutual TLS, super users only) of a secured cluster: where the operator's tools connect. */
    public String internalBootstrapServers() {
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            servers.add(hosts.get(i) + ":" + internalPorts.get(i));
        }
        return String.join(",", servers);
    }

    /** How the operator's tools reach this cluster: plaintext, or its internal listeners with the operator's certificate. */
    public ClusterAccess operatorAccess() {
        return tls == null ? ClusterAccess.plaintext("cluster", bootstrapServers())
                : ClusterAccess.withSettings("cluster", internalBootstrapServers(), tls.operatorClientConfig());
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
        String host = hosts.get(nodeId);
        String bind = bindHost == null ? host : bindHost;
        if (tls == null) {
            p.setProperty("listeners", "PLAINTEXT://" + bind + ":" + brokerPorts.get(nodeId)
                    + ",CONTROLLER://" + bind + ":" + controllerPorts.get(nodeId));
            p.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPorts.get(nodeId));
            p.setProperty("controller.listener.names", "CONTROLLER");
            p.setProperty("inter.broker.listener.name", "PLAINTEXT");
            p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        } else {
            putSecuredListeners(p, nodeId, host, bind);
        }
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
        // Edge buffer limits (retention) are checked every 10 s, not every 5 minutes.
        p.setProperty("log.retention.check.interval.ms", "10000");
        // A dead node's partitions get new leaders once the controller fences it: after 3 s without
        // a heartbeat (Kafka's default is 9 s, and writes to its partitions waited that long). Six
        // heartbeats fit in that window, so a node is fenced only after a 3 s stall (a GC pause of
        // a loaded Pi is far shorter); a fenced node that is alive rejoins by itself.
        p.setProperty("broker.session.timeout.ms", "3000");
        p.setProperty("broker.heartbeat.interval.ms", "500");
        return p;
    }

    private void putSecuredListeners(Properties p, int nodeId, String host, String bind) {
        p.setProperty("listeners", "EXTERNAL://" + bind + ":" + brokerPorts.get(nodeId)
                + ",INTERNAL://" + bind + ":" + internalPorts.get(nodeId)
                + ",CONTROLLER://" + bind + ":" + controllerPorts.get(nodeId));
        p.setProperty("advertised.listeners", "EXTERNAL://" + host + ":" + brokerPorts.get(nodeId)
                + ",INTERNAL://" + host + ":" + internalPorts.get(nodeId));
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "INTERNAL");
        p.setProperty("listener.security.protocol.map", "EXTERNAL:SASL_SSL,INTERNAL:SSL,CONTROLLER:SSL");
        siteListener("external", tls, ClusterTls.NODE_PRINCIPAL + ";" + ClusterTls.OPERATOR_PRINCIPAL).forEach(p::setProperty);
        p.setProperty("listener.name.internal.ssl.client.auth", "required");
        p.setProperty("listener.name.controller.ssl.client.auth", "required");
        p.setProperty("ssl.keystore.type", "PKCS12");
        p.setProperty("ssl.keystore.location", tls.nodeKeystore().toString());
        p.setProperty("ssl.keystore.password", tls.nodeKeystorePassword());
        p.setProperty("ssl.truststore.type", "PEM");
        p.setProperty("ssl.truststore.location", tls.caCertificate().toString());
    }

    /**
     * Overrides that give node {@code nodeId} of this plaintext cluster a listener for the sites,
     * EXTERNAL on {@code externalPort} advertised as {@code externalHost}: TLS with SCRAM-SHA-512
     * logins, each site only its ACLs. Inside the cluster (its plaintext listener, which the k3s
     * namespace's NetworkPolicy fences, and the controllers) clients are ANONYMOUS and trusted.
     * What the k3s cloud's nodes run ({@code kafka-node --external-host}).
     */
    public Map<String, String> withSitesListener(int nodeId, String externalHost, int externalPort, ClusterTls sitesTls) {
        Properties properties = properties(nodeId);
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("listeners", properties.getProperty("listeners") + ",EXTERNAL://:" + externalPort);
        overrides.put("advertised.listeners", properties.getProperty("advertised.listeners") + ",EXTERNAL://" + externalHost + ":" + externalPort);
        overrides.put("listener.security.protocol.map", properties.getProperty("listener.security.protocol.map") + ",EXTERNAL:SASL_SSL");
        overrides.putAll(siteListener("external", sitesTls, "User:ANONYMOUS"));
        return overrides;
    }

    /**
     * The settings of the listener {@code listener} that sites connect to (TLS with the nodes'
     * certificate, SCRAM-SHA-512 logins), and of the authorizer that gives them only their ACLs:
     * nothing without an ACL, {@code superUsers} (';'-separated principals) everything.
     */
    public static Map<String, String> siteListener(String listener, ClusterTls tls, String superUsers) {
        String prefix = "listener.name." + listener + ".";
        Map<String, String> p = new LinkedHashMap<>();
        p.put("sasl.enabled.mechanisms", ClusterAccess.SCRAM);
        // The server side of SCRAM needs only the login module: the users live in the cluster's metadata.
        p.put(prefix + "scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put(prefix + "ssl.keystore.type", "PKCS12");
        p.put(prefix + "ssl.keystore.location", tls.nodeKeystore().toString());
        p.put(prefix + "ssl.keystore.password", tls.nodeKeystorePassword());
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", superUsers);
        p.put("allow.everyone.if.no.acl.found", "false");
        // A site whose login is deleted keeps no connection for long: logins are checked again every 5 minutes.
        p.put("connections.max.reauth.ms", "300000");
        return p;
    }

    private String voters() {
        List<String> voters = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            voters.add(i + "@" + hosts.get(i) + ":" + controllerPorts.get(i));
        }
        return String.join(",", voters);
    }
}
