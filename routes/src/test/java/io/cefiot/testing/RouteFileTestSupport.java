package io.cefiot.testing;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;

/**
 * One shipped route file (routes/NAME.camel.yaml) on Camel's test kit, with no broker: the file
 * is loaded by Camel's YAML DSL loader with the placeholders the test gives (its beans block too), its Kafka
 * input becomes {@code direct:in}, and every Kafka endpoint (the dead-letter topic of its route
 * configuration too) a mock endpoint named {@code mock:kafka:TOPIC} that sends nothing.
 */
public abstract class RouteFileTestSupport extends CamelTestSupport {

    private final String routeFile;

    /** {@code routeFile}: the route file's name in routes/, for example {@code enrich.camel.yaml}. */
    protected RouteFileTestSupport(String routeFile) {
        this.routeFile = routeFile;
    }

    /** The placeholders the route file uses, as the site plan would fill them. */
    protected abstract Map<String, String> placeholders();

    /**
     * Binds beans the route file refers to but does not declare itself. The stage files under test
     * declare theirs in a {@code beans:} block, which Camel creates from the placeholders.
     */
    protected void bind(Registry registry) {
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    public String isMockEndpointsAndSkip() {
        return "kafka:*";
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        Properties properties = new Properties();
        properties.putAll(placeholders());
        context.getPropertiesComponent().setInitialProperties(properties);
        bind(context.getRegistry());
        // The tests of the routes module run in routes/, where the route files are.
        PluginHelper.getRoutesLoader(context).loadRoutes(
                ResourceHelper.resolveResource(context, "file:" + Path.of(routeFile).toAbsolutePath()));
        return context;
    }

    /** Feeds the route from {@code direct:in} instead of its Kafka topic, and starts Camel. */
    protected void startWithDirectInput(String routeId) throws Exception {
        AdviceWith.adviceWith(context, routeId, route -> route.replaceFromWith("direct:in"));
        context.start();
    }
}
