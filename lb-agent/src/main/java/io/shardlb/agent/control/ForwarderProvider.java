package io.shardlb.agent.control;

import io.shardlb.agent.forwarder.Forwarder;

/**
 * Makes a forwarder of one kind. Datapaths built elsewhere plug in through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.shardlb.agent.control.ForwarderProvider}), so the agent needs no compile-time
 * dependency on them.
 */
public interface ForwarderProvider {

    /** The kind this provider makes. */
    ForwarderKind kind();

    /** A started forwarder serving {@code iface}. */
    Forwarder open(String iface);
}
