package io.cefiot.launcher;

import io.cefiot.site.ConfigException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./cefiot} command line. */
@Command(name = "cefiot", mixinStandardHelpOptions = true, version = "cefiot 0.1.0",
        description = "Fault-tolerant edge-to-cloud image pipeline on Apache Camel and Apache Kafka.",
        subcommands = {DemoCommand.class, RunCommand.class, PlanCommand.class, PlaceCommand.class, BrokerCommand.class,
                DetectCommand.class, StatusCommand.class, KafkaNodeCommand.class, ManifestsCommand.class,
                RoutesCommand.class,
                CloudAccessCommand.class},
        footer = {"", "./cefiot bench and ./cefiot chaos run the benchmarks and the chaos run from the tools module "
                + "(tools/target/cefiot-tools.jar), which this jar does not carry."})
public class Cefiot {

    public static void main(String[] args) {
        useOurLogging();
        System.exit(commandLine().execute(args.length == 0 ? argumentsFromEnvironment() : args));
    }

    /** Headless, with our log configuration: for every main that runs the pipeline's code. */
    public static void useOurLogging() {
        System.setProperty("java.awt.headless", "true");
        // A Kafka jar on the class path carries a log4j2.yaml that would win over ours.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:cefiot-log4j2.xml");
        }
    }

    /**
     * Camel K's jvm trait starts the image's jar as {@code java -jar} with no arguments, so the
     * Integrations pass the command line in CEFIOT_ARGS (split on spaces).
     */
    static String[] argumentsFromEnvironment() {
        String line = System.getenv("CEFIOT_ARGS");
        return line == null || line.isBlank() ? new String[0] : line.trim().split("\\s+");
    }

    /** The command line, for running a subcommand inside another JVM (tests, embedding). */
    public static CommandLine commandLine() {
        return commandLine(new Cefiot());
    }

    /** {@code command}'s command line, reporting a bad setting as one line (exit code 2) and other failures with their trace (1). */
    public static CommandLine commandLine(Object command) {
        CommandLine commandLine = new CommandLine(command);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Throwable cause = rootConfigProblem(e);
            if (cause != null) {
                cmd.getErr().println("cefiot: " + cause.getMessage());
                return 2;
            }
            cmd.getErr().println("cefiot: " + e.getMessage());
            e.printStackTrace(cmd.getErr());
            return 1;
        });
        return commandLine;
    }

    private static Throwable rootConfigProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException) {
                return t;
            }
        }
        return null;
    }
}
