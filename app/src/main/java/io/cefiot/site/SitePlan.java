package io.cefiot.site;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where each stage runs and which topics connect them, worked out from the placement in a
 * site configuration. Route files only name placeholders such as
 * {@code {{enrich.input-topic}}}; this plan gives them values, so moving a stage between
 * edge and cloud changes no route and no Java.
 *
 * <p>The chain is ingest → enrich → (compact) → archive. Each stage that writes a topic writes it on
 * its own side's cluster, and the uplink copies whichever topic crosses from the edge to
 * the cloud under the same name.
 */
public final class SitePlan {

    /** A topic on one side's cluster. */
    public record Topic(Side cluster, String name) {
    }

    /** One stage: its side and the topics it reads and writes. */
    public record StagePlan(Stage stage, Side side, Optional<Topic> input, Optional<Topic> output) {
    }

    private static final Map<Stage, String> OUTPUT_NAMES = Map.of(
            Stage.INGEST, "images.ingested",
            Stage.ENRICH, "images.enriched",
            Stage.COMPACT, "images.compacted");

    private final String siteId;
    private final Map<Stage, StagePlan> stages;

    private SitePlan(String siteId, Map<Stage, StagePlan> stages) {
        this.siteId = siteId;
        this.stages = Collections.unmodifiableMap(stages);
    }

    public static SitePlan of(SiteConfig config) {
        String site = config.siteId();
        Map<Stage, StagePlan> plans = new EnumMap<>(Stage.class);
        plans.put(Stage.CAMERA, new StagePlan(Stage.CAMERA, Side.EDGE, Optional.empty(), Optional.empty()));

        List<Stage> chain = config.compactEnabled()
                ? List.of(Stage.INGEST, Stage.ENRICH, Stage.COMPACT, Stage.ARCHIVE)
                : List.of(Stage.INGEST, Stage.ENRICH, Stage.ARCHIVE);
        Topic current = null;
        for (Stage stage : chain) {
            Side side = config.placement(stage);
            Optional<Topic> input = Optional.empty();
            if (current != null) {
                if (current.cluster() != side) {
                    if (current.cluster() == Side.CLOUD) {
                        throw new ConfigException("Placement puts " + stage.id() + " at the edge after a stage in the cloud; "
                                + "images would have to cross back. Place every stage after the first cloud stage in the cloud.");
                    }
                    Topic mirrored = new Topic(Side.CLOUD, current.name());
                    // The uplink runs at the edge: the edge dials out, so a site behind NAT
                    // or a firewall needs no inbound connection.
                    plans.put(Stage.UPLINK, new StagePlan(Stage.UPLINK, Side.EDGE, Optional.of(current), Optional.of(mirrored)));
                    current = mirrored;
                }
                input = Optional.of(current);
            }
            Optional<Topic> output = Optional.ofNullable(OUTPUT_NAMES.get(stage)).map(n -> new Topic(side, site + "." + n));
            plans.put(stage, new StagePlan(stage, side, input, output));
            current = output.orElse(current);
        }
        return new SitePlan(site, plans);
    }

    public StagePlan stage(Stage stage) {
        StagePlan plan = stages.get(stage);
        if (plan == null) {
            throw new ConfigException("The " + stage.id() + " stage is not in this site's chain. Set compact.enabled=true to add it.");
        }
        return plan;
    }

    public String siteId() {
        return siteId;
    }

    /** The consumer group a stage reads its input with. Offsets a stage commits belong to it. */
    public String groupId(Stage stage) {
        return groupId(siteId, stage);
    }

    /** The consumer group of a stage of the site {@code siteId}: {@code cefiot-SITE-STAGE}. */
    public static String groupId(String siteId, Stage stage) {
        return "cefiot-" + siteId + "-" + stage.id();
    }

    /** The consumer group through which a placement move's stages hand over (see Handover). */
    public static String handoverGroupId(String siteId) {
        return "cefiot-" + siteId + "-handover";
    }

    /**
     * The stages that read topics, in the order images flow through them: each one's input is
     * the output of one before it (the uplink sits where the chain crosses the cut).
     */
    public List<Stage> readersInFlowOrder() {
        List<Stage> order = new ArrayList<>();
        Optional<Topic> current = stage(Stage.INGEST).output();
        while (current.isPresent()) {
            Optional<Topic> topic = current;
            Optional<StagePlan> reader = stages.values().stream().filter(p -> p.input().equals(topic)).findFirst();
            if (reader.isEmpty()) {
                break;
            }
            order.add(reader.get().stage());
            current = reader.get().output();
        }
        return order;
    }

    /** One line naming each processing stage's side and the topic the uplink carries, e.g. for logs. */
    public String placementSummary() {
        String sides = readersInFlowOrder().stream().filter(s -> s != Stage.UPLINK)
                .map(s -> s.id() + "=" + stage(s).side().id()).collect(Collectors.joining(" "));
        return sides + ", uplink carries " + stage(Stage.UPLINK).input().orElseThrow().name();
    }

    /** The stages of this site's chain, in order (compact only when enabled). */
    public List<Stage> stages() {
        return Arrays.stream(Stage.values()).filter(stages::containsKey).toList();
    }

    /** The edge topics images wait in until the uplink has copied them: the edge buffer. */
    public Set<String> edgeBufferTopics() {
        Set<String> topics = new LinkedHashSet<>();
        stages.values().forEach(plan -> plan.output().filter(t -> t.cluster() == Side.EDGE).ifPresent(t -> topics.add(t.name())));
        return topics;
    }

    /** The dead-letter topic on a cluster: records a stage cannot process go there with a reason. */
    public Topic deadLetterTopic(Side cluster) {
        return new Topic(cluster, siteId + ".images.dead-letter");
    }

    /** The topics the given stages read or write, grouped by cluster, so start-up can create them. */
    public Map<Side, Set<String>> topicsUsedBy(List<Stage> chosen) {
        Map<Side, Set<String>> topics = new EnumMap<>(Side.class);
        for (Stage stage : chosen) {
            StagePlan plan = stage(stage);
            List<Topic> used = new ArrayList<>();
            plan.input().ifPresent(t -> {
                used.add(t);
                used.add(deadLetterTopic(t.cluster()));
            });
            plan.output().ifPresent(used::add);
            used.forEach(t -> topics.computeIfAbsent(t.cluster(), k -> new LinkedHashSet<>()).add(t.name()));
        }
        return topics;
    }

    /** The clusters the given stages connect to. */
    public Set<Side> clustersUsedBy(List<Stage> chosen) {
        return topicsUsedBy(chosen).keySet();
    }

    /**
     * The placeholder values the route files use: STAGE.input-topic, STAGE.input-brokers,
     * STAGE.group-id, STAGE.output-topic, STAGE.output-brokers and STAGE.dead-letter-topic, for the chosen
     * stages only (a missing cluster address for a stage not run here is no error).
     */
    public Map<String, String> routeProperties(SiteConfig config, List<Stage> chosen) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (Stage stage : chosen) {
            StagePlan plan = stage(stage);
            String prefix = stage.id() + ".";
            plan.input().ifPresent(t -> {
                properties.put(prefix + "input-topic", t.name());
                properties.put(prefix + "input-brokers", config.bootstrapServers(t.cluster()));
                properties.put(prefix + "group-id", groupId(stage));
                properties.put(prefix + "dead-letter-topic", deadLetterTopic(t.cluster()).name());
            });
            plan.output().ifPresent(t -> {
                properties.put(prefix + "output-topic", t.name());
                properties.put(prefix + "output-brokers", config.bootstrapServers(t.cluster()));
            });
        }
        return properties;
    }
}
