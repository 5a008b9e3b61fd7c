package io.shardlb.planner.replay;

import io.shardlb.events.schema.Decision;

/** What {@link PlanVerifier#verify} found. */
public sealed interface VerifyResult {

    /** The line {@code replay --verify} prints. */
    String describe();

    /**
     * Every recorded decision is what the planner code decides.
     *
     * @param decisions  recorded decisions checked
     * @param facts      facts re-run up to the last recorded {@code basedOn}
     * @param unanswered facts after the last recorded {@code basedOn} (the planner had not answered them yet)
     */
    record Verified(long decisions, long facts, long unanswered) implements VerifyResult {
        @Override
        public String describe() {
            return "verified " + decisions + " decisions over " + facts + " facts"
                    + (unanswered == 0 ? "" : " (" + unanswered + " later facts not answered yet)");
        }
    }

    /**
     * The first place where the recorded plan and the code disagree.
     *
     * @param planOffset offset of the recorded decision ({@code -1} when a decision is missing at the end)
     * @param factOffset offset of the fact the expected decision answers ({@code -1} when none was expected)
     * @param expected   what the code decides (null: nothing more)
     * @param recorded   what the plan holds (null: nothing)
     * @param problem    what is wrong, in words
     */
    record Divergence(long planOffset, long factOffset, Decision expected, Decision recorded, String problem)
            implements VerifyResult {
        @Override
        public String describe() {
            return "divergence at plan offset " + planOffset + " (fact offset " + factOffset + "): " + problem
                    + "\n  expected: " + (expected == null ? "nothing" : expected.getClass().getSimpleName() + " "
                    + expected) + "\n  recorded: " + (recorded == null ? "nothing"
                    : recorded.getClass().getSimpleName() + " " + recorded);
        }
    }
}
