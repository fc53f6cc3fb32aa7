package io.cefiot.runtime;

import io.cefiot.buffer.EdgeBuffer;
import io.cefiot.camera.CaptureLog;
import io.cefiot.camera.SyntheticCamera;
import io.cefiot.clients.SiteKafkaClientFactory;
import io.cefiot.metrics.StageCounters;
import io.cefiot.site.ConfigException;
import io.cefiot.site.Setting;
import io.cefiot.site.Side;
import io.cefiot.site.SiteConfig;
import io.cefiot.site.SitePlan;
import io.cefiot.site.Stage;
import io.cefiot.uplink.UplinkTransfer;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.Matcher;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.consumer.support.subcription.DefaultSubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.SubscribeAdapter;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.main.Main;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs chosen stages in this JVM: checks the clusters they use, creates their topics,
 * then starts one Camel context with their route files and the beans those call. The
 * demo, process mode ({@code ./cefiot run}) and the tests all start stages this way.
 */
public final class PipelineRuntime implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(PipelineRuntime.class);

    /** System property naming a directory of route files to load instead of the jar's copies. */
    public static final String ROUTES_DIR_PROPERTY = "cefiot.routes.dir";

    /** The route in ingest.camel.yaml that the spool lock starts and stops. */
    static final String INGEST_ROUTE_ID = "ingest-spool-to-edge";

    private final Main main;
    private final StageCounters counters;
    private final CaptureLog captureLog;

    private PipelineRuntime(Main main, StageCounters counters, CaptureLog captureLog) {
        this.main = main;
        this.counters = counters;
        this.captureLog = captureLog;
    }

    public static PipelineRuntime start(SiteConfig config, List<Stage> stages) {
        return start(config, stages, new SimpleMeterRegistry());
    }

    /**
     * Starts the stages with their meters in {@code registry}: the process's console registry, so
     * that /observe/metrics shows every stage of the process.
     */
    public static PipelineRuntime start(SiteConfig config, List<Stage> stages, MeterRegistry registry) {
        SitePlan plan = SitePlan.of(config);
        if (plan.clustersUsedBy(stages).contains(Side.CLOUD) && !config.cloudSecured()) {
            LOG.warn("cloud.security-protocol is PLAINTEXT: images cross to the cloud cluster at {} unencrypted and without a login. "
                    + "Use SASL_SSL (the default) unless that link is a network you trust.", config.bootstrapServers(Side.CLOUD));
        }
        checkClusters(config, plan, stages);
        PipelineRuntime runtime = assemble(config, plan, stages, registry, true);
        try {
            runtime.main.start();
        } catch (Exception e) {
            // Camel may not have got as far as stopping, which would close the transfer's clients.
            uplinkTransfer(runtime.main).ifPresent(UplinkTransfer::close);
            throw new IllegalStateException("The stages " + stageNames(stages) + " did not start: " + e.getMessage(), e);
        }
        return runtime;
    }

    /**
     * Loads the stages' route files as {@link #start} would, with every bean bound and every
     * placeholder resolved and every endpoint created, but starts no route and asks no cluster
     * anything: what {@code ./cefiot routes check} runs. Returns the ids of the routes loaded;
     * throws with Camel's reason (which names the file and line) when a file does not load.
     */
    public static List<String> check(SiteConfig config, List<Stage> stages) throws Exception {
        PipelineRuntime runtime = assemble(config, SitePlan.of(config), stages, new SimpleMeterRegistry(), false);
        try {
            runtime.main.start();
            return runtime.context().getRoutes().stream().map(Route::getRouteId).sorted().toList();
        } catch (FailedToCreateRouteException e) {
            throw new IllegalStateException(whereIn(runtime.context(), e) + e.getMessage(), e);
        } finally {
            runtime.close();
        }
    }

    /**
     * "FILE, line N: " of the step a route failed at (the one Camel's message marks >>> like this <<<),
     * or of the route; empty when Camel did not record where the route came from.
     */
    private static String whereIn(CamelContext context, FailedToCreateRouteException e) {
        if (context == null) {
            return "";
        }
        RouteDefinition route = ((ModelCamelContext) context).getRouteDefinition(e.getRouteId());
        if (route == null || route.getLocation() == null) {
            return "";
        }
        Matcher marked = Pattern.compile(">>> (.*?) <<<").matcher(e.getMessage());
        String step = marked.find() ? marked.group(1) : null;
        int line = step == null ? route.getLineNumber() : lineOf(route.getOutputs(), step).orElse(route.getLineNumber());
        return route.getLocation() + (line > 0 ? ", line " + line : "") + ": ";
    }

    private static OptionalInt lineOf(List<ProcessorDefinition<?>> steps, String marked) {
        for (ProcessorDefinition<?> step : steps) {
            if (step.toString().equals(marked) && step.getLineNumber() > 0) {
                return OptionalInt.of(step.getLineNumber());
            }
            OptionalInt inside = lineOf(step.getOutputs(), marked);
            if (inside.isPresent()) {
                return inside;
            }
        }
        return OptionalInt.empty();
    }

    /** The Camel Main of the stages, with their beans bound and their route files to load; not started. */
    private static PipelineRuntime assemble(SiteConfig config, SitePlan plan, List<Stage> stages, MeterRegistry registry,
                                            boolean autoStartup) {
        Properties properties = new Properties();
        for (Setting setting : Setting.values()) {
            // Settings that have a value (their own or the default, as routes/defaults.properties lists
            // them); an unset optional one is absent, and a route reads it as {{?key}}. Not secrets: no
            // route needs them, and Camel may list its properties in its start-up summary.
            if (!setting.secret()) {
                config.get(setting).ifPresent(value -> properties.setProperty(setting.key(), value));
            }
        }
        properties.putAll(plan.routeProperties(config, stages));
        properties.putAll(config.camelProperties());

        StageCounters counters = new StageCounters(registry);
        // Every stage's throughput and error series exist from the start, at 0, for dashboards and alerts.
        stages.forEach(stage -> counters.register(stage.id()));
        CaptureLog captureLog = new CaptureLog(config.get(Setting.CAMERA_CAPTURE_LOG).map(Path::of));
        Clock clock = Clock.systemUTC();

        Main main = new Main();
        main.configure().withRoutesIncludePattern(routePatterns(config, stages));
        if (autoStartup) { // not for ./cefiot routes check, which loads the files once
            routesDirectory().ifPresent(dir -> watchForEdits(main, dir, config, stages));
        }
        main.configure().withName("cefiot-" + config.siteId() + "-" + String.join("-", stages.stream().map(Stage::id).toList()));
        main.configure().withAutoStartup(autoStartup);
        // Errors in a route file name the file and line.
        main.configure().withSourceLocationEnabled(true);
        // Route files name no cluster, so Camel's clients get each cluster's TLS and login from this factory.
        properties.setProperty("camel.component.kafka.kafka-client-factory", "#siteKafkaClientFactory");
        main.setOverrideProperties(properties);
        // The route files declare their beans (beans:), the uplink's transfer and ingest's leadership
        // through factories. These are bound here because they share state with this process: the
        // capture log, the meters and counters, the ingest buffer gate (it watches the site's
        // backlog), and each cluster's TLS and login (secrets no route file may hold).
        main.bind("syntheticCamera", new SyntheticCamera(config.longValue(Setting.CAMERA_SEED), config.cameraIds(), clock));
        main.bind("captureLog", captureLog);
        main.bind("metricsRegistry", registry);
        // Camel's own route figures (exchanges, failures, processing time per route) beside ours,
        // in the same registry; Camel adds every RoutePolicyFactory it finds bound to each route.
        MicrometerRoutePolicyFactory routeMetrics = new MicrometerRoutePolicyFactory();
        routeMetrics.setMeterRegistry(registry);
        main.bind("routeMetrics", routeMetrics);
        main.bind("stageCounters", counters);
        if (stages.contains(Stage.INGEST)) {
            main.bind("ingestTakeovers", new IngestTakeoverWatch(counters, INGEST_ROUTE_ID));
            main.bind("edgeBufferGate", new EdgeBuffer(config, plan, registry));
        }
        main.bind("siteKafkaClientFactory", new SiteKafkaClientFactory(plan.clustersUsedBy(stages).stream().map(config::cluster).toList()));
        // Camel's Kafka component subscribes every consumer through the adapter bound under this
        // name: the failover count sees each rebalance, then the uplink's transfer (declared by
        // uplink.camel.yaml; it must know its partitions) or Camel's default subscribes.
        main.bind("subscribeAdapter", new FailoverWatch(
                () -> uplinkTransfer(main).<SubscribeAdapter>map(transfer -> transfer).orElseGet(DefaultSubscribeAdapter::new), counters));
        return new PipelineRuntime(main, counters, captureLog);
    }

    /** The uplink's transfer, once uplink.camel.yaml is loaded. */
    private static Optional<UplinkTransfer> uplinkTransfer(Main main) {
        CamelContext context = main.getCamelContext();
        return context == null ? Optional.empty()
                : Optional.ofNullable(context.getRegistry().lookupByNameAndType("uplinkTransfer", UplinkTransfer.class));
    }

    /** The cloud's transaction protocol the uplink relies on (KIP-890's server-side defence). */
    private static final short UPLINK_TRANSACTION_VERSION = 2;

    private static void checkClusters(SiteConfig config, SitePlan plan, List<Stage> stages) {
        Duration timeout = Duration.ofMillis(config.longValue(Setting.KAFKA_STARTUP_TIMEOUT_MS));
        int partitions = (int) config.longValue(Setting.KAFKA_PARTITIONS);
        Map<String, String> bufferLimits = EdgeBuffer.topicConfig(config, plan);
        Set<String> buffered = plan.edgeBufferTopics();
        Map<Side, Map<String, Integer>> partitionCounts = new EnumMap<>(Side.class);
        plan.topicsUsedBy(stages).forEach((side, topics) -> partitionCounts.put(side, ClusterPreflight.ensureTopics(
                config.cluster(side), topics, partitions, timeout,
                topic -> side == Side.EDGE && buffered.contains(topic) ? bufferLimits : Map.of())));
        if (stages.contains(Stage.UPLINK)) {
            checkUplinkPartitions(plan.stage(Stage.UPLINK), partitionCounts);
            ClusterPreflight.requireTransactionVersion(config.cluster(plan.stage(Stage.UPLINK).output().orElseThrow().cluster()),
                    UPLINK_TRANSACTION_VERSION, timeout);
        }
    }

    /**
     * The uplink writes each edge partition's records to the same partition number in the cloud
     * (that is how it keeps a camera's order and its offsets): a cloud topic with fewer partitions
     * would leave the records of the others waiting at the edge for good.
     */
    private static void checkUplinkPartitions(SitePlan.StagePlan uplink, Map<Side, Map<String, Integer>> partitionCounts) {
        SitePlan.Topic edge = uplink.input().orElseThrow();
        SitePlan.Topic cloud = uplink.output().orElseThrow();
        Integer edgePartitions = partitionCounts.getOrDefault(edge.cluster(), Map.of()).get(edge.name());
        Integer cloudPartitions = partitionCounts.getOrDefault(cloud.cluster(), Map.of()).get(cloud.name());
        if (edgePartitions != null && cloudPartitions != null && cloudPartitions < edgePartitions) {
            throw new ConfigException("The uplink copies " + edge.name() + " partition by partition, but the cloud's topic "
                    + cloud.name() + " has " + cloudPartitions + " partitions and the edge's has " + edgePartitions
                    + ": edge partitions " + cloudPartitions + " to " + (edgePartitions - 1) + " could never be copied. Give the "
                    + "cloud topic " + edgePartitions + " partitions (kafka-topics.sh --alter --topic " + cloud.name() + " --partitions "
                    + edgePartitions + ") and start the uplink again.");
        }
    }

    /** The folder the route files are loaded from (the launcher's routes/), if not the jar's copies. */
    private static Optional<String> routesDirectory() {
        return Optional.ofNullable(System.getProperty(ROUTES_DIR_PROPERTY)).filter(s -> !s.isBlank());
    }

    /**
     * Camel reloads a stage's route file when it is saved: its routes (by id) are rebuilt from the
     * file and restarted, while the other stages' routes in the process run on. YAML that does not
     * parse is logged and ignored (the old routes run on); a route that does not build (an unknown
     * bean) is logged with its step and stays stopped until the file is fixed. Settings outside the
     * file (placement, the site configuration, application.properties, the beans bound here) are
     * read at start only. routes/README.md says what a reload can and cannot change.
     */
    private static void watchForEdits(Main main, String dir, SiteConfig config, List<Stage> stages) {
        String files = stages.stream().map(stage -> routeFile(config, stage)).collect(Collectors.joining(","));
        main.configure().withRoutesReloadEnabled(true)
                .withRoutesReloadDirectory(Path.of(dir).toAbsolutePath().toString())
                .withRoutesReloadPattern(files)
                .withRoutesReloadRemoveAllRoutes(false);
        LOG.info("Watching {} in {}: a saved edit is reloaded without a restart", files, dir);
    }

    /**
     * Where the stages' routes come from: a folder named by {@code cefiot.routes.dir} (./cefiot
     * points it at routes/), else the sources Camel K mounted for an Integration, else the jar.
     */
    private static String routePatterns(SiteConfig config, List<Stage> stages) {
        Optional<String> dir = routesDirectory();
        if (dir.isEmpty()) {
            Optional<List<String>> camelK = CamelKSources.locations(System.getenv());
            if (camelK.isPresent()) {
                LOG.info("Routes from the Integration's sources that Camel K mounted: {}", String.join(", ", camelK.get()));
                return String.join(",", camelK.get());
            }
        }
        return stages.stream()
                .map(stage -> routeFile(config, stage))
                .map(file -> dir.map(d -> "file:" + Path.of(d).toAbsolutePath().resolve(file)).orElse("classpath:routes/" + file))
                .collect(Collectors.joining(","));
    }

    /** The route file of a stage; the camera stage has a second one for camera.source=synthetic. */
    static String routeFile(SiteConfig config, Stage stage) {
        return stage == Stage.CAMERA && config.syntheticCamera() ? Stage.SYNTHETIC_CAMERA_ROUTE_FILE : stage.routeFile();
    }

    private static String stageNames(List<Stage> stages) {
        return stages.stream().map(Stage::id).collect(Collectors.joining(", "));
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** The gauges and counters of these stages (Micrometer). */
    public MeterRegistry metrics() {
        return counters.registry();
    }

    public StageCounters counters() {
        return counters;
    }

    @Override
    public void close() throws Exception {
        main.stop(); // closes the uplink's transfer too (its destroyMethod)
        captureLog.close();
    }

    /** Stages named on a command line, in chain order, without repeats. */
    public static List<Stage> stagesOf(List<String> names) {
        Set<Stage> chosen = names.stream().map(Stage::parse).collect(Collectors.toSet());
        return Arrays.stream(Stage.values()).filter(chosen::contains).toList();
    }
}
