package io.cefiot.runtime;

import io.cefiot.site.ConfigException;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The route sources Camel K hands an Integration's pod. The operator mounts the Integration's
 * {@code spec.flows} (and any other sources) under {@code /etc/camel/sources/}, lists them in
 * the application.properties that {@code CAMEL_K_CONF} names, as
 * {@code camel.k.sources[N].location = file:...}, and restarts the pods when they change. When
 * they are listed, they are what runs, not the jar's copies: a route edited in the cluster
 * changes what the stage does.
 */
final class CamelKSources {

    /** The environment variable Camel K's container trait sets to its application.properties. */
    static final String CONF_ENVIRONMENT = "CAMEL_K_CONF";

    private static final Pattern LOCATION = Pattern.compile("camel\\.k\\.sources\\[(\\d+)]\\.location");

    private CamelKSources() {
    }

    /**
     * The locations of the route sources, in Camel K's order, or empty when this process does not
     * run under Camel K (no {@code CAMEL_K_CONF}) or Camel K listed no source.
     */
    static Optional<List<String>> locations(Map<String, String> environment) {
        String conf = environment.get(CONF_ENVIRONMENT);
        if (conf == null || conf.isBlank()) {
            return Optional.empty();
        }
        Path file = Path.of(conf);
        if (!Files.isReadable(file)) {
            throw new ConfigException(CONF_ENVIRONMENT + " names " + conf + ", which cannot be read. Under Camel K the operator "
                    + "mounts it; elsewhere, unset " + CONF_ENVIRONMENT + " to run the route files in the jar.");
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new ConfigException("Cannot read " + conf + " (" + CONF_ENVIRONMENT + "): " + e.getMessage());
        }
        TreeMap<Integer, String> byIndex = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            Matcher m = LOCATION.matcher(key);
            if (m.matches()) {
                byIndex.put(Integer.parseInt(m.group(1)), properties.getProperty(key).trim());
            }
        }
        List<String> locations = new ArrayList<>();
        for (String location : byIndex.values()) {
            Path source = Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
            if (!Files.isReadable(source)) {
                throw new ConfigException(conf + " lists the route source " + location + ", which cannot be read: is the "
                        + "Integration's source mount missing from the pod?");
            }
            locations.add("file:" + source.toAbsolutePath());
        }
        return locations.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(locations));
    }
}
