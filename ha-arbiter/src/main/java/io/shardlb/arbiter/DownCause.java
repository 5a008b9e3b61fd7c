package io.shardlb.arbiter;

import io.shardlb.events.schema.Fact;

import java.util.Locale;

/**
 * Why the arbiter declared an agent incarnation Down, as a small closed set for metrics (a failover counter by
 * cause). Every AgentDown is first of all silence (no beat for lease + margin); what else the arbiter knew then
 * (a newer incarnation of the same agent beating, the pod deleted or not ready) is written into the fact's
 * {@code reason} by {@link Arbiter}, and read back here, most specific first.
 */
public enum DownCause {
    /** A newer incarnation of the same agent was beating: the agent restarted. */
    SUPERSEDED,
    /** Kubernetes had deleted the agent's pod. */
    POD_DELETED,
    /** Kubernetes reported the agent's pod not ready. */
    POD_NOT_READY,
    /** Nothing but silence: the process, its node or its network stopped. */
    SILENT;

    /** The metric label: lower case, e.g. {@code pod_deleted}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The cause of {@code down}, from the reason {@link Arbiter} wrote. */
    public static DownCause of(Fact.AgentDown down) {
        String reason = down.reason();
        if (reason.contains("superseded by incarnation")) {
            return SUPERSEDED;
        }
        if (reason.contains("pod deleted")) {
            return POD_DELETED;
        }
        if (reason.contains("pod not ready")) {
            return POD_NOT_READY;
        }
        return SILENT;
    }
}
