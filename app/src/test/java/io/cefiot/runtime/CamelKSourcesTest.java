package io.cefiot.runtime;

import io.cefiot.site.ConfigException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading the route sources Camel K lists for an Integration's pod (CAMEL_K_CONF). */
class CamelKSourcesTest {

    @TempDir
    Path dir;

    @Test
    void outside_camel_k_there_are_no_sources() {
        assertThat(CamelKSources.locations(Map.of())).isEmpty();
        assertThat(CamelKSources.locations(Map.of("CAMEL_K_CONF", " "))).isEmpty();
    }

    @Test
    void the_listed_sources_come_in_camel_k_order() throws Exception {
        Path flows = Files.writeString(dir.resolve("camel-k-embedded-flow.yaml"), "- route: {}\n");
        Path other = Files.writeString(dir.resolve("other.yaml"), "- route: {}\n");
        Path conf = Files.writeString(dir.resolve("application.properties"), """
                camel.k.sources[1].location = file:%s
                camel.k.sources[1].name = other
                camel.k.sources[0].location = file:%s
                camel.k.sources[0].language = yaml
                camel.main.name = not a source
                """.formatted(other, flows));

        assertThat(CamelKSources.locations(Map.of("CAMEL_K_CONF", conf.toString())))
                .contains(List.of("file:" + flows, "file:" + other));
    }

    @Test
    void an_unreadable_conf_or_source_fails_at_start_naming_it() throws Exception {
        assertThatThrownBy(() -> CamelKSources.locations(Map.of("CAMEL_K_CONF", dir.resolve("none.properties").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("CAMEL_K_CONF names").hasMessageContaining("none.properties");
        Path conf = Files.writeString(dir.resolve("application.properties"),
                "camel.k.sources[0].location = file:/etc/camel/sources/missing.yaml\n");
        assertThatThrownBy(() -> CamelKSources.locations(Map.of("CAMEL_K_CONF", conf.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("/etc/camel/sources/missing.yaml");
    }
}
