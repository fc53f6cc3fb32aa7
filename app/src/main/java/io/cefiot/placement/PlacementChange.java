package io.cefiot.placement;

import io.cefiot.site.SitePlan;
import io.cefiot.site.SitePlan.StagePlan;
import io.cefiot.site.SitePlan.Topic;
import io.cefiot.site.Stage;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What changes on a running site when its plan changes from {@code before} to {@code after}:
 * the stages that must stop (their input, output or side differs), in the order images flow
 * through them, and the stages that must start with the new plan. Stages whose plan is the
 * same keep running untouched.
 *
 * <p>Moving enrich from the edge to the cloud, for example, stops enrich (which read
 * edge:ingested) and the uplink (which read edge:enriched), then starts the uplink on
 * edge:ingested and enrich on cloud:ingested.
 */
public record PlacementChange(SitePlan before, SitePlan after) {

    public boolean isEmpty() {
        return stopping().isEmpty() && starting().isEmpty();
    }

    /** Stages of the old plan that do not run the same way in the new one, in flow order. */
    public List<Stage> stopping() {
        return before.readersInFlowOrder().stream().filter(this::changed).toList();
    }

    /** Stages of the new plan that do not run the same way in the old one, in flow order. */
    public List<Stage> starting() {
        return after.readersInFlowOrder().stream().filter(this::changed).toList();
    }

    /**
     * The stopping stage just before this one in flow order, if it feeds this one's input.
     * While it ran, this stage's input kept growing; this stage may stop only once it has
     * read everything that stage wrote.
     */
    public Optional<Stage> stoppingFeeder(Stage stage) {
        List<Stage> stopping = stopping();
        int index = stopping.indexOf(stage);
        if (index <= 0) {
            return Optional.empty();
        }
        Stage previous = stopping.get(index - 1);
        return before.stage(previous).output().equals(before.stage(stage).input()) ? Optional.of(previous) : Optional.empty();
    }

    /** Whether a stopping stage's output is read by the next stopping stage (which then waits for it). */
    public boolean feedsStoppingStage(Stage stage) {
        return stopping().stream().anyMatch(next -> stoppingFeeder(next).equals(Optional.of(stage)));
    }

    /** The stopping stages that read this topic under the old plan; a new reader takes over their offsets. */
    public List<Stage> previousReaders(Topic topic) {
        return stopping().stream().filter(s -> before.stage(s).input().equals(Optional.of(topic))).toList();
    }

    private boolean changed(Stage stage) {
        return !Objects.equals(plan(before, stage), plan(after, stage));
    }

    private static Optional<StagePlan> plan(SitePlan plan, Stage stage) {
        return plan.stages().contains(stage) ? Optional.of(plan.stage(stage)) : Optional.empty();
    }
}
