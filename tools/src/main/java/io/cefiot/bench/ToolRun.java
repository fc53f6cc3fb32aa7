package io.cefiot.bench;

import io.cefiot.localsite.LocalClusters;
import io.cefiot.localsite.SiteProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/** One of Kafka's own tools run to its end as its own JVM on an edge node, as its shell script would run it. */
final class ToolRun {

    private ToolRun() {
    }

    /** Runs the tool and returns what it printed; throws, naming its log, if it failed or outlived {@code timeout}. */
    static String toCompletion(LocalClusters clusters, String name, Path referenceLibs, String mainClass, List<String> args,
                               Duration timeout) throws InterruptedException {
        SiteProcess tool = clusters.tool(name, "edge-0", referenceLibs, mainClass, args);
        tool.start();
        OptionalInt exit = tool.awaitExit(timeout);
        String simpleName = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        if (exit.isEmpty() || exit.getAsInt() != 0) {
            tool.kill();
            throw new IllegalStateException(simpleName + " " + (exit.isEmpty() ? "did not finish" : "failed") + "; see " + tool.log());
        }
        try {
            return Files.readString(tool.log());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + tool.log(), e);
        }
    }
}
