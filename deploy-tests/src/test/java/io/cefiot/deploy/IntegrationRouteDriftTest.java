package io.cefiot.deploy;

import io.cefiot.clients.SiteKafkaClientFactory;
import io.cefiot.metrics.StageCounters;
import io.cefiot.site.Setting;
import io.cefiot.site.SiteConfig;
import io.cefiot.site.SitePlan;
import io.cefiot.site.Stage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drift check: the route inside every Integration is its file in routes/, parsed by Camel's
 * YAML DSL loader into the same routes; and the generated folder is exactly what
 * ./cefiot manifests writes from routes/ today, so no hand edit survives.
 */
class IntegrationRouteDriftTest {

    @Test
    void the_route_in_each_integration_parses_with_camels_yaml_dsl_and_equals_its_file_in_routes() throws Exception {
        int checked = 0;
        for (String name : List.of("edge", "cloud")) {
            for (Map<String, Object> integration : Overlay.build(name).ofKind("Integration")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> spec = (Map<String, Object>) integration.get("spec");
                @SuppressWarnings("unchecked")
                Map<String, String> labels = (Map<String, String>) Overlay.metadata(integration).get("labels");
                Path routeFile = Overlay.root().resolve("routes").resolve(Stage.parse(labels.get("cefiot.io/stage")).routeFile());
                String fileText = Files.readString(routeFile);

                assertThat(spec.get("flows")).as("flows of " + Overlay.metadata(integration).get("name"))
                        .isEqualTo(new Load(LoadSettings.builder().build()).loadFromString(fileText));
                List<String> fromIntegration = camelRoutes(K3sManifests.yaml(spec.get("flows")));
                assertThat(fromIntegration).isNotEmpty().isEqualTo(camelRoutes(fileText));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(5);
    }

    @Test
    void the_committed_stage_manifests_are_what_the_generator_writes_from_routes() throws Exception {
        Path stages = Overlay.manifests().resolve("stages");
        Map<String, String> expected = new K3sManifests(Overlay.root().resolve("routes"), ContainerImage.reference())
                .render(SiteConfig.load(Overlay.manifests().resolve("site/site.properties"), Map.of()), "site.properties");
        Map<String, String> actual;
        try (Stream<Path> files = Files.walk(stages)) {
            actual = files.filter(Files::isRegularFile).collect(Collectors.toMap(
                    f -> stages.relativize(f).toString(), f -> {
                        try {
                            return Files.readString(f);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }));
        }
        assertThat(actual).as("k3s-manifests/stages differs from ./cefiot manifests output: run ./cefiot manifests").isEqualTo(expected);
    }

    /** The routes Camel's YAML DSL loader makes of a text, each as Camel describes its definition. */
    private static List<String> camelRoutes(String yaml) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            // The files' beans: blocks are built while they load, from the site's settings and what
            // placement fills in, and the two beans of the process the uplink's factory takes.
            SiteConfig site = SiteConfig.load(Overlay.manifests().resolve("site/site.properties"), Map.of());
            Properties settings = new Properties();
            for (Setting setting : Setting.values()) {
                settings.setProperty(setting.key(), site.get(setting).orElse("unset"));
            }
            // The pods are given the clusters' addresses at start; any will do to build the beans.
            SiteConfig placed = site.with(Map.of(Setting.EDGE_BOOTSTRAP_SERVERS, "edge-kafka:9092",
                    Setting.CLOUD_BOOTSTRAP_SERVERS, "cloud-kafka:9093"));
            SitePlan plan = SitePlan.of(placed);
            settings.putAll(plan.routeProperties(placed, plan.stages()));
            camel.getPropertiesComponent().setInitialProperties(settings);
            camel.getRegistry().bind("siteKafkaClientFactory", new SiteKafkaClientFactory(List.of()));
            camel.getRegistry().bind("stageCounters", new StageCounters(new SimpleMeterRegistry()));
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("route.camel.yaml", yaml));
            ModelCamelContext model = camel;
            Stream<String> routes = model.getRouteDefinitions().stream().map(RouteDefinition::toString);
            Stream<String> configurations = model.getRouteConfigurationDefinitions().stream().map(Object::toString);
            return Stream.concat(routes, configurations).map(IntegrationRouteDriftTest::sortedQueries).toList();
        }
    }

    private static final Pattern QUERY = Pattern.compile("\\?([^\\s\\[\\]]+)");

    /**
     * Endpoint options in a fixed order: YAML DSL builds a URI's query from its parameters map, whose
     * order kustomize changes (it sorts keys); the options themselves must be the same.
     */
    private static String sortedQueries(String definition) {
        return QUERY.matcher(definition).replaceAll(m -> Matcher.quoteReplacement(
                "?" + Arrays.stream(m.group(1).split("&")).sorted().collect(Collectors.joining("&"))));
    }
}
