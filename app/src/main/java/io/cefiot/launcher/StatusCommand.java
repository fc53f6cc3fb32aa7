package io.cefiot.launcher;

import io.cefiot.buffer.EdgeBacklog;
import io.cefiot.buffer.OldestUnsent;
import io.cefiot.site.Setting;
import io.cefiot.site.Side;
import io.cefiot.site.SiteConfig;
import io.cefiot.site.SitePlan;
import io.cefiot.site.SitePlan.StagePlan;
import io.cefiot.site.Stage;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The site at a glance, from the two Kafka clusters alone (no agent on the nodes): each stage's
 * side, whether a replica is up (members of its consumer group) and its throughput (how far its
 * committed offsets moved during the window); the edge backlog and the oldest image not yet in
 * the cloud; and whether the cloud cluster answers from this host.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Print the site's state: each stage (side, up or down, throughput), the edge backlog, the oldest unsent "
                + "image and the link. Exit 0 if every stage and the link are up, 1 if not.")
public class StatusCommand implements Callable<Integer> {

    private static final int SAFETY_SAMPLE = 50;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Site configuration (properties file).")
    Path config;

    @Option(names = "--window", defaultValue = "5", paramLabel = "SECONDS",
            description = "How long throughput is measured (default: ${DEFAULT-VALUE}).")
    int windowSeconds;

    @Override
    public Integer call() throws Exception {
        SiteConfig site = SiteConfig.load(config);
        SitePlan plan = SitePlan.of(site);
        Map<Side, Admin> admins = new EnumMap<>(Side.class);
        try {
            for (Side side : Side.values()) {
                admins.put(side, Admin.create(site.cluster(side).clientConfig(Map.of(
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000))));
            }
            return report(site, plan, admins);
        } finally {
            admins.values().forEach(a -> a.close(Duration.ofSeconds(2)));
        }
    }

    private int report(SiteConfig site, SitePlan plan, Map<Side, Admin> admins) throws Exception {
        boolean allUp = true;
        System.out.printf("Site %s at %s (throughput over %d s)%n", plan.siteId(), Instant.now(), windowSeconds);
        Map<Side, String> clusters = new EnumMap<>(Side.class);
        for (Side side : Side.values()) {
            clusters.put(side, answers(admins.get(side)));
        }
        boolean linkUp = !clusters.get(Side.CLOUD).startsWith("DOWN");
        allUp &= linkUp && !clusters.get(Side.EDGE).startsWith("DOWN");
        System.out.printf("edge cluster: %s%n", clusters.get(Side.EDGE));
        System.out.printf("link: %s (cloud cluster seen from this host: %s)%n", linkUp ? "up" : "DOWN", clusters.get(Side.CLOUD));

        Map<Stage, Long> before = positions(plan, admins);
        TimeUnit.SECONDS.sleep(windowSeconds); // the measuring window itself
        Map<Stage, Long> after = positions(plan, admins);

        System.out.printf("%n%-8s %-6s %-6s %-9s %s%n", "stage", "side", "state", "replicas", "throughput");
        for (Stage stage : plan.stages()) {
            StagePlan stagePlan = plan.stage(stage);
            String side = stage == Stage.UPLINK ? "cut" : stagePlan.side().id();
            double rate = before.containsKey(stage) && after.containsKey(stage)
                    ? (after.get(stage) - before.get(stage)) / (double) windowSeconds : Double.NaN;
            String throughput = Double.isNaN(rate) ? "?" : String.format(Locale.ROOT, "%.1f images/s", rate);
            if (stagePlan.input().isEmpty()) {
                // camera and ingest have no consumer group: they show through what ingest writes.
                String state = stage == Stage.INGEST ? (rate > 0 ? "active" : "idle") : "-";
                System.out.printf("%-8s %-6s %-6s %-9s %s%n", stage.id(), side, state, "-",
                        stage == Stage.INGEST ? throughput + " into the edge" : "(see ingest; spool " + site.require(Setting.SPOOL_DIR) + ")");
                continue;
            }
            int members = members(admins.get(stagePlan.input().get().cluster()), plan.groupId(stage));
            boolean up = members > 0;
            allUp &= up;
            System.out.printf("%-8s %-6s %-6s %-9s %s%n", stage.id(), side, members < 0 ? "?" : up ? "up" : "DOWN",
                    members < 0 ? "?" : Integer.toString(members), throughput);
        }

        System.out.println();
        try {
            EdgeBacklog backlog = EdgeBacklog.measure(admins.get(Side.EDGE), EdgeBacklog.edgeReaders(plan),
                    site.longValue(Setting.EDGE_BUFFER_MAX_AGE_MS));
            System.out.printf(Locale.ROOT, "backlog: %d images (%.1f MB) at the edge, not yet in the cloud%n",
                    backlog.images(), backlog.bytes() / 1e6);
            try (OldestUnsent oldest = new OldestUnsent(site.bootstrapServers(Side.EDGE), site.path(Setting.SPOOL_DIR))) {
                OptionalLong capture = oldest.oldestCaptureMillis(backlog.unread());
                System.out.println("oldest unsent image: " + (capture.isEmpty() ? "none waiting"
                        : "captured " + Duration.ofMillis(System.currentTimeMillis() - capture.getAsLong()).toSeconds() + " s ago ("
                        + Instant.ofEpochMilli(capture.getAsLong()) + ")"));
            }
        } catch (Exception e) {
            allUp = false;
            System.out.println("backlog: unknown, the edge cluster did not answer (" + e.getMessage() + ")");
        }
        printTimeToSafety(site, plan);
        return allUp ? 0 : 1;
    }

    /**
     * Capture to safe for the newest images: to the edge topic that ingest writes, and to the cloud
     * topic that the uplink writes (committed copies only).
     */
    private static void printTimeToSafety(SiteConfig site, SitePlan plan) {
        System.out.println("time to safety, capture to written (newest " + SAFETY_SAMPLE + " images per partition):");
        List<String[]> milestones = List.of(
                new String[] {"edge", "into the edge cluster"},
                new String[] {"cloud", "into the cloud cluster"});
        for (String[] milestone : milestones) {
            Optional<SitePlan.Topic> topic = milestone[0].equals("edge") ? plan.stage(Stage.INGEST).output()
                    : plan.stage(Stage.UPLINK).output();
            String figures;
            try {
                figures = topic.flatMap(t -> RecentTimeToSafety.of(site.cluster(t.cluster()), t.name(), SAFETY_SAMPLE))
                        .map(RecentTimeToSafety.Figures::describe).orElse("no image yet");
            } catch (Exception e) {
                figures = "unknown, the cluster did not answer (" + e.getMessage() + ")";
            }
            System.out.printf("  %-24s %s%n", milestone[1], figures);
        }
    }

    private static String answers(Admin admin) {
        try {
            int brokers = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
            return brokers == 1 ? "1 broker answers" : brokers + " brokers answer";
        } catch (Exception e) {
            return "DOWN, no broker answered in 5 s";
        }
    }

    /** Members of a consumer group (0 if it never had any), or -1 if its cluster does not answer. */
    private static int members(Admin admin, String group) {
        try {
            return admin.describeConsumerGroups(List.of(group)).all().get(5, TimeUnit.SECONDS).get(group).members().size();
        } catch (ExecutionException e) {
            return e.getCause() instanceof GroupIdNotFoundException ? 0 : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * How far each stage has got: the sum of its group's committed offsets on its input topic, or
     * for ingest the end of the topic it writes. Stages whose cluster does not answer are left out.
     */
    private static Map<Stage, Long> positions(SitePlan plan, Map<Side, Admin> admins) {
        Map<Stage, Long> positions = new EnumMap<>(Stage.class);
        for (Stage stage : plan.stages()) {
            StagePlan stagePlan = plan.stage(stage);
            try {
                if (stagePlan.input().isPresent()) {
                    Admin admin = admins.get(stagePlan.input().get().cluster());
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(plan.groupId(stage))
                            .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
                    positions.put(stage, committed.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum());
                } else if (stage == Stage.INGEST && stagePlan.output().isPresent()) {
                    Admin admin = admins.get(stagePlan.output().get().cluster());
                    String topic = stagePlan.output().get().name();
                    var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic).partitions();
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    partitions.forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                    positions.put(stage, admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS).values().stream()
                            .mapToLong(r -> r.offset()).sum());
                }
            } catch (Exception e) {
                // Its cluster does not answer: throughput unknown.
            }
        }
        return positions;
    }
}
