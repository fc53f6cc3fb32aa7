package io.cefiot.launcher;

import io.cefiot.console.ConsoleServer;
import io.cefiot.console.ProcessConsole;
import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.runtime.SiteRuntime;
import io.cefiot.site.ConfigException;
import io.cefiot.site.Setting;
import io.cefiot.site.Side;
import io.cefiot.site.SiteConfig;
import io.cefiot.site.Stage;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Process mode. With {@code --side}, the stages the configuration places on that side, following
 * placement changes in the file (see {@code ./cefiot place}); with STAGE names, exactly those
 * stages, as the file places them at start.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run stages in this process against the clusters in a site configuration, until stopped.")
public class RunCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "STAGE", description = "camera, ingest, enrich, compact, uplink or archive.")
    List<String> stageNames = List.of();

    @Option(names = "--side", paramLabel = "SIDE", description = "edge, cloud or all: run what the configuration places there "
            + "(the edge also runs camera, ingest and the uplink) and follow placement changes in the file.")
    String side;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Site configuration (properties file).")
    Path config;

    @Option(names = "--console-port", paramLabel = "PORT",
            description = "Serve the console (/hawtio, /observe/metrics, /observe/health) on this port (default: console.port, 8080). "
                    + "The console runs when the configuration sets console.password.")
    Integer consolePort;

    @Override
    public Integer call() throws Exception {
        if ((side == null) == stageNames.isEmpty()) {
            throw new ConfigException("Name either the stages to run (run ingest enrich ...) or a side (run --side edge), not both.");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AutoCloseable runtime;
        String what;
        Supplier<List<CamelContext>> contexts;
        PrometheusMeterRegistry registry = ProcessConsole.registry();
        SiteConfig siteConfig = SiteConfig.load(config);
        if (side != null) {
            Set<Side> sides = side.equalsIgnoreCase("all") ? EnumSet.allOf(Side.class) : EnumSet.of(Side.parse(side, "--side"));
            SiteRuntime site = SiteRuntime.start(config, sides, registry);
            runtime = site;
            contexts = site::contexts;
            what = names(site.runningStages()) + " for site " + site.plan().siteId() + " (" + side + " side; following placement changes in "
                    + config + ")";
        } else {
            List<Stage> stages = PipelineRuntime.stagesOf(stageNames);
            PipelineRuntime pipeline = PipelineRuntime.start(siteConfig, stages, registry);
            runtime = pipeline;
            contexts = () -> List.of(pipeline.context());
            what = names(stages) + " for site " + siteConfig.siteId();
        }
        Optional<ConsoleServer> console;
        try {
            console = ProcessConsole.startIfConfigured(siteConfig, consolePort, registry, contexts);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
        console.ifPresentOrElse(c -> System.out.println("cefiot: console on http://localhost:" + c.port() + "/hawtio (user "
                        + siteConfig.require(Setting.CONSOLE_USER) + "), metrics /observe/metrics, health /observe/health"),
                () -> System.out.println("cefiot: no console (set console.password in " + config + " to serve one)"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                console.ifPresent(ConsoleServer::close);
                runtime.close();
            } catch (Exception e) {
                System.err.println("cefiot: error while stopping: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "cefiot-shutdown"));
        System.out.println("cefiot: running " + what + ". Stop with Ctrl-C or SIGTERM.");
        stopped.await();
        return 0;
    }

    private static String names(List<Stage> stages) {
        return stages.stream().map(Stage::id).collect(Collectors.joining(", "));
    }
}
