package io.cefiot.security;

import io.cefiot.clients.ClusterAccess;
import io.cefiot.kafka.EmbeddedKafkaCluster;
import io.cefiot.kafka.KafkaNodeConfig;
import io.cefiot.kafka.ListenerPorts;
import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.site.ConfigException;
import io.cefiot.site.Setting;
import io.cefiot.site.SitePlan;
import io.cefiot.site.Stage;
import io.cefiot.testing.ArchiveContents;
import io.cefiot.testing.CommandRun;
import io.cefiot.testing.KafkaClusterExtension;
import io.cefiot.testing.TestSite;
import io.cefiot.testing.Topics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.apache.camel.util.FileUtil;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The cloud cluster as it runs for real sites: TLS, SCRAM-SHA-512 logins, StandardAuthorizer with
 * per-site ACLs (a real KRaft node, {@link EmbeddedKafkaCluster#startSecured}), and the stages
 * reaching it with a site's login.
 */
class CloudSecurityTest {

    @RegisterExtension
    static KafkaClusterExtension edge = new KafkaClusterExtension(1);

    static Path cloudDir;
    static EmbeddedKafkaCluster cloud;
    static Admin operator;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSecuredCloud() throws IOException {
        cloudDir = Files.createTempDirectory("cefiot-secured-cloud-");
        cloud = EmbeddedKafkaCluster.startSecured(1, cloudDir);
        operator = Admin.create(cloud.operatorAccess().clientConfig());
    }

    @AfterAll
    static void stopCloud() {
        operator.close();
        cloud.close();
        FileUtil.removeDir(cloudDir.toFile());
    }

    @Test
    void should_carry_images_from_the_camera_to_the_archive_with_the_uplink_logged_in_over_tls() {
        TestSite site = site("secure-flow", grant("secure-flow")).set(Setting.CAMERA_IMAGES, "8").set(Setting.CAMERA_INTERVAL_MS, "50");

        try (PipelineRuntime runtime = PipelineRuntime.start(site.config(), SitePlan.of(site.config()).stages())) {
            await().atMost(Duration.ofMinutes(2)).until(() -> ArchiveContents.images(site.archive()).size() >= 8);
        } catch (Exception e) {
            throw new AssertionError(e);
        }

        assertThat(ArchiveContents.imageHashes(site.archive())).containsExactlyElementsOf(ArchiveContents.loggedHashes(site.captureLog()));
    }

    @Test
    void should_refuse_a_wrong_password_and_say_which_setting_to_fix() {
        grant("wrong-pass");
        ClusterAccess wrong = login("wrong-pass", "not-the-password");

        try (Admin admin = Admin.create(wrong.clientConfig(timeouts()))) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        TestSite site = site("wrong-pass", "not-the-password");
        assertThatThrownBy(() -> PipelineRuntime.start(site.config(), List.of(Stage.UPLINK)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("refused the login of user wrong-pass")
                .hasMessageContaining("cloud.sasl.password")
                .hasMessageNotContaining("not-the-password");
    }

    @Test
    void should_deny_a_site_the_topics_of_another_site_and_name_what_was_denied() throws Exception {
        String northPassword = grant("north");
        grant("south");
        String southTopic = "south.images.enriched";
        operator.createTopics(List.of(new NewTopic(southTopic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        ClusterAccess north = login("north", northPassword);

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(north.clientConfig(Map.of("max.block.ms", 15_000)),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(southTopic, new byte[] {1})).get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(north.clientConfig(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "cefiot-north-archive", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(southTopic));
            assertThatThrownBy(() -> {
                for (int i = 0; i < 50; i++) {
                    consumer.poll(Duration.ofMillis(200));
                }
            }).isInstanceOf(TopicAuthorizationException.class);
        }
        // A site configured as south but logging in as north: its uplink cannot start, and says why.
        TestSite posing = site("south", northPassword).set(Setting.CLOUD_SASL_USERNAME, "north");
        assertThatThrownBy(() -> PipelineRuntime.start(posing.config(), List.of(Stage.UPLINK)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("denied user north access to topics [south.images")
                .hasMessageContaining("only its own topics");
    }

    @Test
    void should_refuse_clients_without_tls_or_without_a_login_on_the_sites_listener() {
        ClusterAccess plaintext = ClusterAccess.plaintext("cloud", cloud.bootstrapServers());
        ClusterAccess tlsWithoutLogin = ClusterAccess.withSettings("cloud", cloud.bootstrapServers(), Map.of(
                "security.protocol", "SSL", "ssl.truststore.type", "PEM",
                "ssl.truststore.location", ca().toString()));

        assertRefused(plaintext, "PLAINTEXT");
        assertRefused(tlsWithoutLogin, "SSL without a login");
    }

    @Test
    void should_stop_a_revoked_sites_uplink_while_other_sites_carry_on() throws Exception {
        TestSite east = site("east", grant("east"));
        TestSite west = site("west", grant("west"));
        try (PipelineRuntime eastUplink = PipelineRuntime.start(east.config(), List.of(Stage.UPLINK));
             PipelineRuntime westUplink = PipelineRuntime.start(west.config(), List.of(Stage.UPLINK))) {
            send("east", 0, 4);
            send("west", 0, 4);
            assertThat(Topics.readAtLeast(cloud.operatorAccess(), "east.images.enriched", 4, Duration.ofMinutes(1))).hasSize(4);
            assertThat(Topics.readAtLeast(cloud.operatorAccess(), "west.images.enriched", 4, Duration.ofMinutes(1))).hasSize(4);

            SiteAccess.revoke(operator, "east");
            send("east", 4, 8);
            send("west", 4, 8);

            assertThat(Topics.readAtLeast(cloud.operatorAccess(), "west.images.enriched", 8, Duration.ofMinutes(1)))
                    .as("the other site carries on").hasSize(8);
            await().atMost(Duration.ofMinutes(1)).until(() -> linkUp(eastUplink) == 0.0);
            assertThat(Topics.readAtLeast(cloud.operatorAccess(), "east.images.enriched", 4, Duration.ofMinutes(1)))
                    .as("nothing more of the revoked site reached the cloud").hasSize(4);
            assertThat(linkUp(westUplink)).isEqualTo(1.0);
        }
    }

    @Test
    void the_operator_grants_and_revokes_a_site_from_the_command_line() throws Exception {
        Path passwordFile = dir.resolve("lake.password");
        List<String> operatorListener = List.of("cloud-access", "--bootstrap-servers", cloud.operatorAccess().bootstrapServers(),
                "--tls-dir", cloud.tls().orElseThrow().directory().toString());

        assertThat(cefiot(operatorListener, "grant", "--site", "lake", "--password-file", passwordFile.toString())).isZero();
        assertThat(Files.getPosixFilePermissions(passwordFile)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        ClusterAccess lake = login("lake", Files.readString(passwordFile).trim());
        try (Admin admin = Admin.create(lake.clientConfig(timeouts()))) {
            admin.createTopics(List.of(new NewTopic("lake.images.enriched", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }

        assertThat(cefiot(operatorListener, "revoke", "--site", "lake")).isZero();
        try (Admin admin = Admin.create(lake.clientConfig(timeouts()))) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void a_k3s_cloud_node_takes_only_logged_in_sites_on_its_external_listener_and_each_only_its_topics() throws Exception {
        Path data = dir.resolve("k3s-cloud");
        KafkaNodeConfig inCluster = KafkaNodeConfig.onFreePorts(1, data);
        ClusterTls tls = ClusterTls.create(data.resolve("tls"), List.of("localhost"));
        int external = ListenerPorts.next();
        String sites = "localhost:" + external;
        try (EmbeddedKafkaCluster node = EmbeddedKafkaCluster.start(inCluster, data, id -> inCluster.withSitesListener(id, "localhost", external, tls));
             Admin inside = Admin.create(node.operatorAccess().clientConfig())) {
            String password = Passwords.random();
            SiteAccess.grant(inside, "harbour", "harbour", password);
            ClusterAccess harbour = ClusterAccess.scram("cloud.bootstrap-servers", sites, "harbour", password,
                    Optional.of(tls.caCertificate().toString()));

            try (Admin admin = Admin.create(harbour.clientConfig(timeouts()))) {
                admin.createTopics(List.of(new NewTopic("harbour.images.enriched", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("quay.images.enriched", 1, (short) 1))).all()
                        .get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
            assertRefused(ClusterAccess.plaintext("cloud", sites), "PLAINTEXT");
        }
    }

    /** A client that cannot even learn the cluster's brokers: the listener disconnects it or never answers. */
    private static void assertRefused(ClusterAccess client, String what) {
        try (Admin admin = Admin.create(client.clientConfig(timeouts()))) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .as(what).isInstanceOfAny(ExecutionException.class, TimeoutException.class);
        }
    }

    private static int cefiot(List<String> command, String... subcommand) {
        return CommandRun.of(Stream.concat(command.stream(), Stream.of(subcommand)).toArray(String[]::new)).exit();
    }

    private static double linkUp(PipelineRuntime runtime) {
        return runtime.metrics().get("cefiot.link.up").gauge().value();
    }

    private static void send(String siteId, int from, int to) {
        for (int i = from; i < to; i++) {
            Topics.send(edge.bootstrapServers(), siteId + ".images.enriched", "cam-1", new byte[] {(byte) i},
                    Map.of("cefiot.sequence", Integer.toString(i), "cefiot.site", siteId));
        }
    }

    private TestSite site(String siteId, String password) {
        return new TestSite(dir.resolve(siteId)).set(Setting.SITE_ID, siteId).edge(edge.bootstrapServers())
                .cloud(cloud.bootstrapServers()).cloudLogin(siteId, password, ca()).set(Setting.KAFKA_STARTUP_TIMEOUT_MS, "20000");
    }

    private static String grant(String siteId) {
        String password = Passwords.random();
        SiteAccess.grant(operator, siteId, siteId, password);
        return password;
    }

    private static ClusterAccess login(String user, String password) {
        return ClusterAccess.scram("cloud.bootstrap-servers", cloud.bootstrapServers(), user, password, Optional.of(ca().toString()));
    }

    private static Path ca() {
        return cloud.tls().orElseThrow().caCertificate();
    }

    private static Map<String, Object> timeouts() {
        return Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    }
}
