package io.cefiot.launcher;

import io.cefiot.kafka.EmbeddedKafkaCluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One KRaft node (broker and controller) in this process, from a server.properties whose log
 * directory is already formatted. {@code ./cefiot chaos} runs each node of its local site this
 * way, so that a node can be killed on its own.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run one Kafka KRaft node from a formatted server.properties, until stopped (used by ./cefiot chaos).")
public class BrokerCommand implements Callable<Integer> {

    @Option(names = "--properties", required = true, paramLabel = "FILE", description = "The node's server.properties.")
    Path propertiesFile;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(propertiesFile)) {
            System.err.println("cefiot: no node configuration at " + propertiesFile + ".");
            return 2;
        }
        return runNode(propertiesFile);
    }

    /** Runs the KRaft node of a formatted server.properties until the JVM stops. */
    static int runNode(Path propertiesFile) {
        Properties properties = EmbeddedKafkaCluster.load(propertiesFile);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "cefiot-broker-shutdown"));
        server.startup();
        System.out.println("cefiot: Kafka node " + properties.getProperty("node.id") + " running ("
                + properties.getProperty("listeners") + ")");
        server.awaitShutdown();
        return 0;
    }
}
