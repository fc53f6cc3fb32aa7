package io.cefiot.site;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Writes {@code docs/configuration.md} from {@link Setting}, the one place each setting is
 * described: {@code java -cp app/target/cefiot.jar io.cefiot.site.ConfigurationReference >
 * docs/configuration.md}. A test fails when the committed page differs from what this writes.
 */
public final class ConfigurationReference {

    private ConfigurationReference() {
    }

    /** Prints docs/configuration.md, or with {@code --route-defaults} routes/defaults.properties. */
    public static void main(String[] args) {
        System.out.print(args.length > 0 && args[0].equals("--route-defaults") ? routeDefaults() : markdown());
    }

    /**
     * {@code routes/defaults.properties}: every setting that has a default, as the properties a
     * Camel runtime other than ./cefiot (KameletMain, say) is given beside the route files, so the
     * files need nothing of the launcher to resolve. ./cefiot applies the same defaults itself.
     * Written by {@code java -cp app/target/cefiot.jar io.cefiot.site.ConfigurationReference
     * --route-defaults > routes/defaults.properties}; a test fails when the committed file differs.
     */
    public static String routeDefaults() {
        String settings = Arrays.stream(Setting.values())
                .filter(s -> s.defaultValue().filter(v -> !v.isEmpty()).isPresent())
                .map(s -> "# " + s.description().replace("\n", " ") + "\n" + s.key() + " = " + s.defaultValue().orElseThrow())
                .collect(Collectors.joining("\n\n"));
        return "# Every site setting's default, for running the route files on a Camel runtime other than\n"
                + "# ./cefiot (routes/README.md). Generated from Setting.java by io.cefiot.site.ConfigurationReference\n"
                + "# --route-defaults; do not edit by hand: a site's own values go in its own properties file.\n\n"
                + settings + "\n";
    }

    /** The whole page. */
    public static String markdown() {
        String rows = Arrays.stream(Setting.values())
                .map(s -> "| `" + s.key() + "` | " + defaultOf(s) + " | `" + SiteConfig.environmentName(s) + "` | "
                        + s.description().replace("|", "\\|") + " |")
                .collect(Collectors.joining("\n"));
        return """
                # Site configuration

                <!-- Generated from Setting.java by io.cefiot.site.ConfigurationReference; do not edit by hand. -->

                A site's stages read one properties file (`./cefiot run STAGE... --config FILE`). Unknown
                keys are refused: they are usually typos. Keys starting with `camel.` go to Camel unchanged,
                for example `camel.component.kafka.linger-ms=5`. An environment variable overrides the file
                (the column below: `CEFIOT_` and the key in upper case, with `.` and `-` as `_`); errors then
                name the variable. On k3s the file is a ConfigMap and the overrides come from the pod (see
                [k3s-manifests/README.md](../k3s-manifests/README.md)). The Kafka client defaults every stage
                shares are in [routes/application.properties](../routes/application.properties).

                A minimal edge node running ingest:

                ```properties
                site.id=north-gate
                edge.bootstrap-servers=kafka-0.edge:9092,kafka-1.edge:9092,kafka-2.edge:9092
                spool.dir=/var/lib/cefiot/spool
                ```

                | setting | default | environment variable | meaning |
                |---|---|---|---|
                """ + rows + "\n";
    }

    private static String defaultOf(Setting setting) {
        return setting.defaultValue().map(v -> v.isEmpty() ? "(none)" : "`" + v + "`").orElse("required");
    }
}
