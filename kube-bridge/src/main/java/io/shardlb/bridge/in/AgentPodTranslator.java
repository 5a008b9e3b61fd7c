package io.shardlb.bridge.in;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.shardlb.events.schema.Fact;

import java.util.Optional;

/**
 * Turns an agent pod into {@link Fact.AgentObserved}. The agent's name is the pod's name (the agent is started
 * with its pod name, the DaemonSet's downward API), so the planner can join pod facts with heartbeats.
 */
public final class AgentPodTranslator {
    private AgentPodTranslator() {
    }

    /** The fact for a live agent pod; a pod being deleted is reported {@code deleted}. */
    public static Optional<Fact.AgentObserved> translate(Pod pod) {
        if (pod == null || pod.getMetadata() == null || pod.getMetadata().getName() == null) {
            return Optional.empty();
        }
        boolean deleting = pod.getMetadata().getDeletionTimestamp() != null;
        String node = pod.getSpec() == null ? "" : pod.getSpec().getNodeName();
        String ip = pod.getStatus() == null ? "" : pod.getStatus().getPodIP();
        return Optional.of(new Fact.AgentObserved(pod.getMetadata().getName(), node, ip, !deleting && ready(pod),
                deleting));
    }

    /** The fact for a pod that is gone. */
    public static Fact.AgentObserved gone(String agent) {
        return new Fact.AgentObserved(agent, "", "", false, true);
    }

    private static boolean ready(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if (c != null && "Ready".equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return false;
    }
}
