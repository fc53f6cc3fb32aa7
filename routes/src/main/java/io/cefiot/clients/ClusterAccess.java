package io.cefiot.clients;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/**
 * How this process reaches one of the site's clusters: its address, from the setting
 * {@code settingKey}, and the client security settings that go with it (TLS and a SCRAM login
 * for the cloud, nothing on the site network). Every Kafka client the stages make takes its
 * settings from here, so no client can reach the cloud without them.
 */
public final class ClusterAccess {

    /** The SASL mechanism sites log in to the cloud cluster with. */
    public static final String SCRAM = "SCRAM-SHA-512";

    private final String settingKey;
    private final String bootstrapServers;
    private final Optional<String> user;
    private final Map<String, Object> security;

    private ClusterAccess(String settingKey, String bootstrapServers, Optional<String> user, Map<String, Object> security) {
        this.settingKey = settingKey;
        this.bootstrapServers = bootstrapServers;
        this.user = user;
        this.security = Map.copyOf(security);
    }

    /** A cluster reached without TLS or login (the edge cluster, inside the site network). */
    public static ClusterAccess plaintext(String settingKey, String bootstrapServers) {
        return new ClusterAccess(settingKey, bootstrapServers, Optional.empty(), Map.of());
    }

    /**
     * A cluster reached over TLS with a SCRAM-SHA-512 login; {@code caFile} is a PEM file of the
     * authority that signed the brokers' certificates (empty: the JVM's trusted authorities).
     */
    public static ClusterAccess scram(String settingKey, String bootstrapServers, String user, String password, Optional<String> caFile) {
        Map<String, Object> security = new LinkedHashMap<>();
        security.put("security.protocol", "SASL_SSL");
        security.put("sasl.mechanism", SCRAM);
        security.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + jaasQuoted(user) + "\" password=\"" + jaasQuoted(password) + "\";");
        security.put("ssl.endpoint.identification.algorithm", "https");
        caFile.ifPresent(file -> {
            security.put("ssl.truststore.type", "PEM");
            security.put("ssl.truststore.location", file);
        });
        return new ClusterAccess(settingKey, bootstrapServers, Optional.of(user), security);
    }

    /** A cluster reached with the given client security settings (an operator's certificate, say). */
    public static ClusterAccess withSettings(String settingKey, String bootstrapServers, Map<String, Object> security) {
        return new ClusterAccess(settingKey, bootstrapServers, Optional.empty(), security);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String settingKey() {
        return settingKey;
    }

    /** The client security settings alone (security.protocol, sasl.*, ssl.*); empty for plaintext. */
    public Map<String, Object> security() {
        return security;
    }

    /** Settings for a Kafka client of this cluster: its address and security, plus {@code extra}. */
    public Map<String, Object> clientConfig(Map<String, Object> extra) {
        Map<String, Object> config = new LinkedHashMap<>(extra);
        config.put("bootstrap.servers", bootstrapServers);
        config.putAll(security);
        return config;
    }

    public Map<String, Object> clientConfig() {
        return clientConfig(Map.of());
    }

    /** The address with the setting it comes from and, for a login, the user: for messages (never the password). */
    @Override
    public String toString() {
        return settingKey + "=" + bootstrapServers + user.map(u -> " (TLS, " + SCRAM + " user " + u + ")").orElse("");
    }

    /**
     * What an operator should do about a client failure on this cluster, when it is a refused
     * login, a failed TLS handshake or a denied ACL; empty for other failures.
     */
    public Optional<String> explain(Throwable failure) {
        String who = user.map(u -> "user " + u).orElse("this client");
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SaslAuthenticationException) {
                return Optional.of("The Kafka cluster at " + this + " refused the login of " + who + ": the password is wrong or the site's "
                        + "access was revoked (" + cause.getMessage() + "). Set cloud.sasl.password (or CEFIOT_CLOUD_SASL_PASSWORD) to the "
                        + "password the cloud operator issued for this site.");
            }
            if (cause instanceof SslAuthenticationException) {
                return Optional.of("The TLS handshake with the Kafka cluster at " + this + " failed (" + rootMessage(cause)
                        + "). Check that cloud.ssl.ca-file names the authority that signed the cloud brokers' certificates, and that "
                        + "cloud.bootstrap-servers uses the host names in them.");
            }
            if (cause instanceof AuthorizationException) {
                return Optional.of("The Kafka cluster at " + this + " denied " + who + " access to " + denied(cause)
                        + ": a site's login opens only its own topics (SITE.*), consumer groups and uplink transactions. Check that "
                        + "site.id and cloud.sasl.username belong together, or ask the cloud operator to grant this site "
                        + "(./cefiot cloud-access grant); a revoked site is refused like this.");
            }
        }
        return Optional.empty();
    }

    private static String denied(Throwable cause) {
        if (cause instanceof TopicAuthorizationException topics && !topics.unauthorizedTopics().isEmpty()) {
            return "topics " + topics.unauthorizedTopics();
        }
        if (cause instanceof GroupAuthorizationException group && group.groupId() != null) {
            return "consumer group " + group.groupId();
        }
        if (cause instanceof TransactionalIdAuthorizationException) {
            return "its transactional id";
        }
        return "a resource (" + cause.getMessage() + ")";
    }

    private static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    /** A JAAS option value between double quotes: backslashes and quotes escaped. */
    private static String jaasQuoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
