package io.cefiot.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The Docker engine the image test runs containers in. No engine runs on our machines by default,
 * so as root this starts Debian's dockerd by hand (ARCHITECTURE.md section 6: no bridge, no
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
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("No Docker engine answers and only root can start dockerd: run as root, or start dockerd yourself.");
        }
        Process daemon;
        try {
            daemon = new ProcessBuilder("dockerd", "--bridge=none", "--iptables=false", "--ip6tables=false")
                    .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("dockerd is missing (apt-get install docker.io): " + e.getMessage(), e);
        }
        await("dockerd answering (log: " + logFile + ")").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> !daemon.isAlive() || answers());
        if (!daemon.isAlive()) {
            throw new IllegalStateException("dockerd exited at start; see " + logFile);
        }
        return new DockerEngine(daemon);
    }

    private static boolean answers() {
        try {
            return run(List.of("docker", "info"), Duration.ofSeconds(20)).status() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** What a command printed and its exit status. */
    record Result(int status, String output) {
        Result orFail(String what) {
            if (status != 0) {
                throw new IllegalStateException(what + " failed (" + status + "):\n" + output);
            }
            return this;
        }
    }

    static Result docker(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(arguments));
        return run(command, Duration.ofMinutes(2));
    }

    static Result run(List<String> command, Duration timeout) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + timeout);
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
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
