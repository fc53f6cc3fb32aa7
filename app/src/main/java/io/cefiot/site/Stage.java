package io.cefiot.site;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The stages of the chain, in order. Each has one route file, routes/STAGE.camel.yaml.
 * Camera and ingest need the camera's spool, so they stay at the edge; the archive is
 * the cloud's permanent store; the uplink sits on the cut. Only the processing stages
 * between them move. Compact is optional (compact.enabled).
 */
public enum Stage {
    CAMERA(Side.EDGE, null),
    INGEST(Side.EDGE, null),
    ENRICH(null, Setting.PLACEMENT_ENRICH),
    COMPACT(null, Setting.PLACEMENT_COMPACT),
    UPLINK(null, null),
    ARCHIVE(Side.CLOUD, null);

    private final Side fixedSide;
    private final Setting placementSetting;

    Stage(Side fixedSide, Setting placementSetting) {
        this.fixedSide = fixedSide;
        this.placementSetting = placementSetting;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The setting that places this stage, if it can move. */
    public Optional<Setting> placementSetting() {
        return Optional.ofNullable(placementSetting);
    }

    /** The side of a stage that cannot move (none for the uplink, which sits on the cut). */
    Side fixedSide() {
        return fixedSide;
    }

    /** The camera stage's route file when camera.source=synthetic. */
    public static final String SYNTHETIC_CAMERA_ROUTE_FILE = "camera-synthetic.camel.yaml";

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
