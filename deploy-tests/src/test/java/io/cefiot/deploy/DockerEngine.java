package io.cefiot.deploy;

import io.cefiot.testing.Requires;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The Docker engine the image test runs containers in. No engine runs on our machines by default,
 * so as root this starts Debian's dockerd by hand (docs/architecture.md: no bridge, no
 * iptables; containers use the host's network) and stops it afterwards.
 */
final class DockerEngine implements AutoCloseable {

    private final Process startedDaemon;

    private DockerEngine(Process startedDaemon) {
        this.startedDaemon = startedDaemon;
    }

    static DockerEngine ensureRunning(Path logFile) throws IOException {
        if (answers()) {
            return new DockerEngine(null);
        }
        Requires.root("A test that runs containers, with no Docker engine answering (only root can start dockerd)");
        Path dockerd = Requires.debianTool("dockerd", "docker.io", "A test that runs containers");
        Process daemon = new ProcessBuilder(dockerd.toString(), "--bridge=none", "--iptables=false", "--ip6tables=false")
                .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        await("dockerd answering (log: " + logFile + ")").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> !daemon.isAlive() || answers());
        if (!daemon.isAlive()) {
            throw new IllegalStateException("dockerd exited at start; see " + logFile);
        }
        return new DockerEngine(daemon);
    }

    private static boolean answers() {
        try {
            return ProcessRun.of(List.of("docker", "info"), Duration.ofSeconds(20)).status() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    static ProcessRun docker(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(arguments));
        return ProcessRun.of(command, Duration.ofMinutes(2));
    }

    @Override
    public void close() {
        if (startedDaemon != null) {
            startedDaemon.destroy();
            try {
                startedDaemon.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            startedDaemon.destroyForcibly();
        }
    }
}
