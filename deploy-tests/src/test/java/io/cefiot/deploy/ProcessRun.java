package io.cefiot.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A command run to its end as a child process: what it printed (stdout and stderr) and its exit status. */
record ProcessRun(int status, String output) {

    static ProcessRun of(List<String> command, Duration timeout) throws IOException {
        return of(new ProcessBuilder(command).redirectErrorStream(true), timeout);
    }

    static ProcessRun of(ProcessBuilder builder, Duration timeout) throws IOException {
        List<String> command = builder.command();
        Process process = builder.start();
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + timeout);
            }
            return new ProcessRun(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    ProcessRun orFail(String what) {
        if (status != 0) {
            throw new IllegalStateException(what + " failed (" + status + "):\n" + output);
        }
        return this;
    }
}
