package io.cefiot.site;

import io.cefiot.clients.ClusterAccess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SiteConfigTest {

    @Test
    void should_name_a_missing_site_id() {
        assertThatThrownBy(() -> SiteConfig.of("site.properties", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'site.id' is missing in site.properties");
    }

    @Test
    void should_name_the_setting_and_the_fix_for_a_bad_value() {
        assertThatThrownBy(() -> SiteConfig.of("f", Map.of("site.id", "Site A")))
                .hasMessageContaining("'site.id'").hasMessageContaining("lower-case letters");
        assertThatThrownBy(() -> SiteConfig.of("f", Map.of("site.id", "a", "spool.max-image-bytes", "lots")))
                .hasMessageContaining("'spool.max-image-bytes'").hasMessageContaining("whole number");
        assertThatThrownBy(() -> SiteConfig.of("f", Map.of("site.id", "a", "spool.max-image-bytes", "20000000")))
                .hasMessageContaining("'spool.max-image-bytes'").hasMessageContaining("max.message.bytes");
        assertThatThrownBy(() -> SiteConfig.of("f", Map.of("site.id", "a", "placement.enrich", "moon")))
                .hasMessageContaining("'placement.enrich'").hasMessageContaining("'edge' or 'cloud'");
        assertThatThrownBy(() -> SiteConfig.of("f", Map.of("site.id", "a", "edge.bootstrap-servers", "kafka-0")))
                .hasMessageContaining("'edge.bootstrap-servers'").hasMessageContaining("host:port");
        assertThatThrownBy(() -> SiteConfig.of("f", Map.of("site.id", "a", "camera.ids", "cam_1")))
                .hasMessageContaining("'camera.ids'");
    }

    @Test
    void should_refuse_an_unknown_setting_as_a_likely_typo() {
        assertThatThrownBy(() -> SiteConfig.of("f", Map.of("site.id", "a", "spool.dirr", "/x")))
                .hasMessageContaining("Unknown setting 'spool.dirr'").hasMessageContaining("spool.dir");
    }

    @Test
    void should_read_a_properties_file_and_fill_in_defaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("site.properties");
        Files.writeString(file, "site.id=north-gate\nedge.bootstrap-servers=k0:9092,k1:9092\ncamel.component.kafka.linger-ms=5\n");
        SiteConfig config = SiteConfig.load(file);

        assertThat(config.siteId()).isEqualTo("north-gate");
        assertThat(config.bootstrapServers(Side.EDGE)).isEqualTo("k0:9092,k1:9092");
        assertThat(config.require(Setting.SPOOL_DIR)).isEqualTo("/var/lib/cefiot/spool");
        assertThat(config.camelProperties()).containsEntry("camel.component.kafka.linger-ms", "5");
        assertThatThrownBy(() -> config.bootstrapServers(Side.CLOUD)).hasMessageContaining("'cloud.bootstrap-servers' is missing");
    }

    @Test
    void should_let_cefiot_environment_variables_override_the_file(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("site.properties");
        Files.writeString(file, "site.id=north-gate\ncloud.bootstrap-servers=cloud.example.net:9094\n");
        SiteConfig config = SiteConfig.load(file, Map.of(
                "CEFIOT_CLOUD_BOOTSTRAP_SERVERS", "kafka-0.kafka:9092",
                "CEFIOT_JAVA_OPTS", "-Xmx1g"));

        assertThat(SiteConfig.environmentName(Setting.CONSOLE_USERS_FILE)).isEqualTo("CEFIOT_CONSOLE_USERS_FILE");
        assertThat(config.bootstrapServers(Side.CLOUD)).isEqualTo("kafka-0.kafka:9092");
        assertThat(config.siteId()).isEqualTo("north-gate");
        assertThatThrownBy(() -> SiteConfig.load(file, Map.of("CEFIOT_SPOOL_MAX_IMAGE_BYTES", "lots")))
                .hasMessageContaining("'spool.max-image-bytes'").hasMessageContaining("CEFIOT_SPOOL_MAX_IMAGE_BYTES from the environment");
    }

    @Test
    void should_log_in_to_the_cloud_by_default_and_fail_at_start_without_a_password() {
        Map<String, String> site = Map.of("site.id", "north-gate", "cloud.bootstrap-servers", "cloud.example.net:9094");
        SiteConfig config = SiteConfig.of("site.properties", site);

        assertThatThrownBy(() -> config.cluster(Side.CLOUD)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'cloud.sasl.password' is missing").hasMessageContaining("CEFIOT_CLOUD_SASL_PASSWORD");
        ClusterAccess cloud = config.with(Map.of(Setting.CLOUD_SASL_PASSWORD, "s3cret-Pa55")).cluster(Side.CLOUD);
        assertThat(cloud.security()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(cloud.toString()).contains("user north-gate").doesNotContain("s3cret-Pa55");
    }

    @Test
    void should_refuse_an_unknown_cloud_protocol_or_an_unreadable_ca_file_naming_the_setting() {
        Map<String, String> site = new java.util.HashMap<>(Map.of("site.id", "north-gate"));
        site.put("cloud.security-protocol", "SSL");
        assertThatThrownBy(() -> SiteConfig.of("site.properties", site))
                .hasMessageContaining("'cloud.security-protocol' is 'SSL'").hasMessageContaining("SASL_SSL");
        site.put("cloud.security-protocol", "SASL_SSL");
        site.put("cloud.ssl.ca-file", "/nonexistent/ca.pem");
        assertThatThrownBy(() -> SiteConfig.of("site.properties", site)).hasMessageContaining("'cloud.ssl.ca-file' names /nonexistent/ca.pem");
    }

    @Test
    void the_committed_configuration_reference_should_be_what_the_generator_writes() throws Exception {
        String committed = Files.readString(Path.of("..", "docs", "configuration.md"));
        assertThat(committed).as("docs/configuration.md is generated from Setting: run java -cp app/target/cefiot.jar "
                + "io.cefiot.site.ConfigurationReference > docs/configuration.md").isEqualTo(ConfigurationReference.markdown());
        assertThat(Arrays.stream(Setting.values()).map(s -> "`" + s.key() + "`")).allSatisfy(key -> assertThat(committed).contains(key));
    }

    @Test
    void the_committed_route_defaults_should_be_what_the_generator_writes() throws Exception {
        String committed = Files.readString(Path.of("..", "routes", "defaults.properties"));
        assertThat(committed).as("routes/defaults.properties is generated from Setting: run java -cp app/target/cefiot.jar "
                + "io.cefiot.site.ConfigurationReference --route-defaults > routes/defaults.properties")
                .isEqualTo(ConfigurationReference.routeDefaults());
        assertThat(committed).contains("spool.dir = /var/lib/cefiot/spool").doesNotContain("site.id =").doesNotContain("camera.roi-mask =");
    }
}
