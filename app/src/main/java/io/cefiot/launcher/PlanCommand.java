package io.cefiot.launcher;

import io.cefiot.site.Setting;
import io.cefiot.site.Side;
import io.cefiot.site.SiteConfig;
import io.cefiot.site.SitePlan;
import io.cefiot.site.SitePlan.StagePlan;
import io.cefiot.site.Stage;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints where each stage runs and which topics connect them, as the runtime will wire them. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Print, for each side, the stages that run there, their input and output, and the uplink.")
public class PlanCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Site configuration (properties file).")
    Path config;

    @Override
    public Integer call() {
        System.out.print(describe(SiteConfig.load(config)));
        return 0;
    }

    static String describe(SiteConfig config) {
        SitePlan plan = SitePlan.of(config);
        StringBuilder out = new StringBuilder("Site " + config.siteId() + "\n");
        for (Side side : Side.values()) {
            Setting servers = side.bootstrapServersSetting();
            out.append(String.format("%n%s (%s = %s)%n", side.id(), servers.key(), config.get(servers).orElse("not set")));
            for (Stage stage : plan.stages()) {
                StagePlan stagePlan = plan.stage(stage);
                if (stage != Stage.UPLINK && stagePlan.side() == side) {
                    out.append(String.format("  %-8s %s -> %s%n", stage.id(), input(config, stagePlan), output(config, stagePlan)));
                }
            }
        }
        StagePlan uplink = plan.stage(Stage.UPLINK);
        out.append(String.format("%nuplink     edge:%s -> cloud:%s%n",
                uplink.input().orElseThrow().name(), uplink.output().orElseThrow().name()));
        return out.toString();
    }

    private static String input(SiteConfig config, StagePlan plan) {
        return plan.input().map(SitePlan.Topic::name).orElseGet(() -> switch (plan.stage()) {
            case CAMERA -> "camera " + config.require(Setting.CAMERA_SOURCE);
            default -> "spool " + config.require(Setting.SPOOL_DIR);
        });
    }

    private static String output(SiteConfig config, StagePlan plan) {
        Optional<String> topic = plan.output().map(SitePlan.Topic::name);
        return topic.orElseGet(() -> switch (plan.stage()) {
            case CAMERA -> "spool " + config.require(Setting.SPOOL_DIR);
            default -> "archive " + config.require(Setting.ARCHIVE_DIR);
        });
    }
}
