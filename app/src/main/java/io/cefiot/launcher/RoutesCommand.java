package io.cefiot.launcher;

import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.site.Setting;
import io.cefiot.site.SiteConfig;
import io.cefiot.site.SitePlan;
import io.cefiot.site.Stage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The route files, as a user edits them. */
@Command(name = "routes", mixinStandardHelpOptions = true, description = "Work with the route files (routes/*.camel.yaml).",
        subcommands = RoutesCommand.Check.class)
public class RoutesCommand {

    /**
     * Loads every stage's route file with Camel's YAML DSL loader, as {@code ./cefiot run} would,
     * with the site configuration's placeholders and the stages' beans, and creates every route
     * and endpoint without starting any or contacting a cluster.
     */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Load every route file, resolve its placeholders against the site configuration, and check that every "
                    + "bean, component and option it names exists. Exit 0 with a summary, or 1 naming the file, line and problem.")
    static class Check implements Callable<Integer> {

        @Option(names = "--routes", paramLabel = "DIR", description = "Folder of the route files (default: the launcher's routes/).")
        Path routes;

        @Option(names = "--config", paramLabel = "FILE",
                description = "Site configuration to resolve placeholders against (default: a sample site with every stage).")
        Path config;

        @Override
        public Integer call() {
            if (routes != null) {
                if (!Files.isDirectory(routes)) {
                    System.err.println("cefiot routes check: no folder " + routes + " (--routes).");
                    return 2;
                }
                System.setProperty(PipelineRuntime.ROUTES_DIR_PROPERTY, routes.toAbsolutePath().toString());
            }
            List<String> loaded = new ArrayList<>();
            try {
                for (SiteConfig site : sites()) {
                    List<Stage> stages = SitePlan.of(site).stages();
                    loaded.addAll(PipelineRuntime.check(site, stages));
                }
            } catch (Exception e) {
                String reason = reason(e);
                System.err.println("cefiot routes check: FAILED. " + beanDeclaration(reason).map(line -> line + "\n  ").orElse("") + reason);
                return 1;
            }
            List<String> routeIds = loaded.stream().distinct().sorted().toList();
            System.out.println("cefiot routes check: OK, " + routeIds.size() + " routes (" + String.join(", ", routeIds)
                    + ") from " + System.getProperty(PipelineRuntime.ROUTES_DIR_PROPERTY, "the jar's routes")
                    + "; every bean, placeholder, component and option resolved.");
            return 0;
        }

        /** The given site, or a sample with every stage, once with a camera device and once with the synthetic camera. */
        private List<SiteConfig> sites() {
            if (config != null) {
                return List.of(SiteConfig.load(config));
            }
            Map<String, String> sample = new HashMap<>(SiteConfig.localSite("check", "localhost:9092", "localhost:9093",
                    Path.of(System.getProperty("java.io.tmpdir"), "cefiot-routes-check")));
            sample.put(Setting.COMPACT_ENABLED.key(), "true");
            sample.put(Setting.CLOUD_SECURITY_PROTOCOL.key(), "PLAINTEXT");
            sample.put(Setting.CAMERA_SOURCE.key(), "/dev/video0");
            Map<String, String> synthetic = new HashMap<>(sample);
            synthetic.put(Setting.CAMERA_SOURCE.key(), SiteConfig.SYNTHETIC_SOURCE);
            return List.of(SiteConfig.of("a sample site with every stage", sample),
                    SiteConfig.of("a sample site with the synthetic camera", synthetic));
        }

        private static final Pattern BEAN_NOT_CREATED = Pattern.compile("Error creating bean: (\\S+) of type");
        private static final Pattern PRE_PARSED_FILE = Pattern.compile("Error pre-parsing resource: file:(\\S+)");

        /**
         * Camel names the file of a bean it cannot create, but not the line: the line of the file
         * that declares it ({@code - name: BEAN} in its beans block), as Camel names lines elsewhere.
         */
        static Optional<String> beanDeclaration(String reason) {
            Matcher bean = BEAN_NOT_CREATED.matcher(reason);
            Matcher file = PRE_PARSED_FILE.matcher(reason);
            if (!bean.find() || !file.find()) {
                return Optional.empty();
            }
            Path path = Path.of(file.group(1));
            try {
                List<String> lines = Files.readAllLines(path);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).trim().equals("- name: " + bean.group(1))) {
                        return Optional.of(path + ", line " + (i + 1) + ": the bean " + bean.group(1) + " cannot be created.");
                    }
                }
            } catch (IOException e) {
                return Optional.empty();
            }
            return Optional.empty();
        }

        /** Camel's messages from the outermost to the root cause, without repeats: the file and line are among them. */
        private static String reason(Throwable e) {
            List<String> messages = new ArrayList<>();
            for (Throwable t = e; t != null; t = t.getCause()) {
                String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
                if (messages.stream().noneMatch(m -> m.contains(message))) {
                    messages.add(message);
                }
            }
            return String.join("\n  caused by: ", messages);
        }
    }
}
