package io.shardlb.planner.mastership;

import io.shardlb.events.schema.Decision;

import java.util.List;

/**
 * The outcome of one fact: the decisions it called for and the image with the fact and those decisions applied.
 *
 * @param image     image after the fact and the decisions
 * @param decisions {@code InstanceMastered} / {@code InstanceHandover} records, in plan order (may be empty)
 */
public record MastershipStep(MastershipImage image, List<Decision> decisions) {
    public MastershipStep {
        decisions = List.copyOf(decisions);
    }
}
