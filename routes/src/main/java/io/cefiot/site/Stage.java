package io.cefiot.site;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The stages of the chain, in order. Each has one route file, routes/STAGE.camel.yaml.
 * Camera and ingest need the camera's spool, so they stay at the edge; the archive is
 * the cloud's permanent store; the uplink sits on the cut. Only the processing stages
 * between them move. Compact is optional (compact.enabled).
 */
public enum Stage {
    CAMERA(Side.EDGE, false),
    INGEST(Side.EDGE, false),
    ENRICH(Side.EDGE, true),
    COMPACT(Side.EDGE, true),
    UPLINK(null, false),
    ARCHIVE(Side.CLOUD, false);

    private final Side fixedSide;
    private final boolean movable;

    Stage(Side defaultSide, boolean movable) {
        this.fixedSide = defaultSide;
        this.movable = movable;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean movable() {
        return movable;
    }

    Side defaultSide() {
        return fixedSide;
    }

    public String routeFile() {
        return id() + ".camel.yaml";
    }

    public static Stage parse(String name) {
        for (Stage stage : values()) {
            if (stage.id().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return stage;
            }
        }
        throw new ConfigException("Unknown stage '" + name + "'. Stages are: "
                + Arrays.stream(values()).map(Stage::id).collect(Collectors.joining(", ")) + ".");
    }
}
