package io.cefiot.localsite;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Runs a system command (ip, tc, mount) and says whether it succeeded; its output is dropped. */
public final class Shell {

    private Shell() {
    }

    public static boolean run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
