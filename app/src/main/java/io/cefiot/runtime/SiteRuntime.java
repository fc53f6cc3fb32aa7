package io.cefiot.runtime;

import io.cefiot.placement.Handover;
import io.cefiot.placement.PlacementChange;
import io.cefiot.site.ConfigException;
import io.cefiot.site.Setting;
import io.cefiot.site.Side;
import io.cefiot.site.SiteConfig;
import io.cefiot.site.SitePlan;
import io.cefiot.site.SitePlan.StagePlan;
import io.cefiot.site.SitePlan.Topic;
import io.cefiot.site.Stage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The stages of one or both sides of a site, each in its own Camel context, following the
 * site configuration file: when its placement changes, the stages that move are handed
 * over (see {@link PlacementChange} and {@link Handover}) while the others keep running.
 *
 * <p>A side runs the stages placed on it; the edge also runs the camera, ingest and the
 * uplink. An edge process and a cloud process that watch the same configuration (one file,
 * a ConfigMap, or copies Ansible keeps equal) carry a move out between them, using only
 * Kafka consumer-group state to agree on who has stopped and how far each topic was read.
 */
public final class SiteRuntime implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(SiteRuntime.class);
    private static final long WATCH_INTERVAL_MS = 1000;

    private final Path configFile;
    private final Set<Side> sides;
    private final Map<Stage, PipelineRuntime> running = new EnumMap<>(Stage.class);
    private final Thread watcher;
    private final MeterRegistry registry;
    private volatile SiteConfig config;
    private volatile SitePlan plan;
    private volatile String appliedText;
    private volatile boolean closing;

    private SiteRuntime(Path configFile, Set<Side> sides, String text, SiteConfig config, MeterRegistry registry) {
        this.registry = registry;
        this.configFile = configFile;
        this.sides = sides;
        this.appliedText = text;
        this.config = config;
        this.plan = SitePlan.of(config);
        this.watcher = new Thread(this::watch, "cefiot-config-watch");
        this.watcher.setDaemon(true);
    }

    /** Starts the stages the configuration places on the given sides, then follows the file. */
    public static SiteRuntime start(Path configFile, Set<Side> sides) {
        return start(configFile, sides, new SimpleMeterRegistry());
    }

    /** As {@link #start(Path, Set)}, every stage's meters in {@code registry} (the console's). */
    public static SiteRuntime start(Path configFile, Set<Side> sides, MeterRegistry registry) {
        String text = read(configFile);
        SiteRuntime site = new SiteRuntime(configFile, EnumSet.copyOf(sides), text, SiteConfig.load(configFile), registry);
        try {
            for (Stage stage : site.stagesHere(site.plan)) {
                site.startStage(site.config, stage);
            }
        } catch (RuntimeException e) {
            site.stopAll();
            throw e;
        }
        site.watcher.start();
        return site;
    }

    /** The Camel contexts of the stages running in this process now. */
    public synchronized List<CamelContext> contexts() {
        return running.values().stream().map(PipelineRuntime::context).toList();
    }

    /** The stages running in this process now. */
    public synchronized List<Stage> runningStages() {
        return List.copyOf(running.keySet());
    }

    public synchronized SitePlan plan() {
        return plan;
    }

    /** The Camel runtime of a stage running here. */
    public synchronized PipelineRuntime stage(Stage stage) {
        PipelineRuntime runtime = running.get(stage);
        if (runtime == null) {
            throw new IllegalStateException(stage.id() + " does not run in this process; running: " + running.keySet());
        }
        return runtime;
    }

    private List<Stage> stagesHere(SitePlan sitePlan) {
        return sitePlan.stages().stream().filter(s -> sides.contains(sitePlan.stage(s).side())).toList();
    }

    private void watch() {
        while (!closing) {
            try {
                Thread.sleep(WATCH_INTERVAL_MS);
                String text = read(configFile);
                if (!text.equals(appliedText)) {
                    apply(text);
                }
            } catch (InterruptedException e) {
                return;
            } catch (ConfigException e) {
                LOG.error("Ignoring the changed {}: {} The site keeps its current plan.", configFile, e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("Applying the changed {} failed; will retry: {}", configFile, e.toString(), e);
            }
        }
    }

    private synchronized void apply(String text) throws InterruptedException {
        SiteConfig next = SiteConfig.load(configFile);
        SitePlan nextPlan = SitePlan.of(next);
        PlacementChange change = new PlacementChange(plan, nextPlan);
        warnAboutSettingsNeedingRestart(next);
        if (change.isEmpty()) {
            appliedText = text;
            return;
        }
        String move = nextPlan.placementSummary();
        LOG.info("Placement changed to [{}]: handing over {} -> {}", move, names(change.stopping()), names(change.starting()));
        for (Stage stage : change.stopping()) {
            if (running.containsKey(stage)) {
                stopForMove(change, stage, move);
            }
        }
        for (Stage stage : change.starting()) {
            StagePlan stagePlan = nextPlan.stage(stage);
            if (sides.contains(stagePlan.side())) {
                Topic input = stagePlan.input().orElseThrow();
                List<String> previous = change.previousReaders(input).stream().map(plan::groupId).toList();
                if (!previous.isEmpty()) {
                    try (Handover handover = handover(next, input.cluster())) {
                        handover.adoptOffsets(input.name(), previous, nextPlan.groupId(stage));
                    }
                }
                startStage(next, stage);
            }
        }
        config = next;
        plan = nextPlan;
        appliedText = text;
        LOG.info("Placement [{}] applied; running here: {}", move, names(runningStages()));
    }

    private void stopForMove(PlacementChange change, Stage stage, String move) throws InterruptedException {
        StagePlan before = plan.stage(stage);
        if (change.stoppingFeeder(stage).isPresent()) {
            Topic input = before.input().orElseThrow();
            LOG.info("{} reads {} until the stage feeding it has stopped and everything it wrote is read", stage.id(), input.name());
            try (Handover handover = handover(config, input.cluster())) {
                handover.awaitHandoverAndDrain(plan.groupId(stage), input.name(), move);
            }
        }
        stopStage(stage);
        if (change.feedsStoppingStage(stage)) {
            Topic output = before.output().orElseThrow();
            try (Handover handover = handover(config, output.cluster())) {
                handover.publishHandover(output.name(), move);
            }
        }
    }

    private Handover handover(SiteConfig site, Side cluster) {
        return new Handover(site.cluster(cluster), SitePlan.handoverGroupId(site.siteId()));
    }

    private void startStage(SiteConfig site, Stage stage) {
        LOG.info("Starting {} ({})", stage.id(), SitePlan.of(site).stage(stage).side().id());
        running.put(stage, PipelineRuntime.start(site, List.of(stage), registry));
    }

    private void stopStage(Stage stage) {
        LOG.info("Stopping {}", stage.id());
        try {
            running.remove(stage).close();
        } catch (Exception e) {
            LOG.warn("{} did not stop cleanly: {}", stage.id(), e.toString());
        }
    }

    private void warnAboutSettingsNeedingRestart(SiteConfig next) {
        Set<Setting> applied = EnumSet.of(Setting.COMPACT_ENABLED);
        Arrays.stream(Stage.values()).forEach(stage -> stage.placementSetting().ifPresent(applied::add));
        List<String> changed = Arrays.stream(Setting.values())
                .filter(s -> !applied.contains(s))
                .filter(s -> !config.get(s).equals(next.get(s)))
                .map(Setting::key).toList();
        if (!changed.isEmpty() || !config.camelProperties().equals(next.camelProperties())) {
            LOG.warn("{} changed settings that apply only when the site's processes restart: {}", configFile,
                    changed.isEmpty() ? "camel.*" : String.join(", ", changed));
        }
    }

    private synchronized void stopAll() {
        List<Stage> order = new ArrayList<>(running.keySet());
        for (int i = order.size() - 1; i >= 0; i--) {
            stopStage(order.get(i));
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        watcher.interrupt();
        watcher.join(30_000);
        stopAll();
    }

    private static String names(List<Stage> stages) {
        return stages.isEmpty() ? "nothing" : stages.stream().map(Stage::id).collect(Collectors.joining(", "));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("Cannot read the site configuration " + file + ": " + e.getMessage()
                    + ". Pass an existing properties file with --config.", e);
        }
    }
}
