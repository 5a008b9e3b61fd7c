package io.shardlb.e2e.system;

import java.util.List;

/**
 * The Kafka the system's log lives on: one broker or a KRaft cluster, embedded (child JVMs) or in a container.
 * Scenarios kill and restart nodes by id; the address clients bootstrap from stays the same across restarts.
 */
public interface Brokers extends AutoCloseable {

    /** The bootstrap address of every node, comma-separated. */
    String bootstrap();

    /** What runs, for logs and reports (e.g. "embedded cluster of 3 child JVMs"). */
    String describe();

    /** The node ids, in order (1 for a single broker). */
    List<Integer> nodes();

    /** kill -9 of node {@code node} (what the log sees of a crashed broker); returns once it is gone. */
    void kill(int node);

    /**
     * Starts node {@code node} again on its data and address; returns once it serves clients.
     *
     * @throws IllegalStateException if it came back on another address
     */
    void restart(int node);

    /** Stops every node. */
    @Override
    void close();
}
