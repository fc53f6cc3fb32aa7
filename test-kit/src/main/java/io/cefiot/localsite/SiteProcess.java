package io.cefiot.localsite;

import io.cefiot.launcher.Cefiot;
import io.cefiot.runtime.PipelineRuntime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * One process of a local multi-process site (a Kafka node, a stage replica, or a reference
 * tool the benchmark compares against): a child JVM, optionally inside a network namespace,
 * with its output in a log file. It can be killed with SIGKILL and started again with the
 * same arguments.
 */
public final class SiteProcess {

    /** The JVM options of a process: all of a site's processes, ours and the reference tools', get the same. */
    public enum Jvm {
        /** Quick start-up and small footprint for a dozen processes on two cores (chaos runs, tests): C1 only, serial GC. */
        QUICK_START(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")),
        /** As the systemd unit runs a stage (only the heap is set), for benchmarks. */
        AS_DEPLOYED(List.of());

        private final List<String> options;

        Jvm(List<String> options) {
            this.options = options;
        }
    }

    private final String name;
    private final String node;
    private final List<String> command;
    private final Path log;
    private Process process;

    /** A process running the shipped jar ({@code cefiot ARGS}). */
    public SiteProcess(String name, String node, Optional<String> namespace, Jvm jvm, String heap, Path logDirectory, List<String> args) {
        this(name, node, logDirectory, javaCommand(namespace, jvm, heap, withRoutesDir(List.of("-jar", shippedJar().toString())), args));
    }

    /** A process running the shipped jar ({@code cefiot ARGS}) with exactly these JVM options (a pod's, say). */
    public SiteProcess(String name, String node, Optional<String> namespace, List<String> javaOptions, Path logDirectory, List<String> args) {
        this(name, node, logDirectory, javaCommand(namespace, javaOptions, withRoutesDir(List.of("-jar", shippedJar().toString())), args));
    }

    /** A process running {@code mainClass} of another tool, from the jars in {@code classpathDirectory}. */
    public static SiteProcess ofTool(String name, String node, Optional<String> namespace, Jvm jvm, String heap, Path logDirectory,
            Path classpathDirectory, String mainClass, List<String> args) {
        return new SiteProcess(name, node, logDirectory,
                javaCommand(namespace, jvm, heap, List.of("-cp", classpathDirectory.resolve("*").toString(), mainClass), args));
    }

    private SiteProcess(String name, String node, Path logDirectory, List<String> command) {
        this.name = name;
        this.node = node;
        this.log = logDirectory.resolve(name + ".log");
        this.command = command;
    }

    private static List<String> javaCommand(Optional<String> namespace, Jvm jvm, String heap, List<String> launch, List<String> args) {
        List<String> options = new ArrayList<>(List.of("-Xmx" + heap, "-Djava.awt.headless=true"));
        options.addAll(jvm.options);
        return javaCommand(namespace, options, launch, args);
    }

    private static List<String> javaCommand(Optional<String> namespace, List<String> javaOptions, List<String> launch, List<String> args) {
        List<String> cmd = new ArrayList<>();
        namespace.ifPresent(ns -> cmd.addAll(List.of("ip", "netns", "exec", ns)));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(javaOptions);
        cmd.addAll(launch);
        cmd.addAll(args);
        return List.copyOf(cmd);
    }

    private static List<String> withRoutesDir(List<String> launch) {
        List<String> options = new ArrayList<>();
        Optional.ofNullable(System.getProperty(PipelineRuntime.ROUTES_DIR_PROPERTY))
                .ifPresent(dir -> options.add("-D" + PipelineRuntime.ROUTES_DIR_PROPERTY + "=" + dir));
        options.addAll(launch);
        return options;
    }

    public String name() {
        return name;
    }

    /** The edge node (edge-0 ...), "cloud" or "camera" this process belongs to. */
    public String node() {
        return node;
    }

    public synchronized void start() {
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
    public synchronized void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitFor(process);
        }
    }

    /**
     * SIGSTOP: the process stays, with its sockets open, but does nothing, as a node does under a
     * long garbage collection, a swap storm or a hung disk. Its peers see requests time out, not
     * connections refused. {@link #resume()} undoes it.
     */
    public synchronized void pause() {
        signal("STOP");
    }

    /** SIGCONT: a paused process goes on where it stopped, with whatever its peers sent meanwhile. */
    public synchronized void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            int status = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
            if (status != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " (" + this.name + ") exited with " + status);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot send SIG" + name + " to " + this.name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending SIG" + name + " to " + this.name, e);
        }
    }

    /** SIGTERM, as a service manager stops a process (a paused one is resumed to receive it). */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            signal("CONT");
            if (!waitFor(process)) {
                process.destroyForcibly();
                waitFor(process);
            }
        }
    }

    /** Waits for the process to end by itself: its exit code, or empty if it still runs after {@code timeout}. */
    public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        Process running;
        synchronized (this) {
            running = process;
        }
        if (running == null || !running.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(running.exitValue());
    }

    /** The operating system's process id, while it runs. */
    public synchronized OptionalLong pid() {
        return process != null && process.isAlive() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** The last {@code count} lines of the log, to show why the process stopped where the log may not outlive the run. */
    public String lastLogLines(int count) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(its log " + log + " cannot be read: " + e.getMessage() + ")";
        }
    }

    private static boolean waitFor(Process process) {
        try {
            return process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The system property that names the shipped jar when the launcher's classes were not loaded from it. */
    public static final String SHIPPED_JAR_PROPERTY = "cefiot.jar";

    /**
     * The jar every node and pod runs (app/target/cefiot.jar, its libraries in lib/ beside it), so
     * that a local site runs what ships: the property {@value #SHIPPED_JAR_PROPERTY}, else the jar
     * the launcher was loaded from when its libraries are beside it.
     */
    static Path shippedJar() {
        String named = System.getProperty(SHIPPED_JAR_PROPERTY);
        Path jar;
        try {
            jar = named != null ? Path.of(named) : Path.of(Cefiot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (!Files.isRegularFile(jar) || !Files.isDirectory(jar.resolveSibling("lib"))) {
            throw new IllegalStateException("A local site runs the shipped jar, with its libraries in lib/ beside it, and " + jar
                    + " is not one: build it (mvn -pl app -am package -DskipTests) and name it with -D" + SHIPPED_JAR_PROPERTY
                    + "=app/target/cefiot.jar.");
        }
        return jar;
    }
}
