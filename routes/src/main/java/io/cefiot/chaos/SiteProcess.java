package io.cefiot.chaos;

import io.cefiot.runtime.PipelineRuntime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One process of the local chaos site (a Kafka node or a stage replica): a child JVM running
 * this same jar, optionally inside a network namespace, with its output in a log file. It
 * can be killed with SIGKILL and started again with the same arguments.
 */
final class SiteProcess {

    private final String name;
    private final String node;
    private final List<String> command;
    private final Path log;
    private Process process;

    SiteProcess(String name, String node, Optional<String> namespace, String heap, Path logDirectory, List<String> args) {
        this.name = name;
        this.node = node;
        this.log = logDirectory.resolve(name + ".log");
        List<String> cmd = new ArrayList<>();
        namespace.ifPresent(ns -> cmd.addAll(List.of("ip", "netns", "exec", ns)));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small heaps and quick start-up: a dozen of these share two cores.
        cmd.addAll(List.of("-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true"));
        Optional.ofNullable(System.getProperty(PipelineRuntime.ROUTES_DIR_PROPERTY))
                .ifPresent(dir -> cmd.add("-D" + PipelineRuntime.ROUTES_DIR_PROPERTY + "=" + dir));
        cmd.addAll(List.of("-jar", thisJar().toString()));
        cmd.addAll(args);
        this.command = List.copyOf(cmd);
    }

    String name() {
        return name;
    }

    /** The edge node (edge-0 ...), "cloud" or "camera" this process belongs to. */
    String node() {
        return node;
    }

    synchronized void start() {
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
    synchronized void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitFor(process);
        }
    }

    /** SIGTERM, as a service manager stops a process. */
    synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!waitFor(process)) {
                process.destroyForcibly();
                waitFor(process);
            }
        }
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    Path log() {
        return log;
    }

    private static boolean waitFor(Process process) {
        try {
            return process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Path thisJar() {
        try {
            return Path.of(SiteProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
