package io.cefiot.launcher;

import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.runtime.SiteRuntime;
import io.cefiot.site.ConfigException;
import io.cefiot.site.Side;
import io.cefiot.site.SiteConfig;
import io.cefiot.site.Stage;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

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

    @Override
    public Integer call() throws Exception {
        if ((side == null) == stageNames.isEmpty()) {
            throw new ConfigException("Name either the stages to run (run ingest enrich ...) or a side (run --side edge), not both.");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AutoCloseable runtime;
        String what;
        if (side != null) {
            Set<Side> sides = side.equalsIgnoreCase("all") ? EnumSet.allOf(Side.class) : EnumSet.of(Side.parse(side, "--side"));
            SiteRuntime site = SiteRuntime.start(config, sides);
            runtime = site;
            what = names(site.runningStages()) + " for site " + site.plan().siteId() + " (" + side + " side; following placement changes in "
                    + config + ")";
        } else {
            List<Stage> stages = PipelineRuntime.stagesOf(stageNames);
            SiteConfig site = SiteConfig.load(config);
            runtime = PipelineRuntime.start(site, stages);
            what = names(stages) + " for site " + site.siteId();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
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
