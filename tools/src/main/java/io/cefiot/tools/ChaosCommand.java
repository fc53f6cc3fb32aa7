package io.cefiot.tools;

import io.cefiot.chaos.ChaosRun;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./cefiot chaos}: a local multi-process site under random faults, checked image by image. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {"Run a local multi-process site (3 edge Kafka nodes, 1 cloud Kafka node, every stage twice) under "
                + "random faults, then check every captured image against the archive and print the fault matrix.",
                "Exit code 0: nothing lost and nothing archived twice; 1 otherwise. As root, the cloud side runs in its "
                        + "own network namespace (link faults) and the spool on a small tmpfs (disk full)."})
public class ChaosCommand implements Callable<Integer> {

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the fault schedule and the camera (default: random, printed).")
    Long seed;

    @Option(names = "--duration", defaultValue = "300", paramLabel = "SECONDS",
            description = "How long to inject faults, after start-up and before the final drain (default: ${DEFAULT-VALUE}).")
    long durationSeconds;

    @Option(names = "--data", defaultValue = "cefiot-chaos", paramLabel = "DIR",
            description = "Where the site's Kafka data, spool, archive, logs and the matrix go (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--camera-interval-ms", defaultValue = "100", paramLabel = "MS",
            description = "Time between captures (default: ${DEFAULT-VALUE}).")
    int cameraIntervalMs;

    @Option(names = "--link-outage", paramLabel = "SECONDS",
            description = "Longest link cut and length of a slow-link period (default: duration/8, between 15 and 120).")
    Long linkOutageSeconds;

    @Override
    public Integer call() throws Exception {
        long chosenSeed = seed != null ? seed : System.nanoTime() % 1_000_000;
        long outage = linkOutageSeconds != null ? linkOutageSeconds : Math.max(15, Math.min(120, durationSeconds / 8));
        return new ChaosRun(chosenSeed, Duration.ofSeconds(durationSeconds), Duration.ofSeconds(outage), data, cameraIntervalMs,
                System.out).run() ? 0 : 1;
    }
}
