package io.cefiot.launcher;

import io.cefiot.kafka.KafkaNodeConfig;
import io.cefiot.security.ClusterTls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One node of the Kafka StatefulSet in k3s-manifests/: works out its node id from its pod name,
 * writes its server.properties, formats its volume on first start and runs the node. The same
 * settings as every other cluster of the project (KafkaNodeConfig), so k3s runs what the tests run.
 */
@Command(name = "kafka-node", mixinStandardHelpOptions = true,
        description = "Run this pod's node of a KRaft StatefulSet (format on first start), until stopped.")
public class KafkaNodeCommand implements Callable<Integer> {

    private static final Pattern ORDINAL = Pattern.compile("(.+)-(\\d+)");

    @Option(names = "--pod", defaultValue = "${env:POD_NAME}", paramLabel = "NAME",
            description = "This pod's name, NAME-ORDINAL (default: $POD_NAME).")
    String pod;

    @Option(names = "--nodes", defaultValue = "3", description = "Nodes in the quorum (the StatefulSet's replicas, default 3).")
    int nodes;

    @Option(names = "--domain", required = true, paramLabel = "DOMAIN",
            description = "The headless Service's domain, e.g. kafka.cefiot.svc.cluster.local.")
    String domain;

    @Option(names = "--cluster-id", defaultValue = "${env:KAFKA_CLUSTER_ID}", paramLabel = "ID",
            description = "The cluster id the volume is formatted with (default: $KAFKA_CLUSTER_ID).")
    String clusterId;

    @Option(names = "--data", defaultValue = "/var/lib/kafka", paramLabel = "DIR", description = "The node's volume (default /var/lib/kafka).")
    Path data;

    @Option(names = "--external-host", paramLabel = "HOST",
            description = "Also listen on --external-port and advertise HOST there, for clients outside the cluster (the edge's uplink).")
    String externalHost;

    @Option(names = "--external-port", defaultValue = "9094", description = "Port of the external listener (default 9094).")
    int externalPort;

    @Option(names = "--tls-dir", paramLabel = "DIR",
            description = "The cluster's TLS material (./cefiot cloud-access tls made it; in k3s the Secret cefiot-kafka-tls): "
                    + "required with --external-host, whose listener takes TLS and SCRAM-SHA-512 logins only.")
    Path tlsDir;

    @Override
    public Integer call() {
        Matcher name = pod == null ? null : ORDINAL.matcher(pod);
        if (name == null || !name.matches()) {
            System.err.println("cefiot: --pod (or POD_NAME) must be NAME-ORDINAL, as a StatefulSet names its pods; got " + pod + ".");
            return 2;
        }
        int nodeId = Integer.parseInt(name.group(2));
        if (nodeId >= nodes) {
            System.err.println("cefiot: pod " + pod + " is node " + nodeId + " but --nodes is " + nodes
                    + ": set --nodes to the StatefulSet's replicas.");
            return 2;
        }
        if (clusterId == null || clusterId.isBlank()) {
            System.err.println("cefiot: no cluster id: set KAFKA_CLUSTER_ID (22 characters, base64) or --cluster-id.");
            return 2;
        }
        KafkaNodeConfig cluster = KafkaNodeConfig.forStatefulSet(nodes, name.group(1), domain, 9092, 9093, 9095, data);
        Map<String, String> overrides = new LinkedHashMap<>();
        if (externalHost != null) {
            if (tlsDir == null || !Files.isReadable(tlsDir.resolve("node.p12"))) {
                System.err.println("cefiot: --external-host needs --tls-dir with the cluster's node.p12 (" + tlsDir + "): the sites' "
                        + "listener takes TLS and SCRAM-SHA-512 logins only. Make it with ./cefiot cloud-access tls; in k3s, create "
                        + "the Secret cefiot-kafka-tls from it (k3s-manifests/README.md).");
                return 2;
            }
            overrides.putAll(cluster.withSitesListener(nodeId, externalHost, externalPort, new ClusterTls(tlsDir)));
        }
        Path file = cluster.prepare(nodeId, clusterId, overrides, data.resolve("server.properties"));
        System.out.println("cefiot: Kafka node " + nodeId + " of " + nodes + " (" + pod + "." + domain + "), data in " + cluster.logDirectory(nodeId));
        return BrokerCommand.runNode(file);
    }
}
