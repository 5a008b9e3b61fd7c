package io.shardlb.arbiter;

import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Heartbeat;

import java.util.List;
import java.util.Map;

/**
 * One state of the lease model: three agent nodes, the two heartbeats partitions, the arbiter, the planner and
 * the faults in force. Immutable, with value equality: the search hashes it. The real classes' states
 * ({@link LeaseState}, {@link ArbiterState}) are stored as they are.
 *
 * @param step       model time, in steps of {@link ModelConfig#STEP_MS}
 * @param nodes      the agent nodes
 * @param parts      the heartbeats partitions
 * @param arbiter    the arbiter's state
 * @param book       the facts written so far, as a newly active arbiter would read them
 * @param plan       the planner's state
 * @param faults     faults in force, sorted
 * @param faultsUsed faults injected so far
 */
record ModelWorld(int step, List<Node> nodes, List<Part> parts, ArbiterState arbiter, AgentBook book, Plan plan,
                  List<Fault> faults, int faultsUsed) {

    static final List<String> INSTANCES = List.of("default", "llb-inst1");
    static final int PARTITIONS = 2;
    /** The broker that leads heartbeats partition 1 also leads {@code plan}: cutting an agent from it cuts both. */
    static final int PLAN_BROKER = 1;

    enum Status { ABSENT, RUNNING, DEAD }

    /**
     * An agent node: its process (status, incarnation, lease) and its forwarder, which keeps answering until its
     * deadline on the node's clock whatever the process does (paused, killed).
     *
     * @param startMs     real time at which the node's clock read 0
     * @param fwdHolding  instances programmed in the forwarder
     * @param fwdDeadline the forwarder's deadline (node clock)
     * @param pendingAcks acknowledgements that reached the node and wait for the process
     * @param held        beats sent but delayed in the network
     */
    record Node(String name, Status status, long incarnation, boolean slow, long startMs, LeaseState lease,
                List<String> fwdHolding, long fwdDeadline, List<Ack> pendingAcks, List<Heartbeat> held) {

        AgentRef ref() {
            return new AgentRef(name, incarnation);
        }

        boolean answers(String instance, long clockNanos) {
            return status != Status.ABSENT && fwdHolding.contains(instance) && clockNanos - fwdDeadline < 0;
        }
    }

    /** An acknowledgement of beat {@code seq} of {@code incarnation}. */
    record Ack(long incarnation, long seq) {
    }

    /** A heartbeats partition: how many beats it holds, how many the arbiter has read, and the unread ones. */
    record Part(long end, long read, List<Heartbeat> unread) {
    }

    /** The planner stand-in's state: current term per instance, and the Up incarnations in order of arrival. */
    record Plan(Map<String, PlanTerm> terms, List<AgentRef> up) {
    }

    /** Kinds of faults that stay in force for a while. */
    enum Kind { CUT_BROKER0, CUT_BROKER1, HOLD_BEATS, HOLD_ACKS, PAUSE, LAG_PARTITION }

    /** A fault in force on {@code target} (a node, or a partition for LAG) until step {@code until} (excluded). */
    record Fault(Kind kind, int target, int until) {
    }

    boolean active(Kind kind, int target) {
        for (Fault f : faults) {
            if (f.kind() == kind && f.target() == target) {
                return true;
            }
        }
        return false;
    }
}
