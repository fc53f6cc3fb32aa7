package io.cefiot.chaos;

import io.cefiot.localsite.SiteProcess;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;

/** Injects one fault of a kind on a seeded random target, holds it, and undoes it. */
final class FaultInjector {

    private final ChaosSite site;
    private final Random random;
    private final PrintStream out;
    private final Duration linkOutage;

    FaultInjector(ChaosSite site, Random random, PrintStream out, Duration linkOutage) {
        this.site = site;
        this.random = random;
        this.out = out;
        this.linkOutage = linkOutage;
    }

    Trial inject(FaultKind kind) throws InterruptedException {
        long start = System.currentTimeMillis();
        String target = switch (kind) {
            case BROKER_KILL -> {
                int node = brokerToKill();
                site.edgeBrokers.get(node).kill();
                hold(3, 8);
                site.edgeBrokers.get(node).start();
                yield "broker-edge-" + node;
            }
            case BROKER_STALL -> {
                int node = brokerToKill();
                site.edgeBrokers.get(node).pause();
                // Past broker.session.timeout.ms (3 s): the controller fences it and leaders move,
                // while its clients' requests sit unanswered in its sockets.
                hold(5, 15);
                site.edgeBrokers.get(node).resume();
                yield "broker-edge-" + node;
            }
            case STAGE_KILL -> {
                List<SiteProcess> replicas = new ArrayList<>(site.stages.values());
                SiteProcess victim = replicas.get(random.nextInt(replicas.size()));
                victim.kill();
                // a service manager restarts it after a short delay
                hold(1, 5);
                victim.start();
                yield victim.name();
            }
            case NODE_LOSS -> {
                int node = random.nextInt(ChaosSite.EDGE_NODES);
                List<SiteProcess> processes = site.processesOnNode(node);
                processes.forEach(SiteProcess::kill);
                hold(5, 12);
                processes.forEach(SiteProcess::start);
                yield "edge-" + node;
            }
            case LINK_CUT -> {
                site.link.cut();
                sleep(linkOutage.toMillis() / 2 + random.nextLong(linkOutage.toMillis() / 2 + 1));
                site.link.restore();
                yield "link";
            }
            case LINK_SLOW -> {
                site.link.limit(2000);
                sleep(linkOutage.toMillis());
                site.link.unlimit();
                yield "link";
            }
            case DISK_FULL -> {
                site.spoolDisk.fill();
                hold(5, 12);
                site.spoolDisk.free();
                yield "spool";
            }
            case CLOUD_BROKER_RESTART -> {
                site.cloudBroker.kill();
                hold(3, 8);
                site.cloudBroker.start();
                yield "broker-cloud-0";
            }
            case CLOUD_BROKER_STALL -> {
                site.cloudBroker.pause();
                // Past the uplink's request (10 s) and delivery (20 s) timeouts: its transactions time
                // out client-side while their requests still sit in the stalled broker's sockets, and
                // are read when it resumes.
                hold(20, 40);
                site.cloudBroker.resume();
                yield "broker-cloud-0";
            }
            case TWO_BROKERS_LOST -> {
                int spared = random.nextInt(ChaosSite.EDGE_NODES);
                List<SiteProcess> lost = new ArrayList<>(site.edgeBrokers);
                lost.remove(spared);
                lost.forEach(SiteProcess::kill);
                out.println("    degraded: only broker-edge-" + spared + " is up, below min.insync.replicas=2; "
                        + "edge writes stop and images wait in the spool");
                Map<SiteProcess, Long> ingestLogs = new LinkedHashMap<>();
                site.stages.values().stream().filter(p -> p.name().startsWith("ingest")).forEach(p -> ingestLogs.put(p, logSize(p)));
                // Long enough for the edge buffer to call it: its checks against dead leaders time out after
                // 5 s each, and it reports DEGRADED once failures span 5 s, about 10 s after the loss. On a
                // loaded host the outage goes on until an ingest replica says so, for 15 s more at most.
                hold(18, 26);
                List<String> reported = degradedReports(ingestLogs);
                for (long giveUp = System.currentTimeMillis() + 15_000; reported.isEmpty() && System.currentTimeMillis() < giveUp; ) {
                    sleep(500);
                    reported = degradedReports(ingestLogs);
                }
                out.println("    logged DEGRADED: " + (reported.isEmpty() ? "no ingest replica" : String.join(", ", reported)));
                lost.get(0).start();
                hold(3, 6);
                lost.get(1).start();
                yield "all but broker-edge-" + spared;
            }
        };
        return new Trial(kind, target, start, System.currentTimeMillis());
    }

    /** Half the time the leader of partition 0 of the topic the archive is fed from, else any node. */
    private int brokerToKill() {
        if (random.nextBoolean()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, site.edgeKafka.bootstrapServers(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000))) {
                TopicDescription topic = admin.describeTopics(List.of(ChaosSite.SITE_ID + ".images.ingested"))
                        .allTopicNames().get(5, TimeUnit.SECONDS).get(ChaosSite.SITE_ID + ".images.ingested");
                var leader = topic.partitions().get(0).leader();
                if (leader != null) {
                    return leader.id();
                }
            } catch (Exception e) {
                // no leader known right now: pick any
            }
        }
        return random.nextInt(ChaosSite.EDGE_NODES);
    }

    private static long logSize(SiteProcess process) {
        try {
            return Files.size(process.log());
        } catch (IOException e) {
            return 0;
        }
    }

    /** The ingest replicas that logged DEGRADED since their log had the size noted. */
    private static List<String> degradedReports(Map<SiteProcess, Long> ingestLogs) {
        return ingestLogs.entrySet().stream()
                .filter(e -> logSince(e.getKey(), e.getValue()).contains("DEGRADED")).map(e -> e.getKey().name()).toList();
    }

    /** What the process logged after its log had {@code from} bytes. */
    private static String logSince(SiteProcess process, long from) {
        try {
            byte[] all = Files.readAllBytes(process.log());
            return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private void hold(int minSeconds, int maxSeconds) throws InterruptedException {
        sleep(TimeUnit.SECONDS.toMillis(minSeconds + random.nextInt(maxSeconds - minSeconds + 1)));
    }

    private static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }
}
