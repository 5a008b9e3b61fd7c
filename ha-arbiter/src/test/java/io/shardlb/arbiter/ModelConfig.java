package io.shardlb.arbiter;

/**
 * One run of the lease model check: the real classes' settings and rules, the environment's powers and the
 * search bounds.
 *
 * @param agentSettings  the agents' lease settings (beat interval, lease)
 * @param arbiterSettings the arbiter's settings (lease and margin)
 * @param driftMs        how far an agent's monotonic clock may fall behind the arbiter's over one lease
 * @param lapseRule      the agents' lapse rule
 * @param endOffsetRule  the arbiter's end-offset rule
 * @param faultBudget    faults the environment may inject in one run
 * @param faultWindow    last step at which a fault may be injected
 * @param horizon        last step explored
 * @param slowClocks     whether every agent's clock runs slow by the full drift (else all run true)
 */
record ModelConfig(LeaseSettings agentSettings, LeaseSettings arbiterSettings, long driftMs, LapseRule lapseRule,
                   EndOffsetRule endOffsetRule, int faultBudget, int faultWindow, int horizon, boolean slowClocks) {

    /** One model step of real time. */
    static final long STEP_MS = 50;

    /** The production rules with drift up to the margin. */
    static ModelConfig sound(int budget, int window, int horizon) {
        return new ModelConfig(LeaseSettings.DEFAULTS, LeaseSettings.DEFAULTS, LeaseSettings.DEFAULTS.marginMs(),
                LapseRule.FINAL, EndOffsetRule.READ_TO_END, budget, window, horizon, true);
    }

    ModelConfig withArbiterMargin(long marginMs) {
        LeaseSettings s = new LeaseSettings(arbiterSettings.beatIntervalMs(), arbiterSettings.leaseMs(), marginMs);
        return new ModelConfig(agentSettings, s, driftMs, lapseRule, endOffsetRule, faultBudget, faultWindow, horizon,
                slowClocks);
    }

    ModelConfig withLapseRule(LapseRule rule) {
        return new ModelConfig(agentSettings, arbiterSettings, driftMs, rule, endOffsetRule, faultBudget, faultWindow,
                horizon, slowClocks);
    }

    ModelConfig withEndOffsetRule(EndOffsetRule rule) {
        return new ModelConfig(agentSettings, arbiterSettings, driftMs, lapseRule, rule, faultBudget, faultWindow,
                horizon, slowClocks);
    }

    ModelConfig withBounds(int budget, int window, int horizonSteps, boolean slow) {
        return new ModelConfig(agentSettings, arbiterSettings, driftMs, lapseRule, endOffsetRule, budget, window,
                horizonSteps, slow);
    }

    /** An agent clock's reading {@code realMs} after its start: slow clocks lose {@code driftMs} per lease. */
    long agentNanos(boolean slow, long realMs) {
        long lease = agentSettings.leaseMs();
        return slow ? realMs * 1_000_000L * lease / (lease + driftMs) : realMs * 1_000_000L;
    }
}
