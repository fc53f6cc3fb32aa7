package io.cefiot.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine beyond the JDK and Maven: a Debian package's tool, or
 * root. Missing, the test is skipped with a message naming what is missing and how to get it,
 * which test-kit/report-skipped.sh lists at the end of the run. With {@code CEFIOT_TESTS_STRICT=1} (as {@code .ci/run} sets it)
 * the same check fails the test instead: in CI nothing may be skipped, so a missing install
 * step can never go green.
 */
public final class Requires {

    /** The environment variable that turns every skip into a failure. */
    public static final String STRICT = "CEFIOT_TESTS_STRICT";

    private Requires() {
    }

    /** The tool {@code command} on the PATH, from Debian's package {@code debianPackage}; returns its path. */
    public static Path debianTool(String command, String debianPackage, String what) {
        return tool(command, what, "apt-get install " + debianPackage + "; `mvn -B verify` run as root installs it");
    }

    /** The tool {@code command} on the PATH, for {@code what}; {@code install} says how to get it. */
    public static Path tool(String command, String what, String install) {
        Optional<Path> found = onPath(command);
        require(found.isPresent(), what + " needs " + command + " (" + install + ")");
        return found.orElseThrow();
    }

    /** Root (real network namespaces, tmpfs mounts, a Docker engine, test hosts). */
    public static void root(String what) {
        require(isRoot(), what + " needs root");
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    public static Optional<Path> onPath(String command) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, command))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static void require(boolean present, String message) {
        if (present) {
            return;
        }
        if (!System.getenv().getOrDefault(STRICT, "").isEmpty()) {
            throw new AssertionError(message + ". " + STRICT + " is set: nothing may be skipped here.");
        }
        Assumptions.assumeTrue(false, "Skipped: " + message + ".");
    }
}
