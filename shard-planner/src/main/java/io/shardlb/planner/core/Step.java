package io.shardlb.planner.core;

import io.shardlb.events.schema.Decision;

import java.util.List;

/**
 * What one fact led to: the next image (fact and decisions folded in) and the decisions, in plan order; none
 * when the fact changes nothing anyone must be told.
 *
 * @param next      the image after the fact and the decisions
 * @param decisions the decisions to write, stamped {@code basedOn} = the fact's offset (or a later one)
 */
public record Step(PlannerImage next, List<Decision> decisions) {
    public Step {
        decisions = List.copyOf(decisions);
    }
}
