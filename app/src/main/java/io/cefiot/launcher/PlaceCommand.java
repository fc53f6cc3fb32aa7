package io.cefiot.launcher;

import io.cefiot.placement.Handover;
import io.cefiot.placement.PlacementChange;
import io.cefiot.site.ConfigException;
import io.cefiot.site.Setting;
import io.cefiot.site.Side;
import io.cefiot.site.SiteConfig;
import io.cefiot.site.SitePlan;
import io.cefiot.site.SitePlan.Topic;
import io.cefiot.site.Stage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Moves a stage to the other side of a running site: writes the new placement into the site
 * configuration, which the site's processes ({@code ./cefiot run --side ...}) follow, then
 * waits until the moved stages read again where the new plan says.
 */
@Command(name = "place", mixinStandardHelpOptions = true,
        description = "Move a stage between edge and cloud on a running site, without losing or repeating an image.")
public class PlaceCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "STAGE", description = "The stage to move: enrich or compact.")
    String stageName;

    @Parameters(index = "1", paramLabel = "SIDE", description = "edge or cloud.")
    String sideName;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Site configuration the site's processes follow.")
    Path config;

    @Option(names = "--wait", defaultValue = "300", paramLabel = "SECONDS",
            description = "How long to wait for the running site to finish the move (default: ${DEFAULT-VALUE}; 0: do not wait).")
    long waitSeconds;

    @Override
    public Integer call() throws Exception {
        Stage stage = Stage.parse(stageName);
        Setting setting = stage.placementSetting().orElseThrow(() -> new ConfigException(
                stage.id() + " cannot move: camera and ingest stay at the edge, the archive in the cloud, and the uplink "
                        + "sits on the cut. The stages that move are enrich and compact."));
        Side side = Side.parse(sideName, "SIDE");
        SiteConfig current = SiteConfig.load(config);
        SiteConfig next = current.with(Map.of(setting, side.id()));
        SitePlan before = SitePlan.of(current);
        SitePlan after = SitePlan.of(next);
        after.stage(stage);
        PlacementChange change = new PlacementChange(before, after);
        if (change.isEmpty()) {
            System.out.println("cefiot: " + stage.id() + " already runs on the " + side.id() + " side; nothing to do.");
            return 0;
        }
        writePlacement(config, setting, side);
        System.out.println("cefiot: " + config + " now has " + setting.key() + " = " + side.id() + ".");
        System.out.print(PlanCommand.describe(next));
        System.out.println("\nThe running site hands over " + names(change.stopping()) + " and restarts "
                + names(change.starting()) + "; each reads on from where the previous reader stopped.");
        if (waitSeconds == 0) {
            return 0;
        }
        return awaitMove(next, after, change) ? 0 : 1;
    }

    /** Waits until every restarted stage reads its new input (and the new plan's readers are up). */
    private boolean awaitMove(SiteConfig next, SitePlan after, PlacementChange change) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(waitSeconds));
        Set<Stage> waiting = new LinkedHashSet<>(change.starting());
        System.out.println("Waiting up to " + waitSeconds + " s for the site to apply it...");
        while (!waiting.isEmpty()) {
            for (Stage stage : new ArrayList<>(waiting)) {
                Topic input = after.stage(stage).input().orElseThrow();
                try (Handover handover = new Handover(next.cluster(input.cluster()), SitePlan.handoverGroupId(next.siteId()))) {
                    if (handover.hasActiveReader(after.groupId(stage), input.name())) {
                        System.out.println("  " + stage.id() + " reads " + input.cluster().id() + ":" + input.name());
                        waiting.remove(stage);
                    }
                }
            }
            if (!waiting.isEmpty()) {
                if (Instant.now().isAfter(deadline)) {
                    System.err.println("cefiot: the configuration has the new placement, but " + names(List.copyOf(waiting))
                            + " did not start on " + "its new input within " + waitSeconds + " s. A drain behind a cut link takes "
                            + "as long as the link is down; check the site's logs. Processes started later apply the file as it is.");
                    return false;
                }
                Thread.sleep(500);
            }
        }
        System.out.println("cefiot: moved. Placement is now " + after.placementSummary() + ".");
        return true;
    }

    /** Replaces (or adds) the placement line, keeping every other line and comment; atomic for watchers. */
    static void writePlacement(Path file, Setting setting, Side side) throws IOException {
        Pattern line = Pattern.compile("^\\s*" + Pattern.quote(setting.key()) + "\\s*[=:].*$");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String replacement = setting.key() + " = " + side.id();
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            if (line.matcher(lines.get(i)).matches()) {
                lines.set(i, replacement);
                replaced = true;
            }
        }
        if (!replaced) {
            lines.add(replacement);
        }
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".cefiot-place-", ".tmp");
        Files.write(temp, lines);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String names(List<Stage> stages) {
        return stages.stream().map(Stage::id).collect(Collectors.joining(", "));
    }
}
