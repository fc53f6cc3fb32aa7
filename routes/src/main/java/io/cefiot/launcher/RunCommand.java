package io.cefiot.launcher;

import io.cefiot.runtime.PipelineRuntime;
import io.cefiot.site.SiteConfig;
import io.cefiot.site.Stage;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Process mode: the named stages in this JVM, against the clusters the config names. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run stages in this process against the clusters in a site configuration, until stopped.")
public class RunCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "STAGE", description = "camera, ingest, enrich, uplink or archive.")
    List<String> stageNames;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Site configuration (properties file).")
    Path config;

    @Override
    public Integer call() throws Exception {
        SiteConfig site = SiteConfig.load(config);
        List<Stage> stages = PipelineRuntime.stagesOf(stageNames);
        CountDownLatch stopped = new CountDownLatch(1);
        PipelineRuntime runtime = PipelineRuntime.start(site, stages);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runtime.close();
            } catch (Exception e) {
                System.err.println("cefiot: error while stopping: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "cefiot-shutdown"));
        System.out.println("cefiot: running " + stages.stream().map(Stage::id).collect(Collectors.joining(", "))
                + " for site " + site.siteId() + " (" + config + "). Stop with Ctrl-C or SIGTERM.");
        stopped.await();
        return 0;
    }
}
