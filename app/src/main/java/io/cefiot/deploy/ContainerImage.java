package io.cefiot.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The project's container image reference, read from container/image.env (the jar carries a
 * copy): the one name and tag that container/build-image.sh writes and everything on k3s runs.
 */
public final class ContainerImage {

    private static final String FILE = "image.env";
    private static final String KEY = "CEFIOT_IMAGE";

    private ContainerImage() {
    }

    /** The image reference, such as {@code cefiot:0.1.0}. */
    public static String reference() {
        try (InputStream in = ContainerImage.class.getResourceAsStream(FILE)) {
            if (in == null) {
                throw new IllegalStateException("the jar carries no io/cefiot/deploy/" + FILE + " (copied from container/" + FILE + " by the build)");
            }
            Properties env = new Properties();
            env.load(in);
            String image = env.getProperty(KEY, "").trim();
            if (image.isEmpty() || !image.contains(":")) {
                throw new IllegalStateException("container/" + FILE + " must set " + KEY + "=NAME:TAG, not '" + image + "'");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The name part of {@link #reference()}, as kustomize's {@code images:} matches it. */
    public static String name() {
        String image = reference();
        return image.substring(0, image.lastIndexOf(':'));
    }

    /** The tag part of {@link #reference()}. */
    public static String tag() {
        String image = reference();
        return image.substring(image.lastIndexOf(':') + 1);
    }
}
