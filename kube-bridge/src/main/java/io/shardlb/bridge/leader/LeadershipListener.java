package io.shardlb.bridge.leader;

/**
 * What the controller process does when it gains or loses the Lease. Called on the elector's thread; keep them
 * short (start or stop work elsewhere).
 */
public interface LeadershipListener {

    /** This process now leads: it may write facts, decide and patch Services. */
    void onStartLeading();

    /** This process no longer leads (lease lost or released): stop writing at once. */
    void onStopLeading();

    /** Someone (maybe this process) was observed leading. */
    default void onNewLeader(String identity) {
    }
}
