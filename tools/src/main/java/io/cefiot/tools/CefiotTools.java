package io.cefiot.tools;

import io.cefiot.launcher.Cefiot;

import picocli.CommandLine.Command;

/**
 * The commands that measure and attack the pipeline rather than run it: {@code ./cefiot bench} and
 * {@code ./cefiot chaos} start this jar. They build local sites whose processes run the shipped
 * jar (app/target/cefiot.jar), so what they measure is what ships.
 */
@Command(name = "cefiot", mixinStandardHelpOptions = true, version = "cefiot 0.1.0",
        description = "Benchmarks and the chaos run of CEFIoT.",
        subcommands = {BenchCommand.class, ChaosCommand.class})
public class CefiotTools {

    public static void main(String[] args) {
        Cefiot.useOurLogging();
        System.exit(Cefiot.commandLine(new CefiotTools()).execute(args));
    }
}
