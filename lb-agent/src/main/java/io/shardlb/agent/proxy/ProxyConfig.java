package io.shardlb.agent.proxy;

/**
 * Settings of a {@link ProxyForwarder}: the buffer per direction of a TCP connection (bounded memory:
 * 2 × bufferSize per connection), the accept backlog, and caps on open TCP connections and UDP clients.
 */
public record ProxyConfig(int bufferSize, int backlog, int maxConnections, int maxUdpSessions) {
    public ProxyConfig {
        if (bufferSize < 1024 || backlog < 1 || maxConnections < 1 || maxUdpSessions < 1) {
            throw new IllegalArgumentException("bad proxy config: bufferSize=" + bufferSize + " backlog=" + backlog
                    + " maxConnections=" + maxConnections + " maxUdpSessions=" + maxUdpSessions);
        }
    }

    /** 16 KiB buffers, backlog 4096, 50,000 connections, 65,536 UDP clients. */
    public static ProxyConfig defaults() {
        return new ProxyConfig(16 * 1024, 4096, 50_000, 65_536);
    }
}
