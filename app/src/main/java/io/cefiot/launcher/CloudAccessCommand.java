package io.cefiot.launcher;

import io.cefiot.clients.ClusterAccess;
import io.cefiot.security.ClusterTls;
import io.cefiot.security.Passwords;
import io.cefiot.security.SiteAccess;
import io.cefiot.site.ConfigException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The cloud operator's side of a site's login: grant a site its SCRAM login and ACLs, revoke
 * them, or make the TLS material of a cloud cluster. Runs against the cluster's operator
 * listener: the internal one with the operator's certificate ({@code --tls-dir}), or, in k3s,
 * the in-cluster listener.
 */
@Command(name = "cloud-access", mixinStandardHelpOptions = true,
        description = "Grant or revoke an edge site's access to the cloud Kafka cluster, or make the cluster's TLS material.",
        subcommands = {CloudAccessCommand.Grant.class, CloudAccessCommand.Revoke.class, CloudAccessCommand.Tls.class})
public class CloudAccessCommand {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...",
            description = "The cloud cluster's operator listener: its internal listener (with --tls-dir), or in k3s the "
                    + "in-cluster one (kafka-0.kafka:9092).")
    String bootstrapServers;

    @Option(names = "--tls-dir", paramLabel = "DIR",
            description = "The cluster's TLS folder (cloud-access tls made it): log in with its operator certificate.")
    Path tlsDir;

    Admin operator() {
        if (bootstrapServers == null) {
            throw new ConfigException("--bootstrap-servers is required: the cloud cluster's operator listener.");
        }
        ClusterAccess cluster = tlsDir == null ? ClusterAccess.plaintext("--bootstrap-servers", bootstrapServers)
                : ClusterAccess.withSettings("--bootstrap-servers", bootstrapServers, new ClusterTls(tlsDir).operatorClientConfig());
        return Admin.create(cluster.clientConfig(Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000)));
    }

    /** Which site, and its user on the cloud cluster. */
    static class SiteUser {

        @Option(names = "--site", required = true, paramLabel = "ID", description = "The site's id (site.id).")
        String site;

        @Option(names = "--user", paramLabel = "NAME", description = "The site's user (default: the site id).")
        String user;

        String name() {
            return user == null ? site : user;
        }
    }

    @Command(name = "grant", mixinStandardHelpOptions = true,
            description = "Give a site its login (SCRAM-SHA-512) and ACLs: its own topics, groups and uplink transactions only.")
    static class Grant implements Callable<Integer> {

        @ParentCommand
        CloudAccessCommand parent;

        @Mixin
        SiteUser who;

        @Option(names = "--password-file", required = true, paramLabel = "FILE",
                description = "The site's password: read from FILE if it exists, else made (random, 192 bits) and written there, "
                        + "readable by you only. Give it to the site's provisioning (Ansible Vault, the Secret cefiot-cloud-login).")
        Path passwordFile;

        @Override
        public Integer call() throws IOException {
            String site = who.site;
            String name = who.name();
            String password;
            if (Files.exists(passwordFile)) {
                password = Files.readString(passwordFile).trim();
                if (password.length() < 16) {
                    System.err.println("cefiot: " + passwordFile + " holds fewer than 16 characters; use a longer password or remove "
                            + "the file to have one made.");
                    return 2;
                }
            } else {
                password = Passwords.random();
                ClusterTls.writePrivate(passwordFile, password.getBytes(StandardCharsets.UTF_8));
            }
            try (Admin admin = parent.operator()) {
                SiteAccess.grant(admin, site, name, password);
            }
            System.out.println("Granted site " + site + " (user " + name + "): its topics " + site + ".*, its consumer groups and uplink "
                    + "transactions. Its password is in " + passwordFile + ".");
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Take a site's access away at once: its ACLs (open connections are refused from the next request) and its login.")
    static class Revoke implements Callable<Integer> {

        @ParentCommand
        CloudAccessCommand parent;

        @Mixin
        SiteUser who;

        @Override
        public Integer call() {
            String site = who.site;
            String name = who.name();
            try (Admin admin = parent.operator()) {
                SiteAccess.revoke(admin, name);
            }
            System.out.println("Revoked site " + site + " (user " + name + "): its uplink is refused from now on; its images wait at "
                    + "its edge. Other sites are untouched. To let it back in: cloud-access grant with a new password.");
            return 0;
        }
    }

    @Command(name = "tls", mixinStandardHelpOptions = true,
            description = "Make a cloud cluster's TLS material: a CA (ca.pem), the nodes' certificate (node.p12) for the given host "
                    + "names, and the operator's (operator.p12), each keystore's password beside it.")
    static class Tls implements Callable<Integer> {

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write (its earlier files are replaced).")
        Path out;

        @Option(names = "--host", required = true, paramLabel = "NAME",
                description = "A name or address the sites and nodes reach a node at (repeat for each).")
        List<String> hosts;

        @Override
        public Integer call() {
            ClusterTls tls = ClusterTls.create(out, hosts);
            System.out.println("Wrote " + tls.caCertificate() + " (give it to the sites: cloud.ssl.ca-file), " + tls.nodeKeystore()
                    + " and " + tls.operatorKeystore() + " (keep them on the cloud; in k3s: kubectl -n cefiot create secret generic "
                    + "cefiot-kafka-tls --from-file=" + out + ").");
            return 0;
        }
    }
}
