package io.cefiot.testing;

import io.cefiot.launcher.Cefiot;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A ./cefiot command run in this JVM: its exit code and what it printed on standard output. */
public record CommandRun(int exit, String stdout) {

    public static CommandRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int exit = Cefiot.commandLine().execute(args);
            return new CommandRun(exit, out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }
}
