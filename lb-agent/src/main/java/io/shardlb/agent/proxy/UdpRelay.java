package io.shardlb.agent.proxy;

import io.shardlb.agent.forwarder.DropKind;
import io.shardlb.agent.forwarder.Endpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * UDP for one rule: a listening socket on the VIP and, per client address, a connected socket to the chosen
 * endpoint. Replies go back from the VIP socket. A client idle for the rule's inactivity timeout is forgotten.
 * At most {@code maxSessions} clients at once (more are dropped as FLOW_TABLE_FULL).
 */
final class UdpRelay implements Ready {
    private final ProxyRule[] ruleRef;
    private final DatagramChannel listener;
    private final Map<SocketAddress, Session> sessions = new HashMap<>();
    private final ByteBuffer buf = ByteBuffer.allocateDirect(65536);
    private final Consumer<DropKind> drops;
    private final int maxSessions;

    private final class Session implements Ready {
        final InetSocketAddress client;
        final DatagramChannel backend;
        final io.shardlb.agent.forwarder.Endpoint endpoint;
        long lastSeen;

        Session(InetSocketAddress client, DatagramChannel backend, io.shardlb.agent.forwarder.Endpoint endpoint) {
            this.client = client;
            this.backend = backend;
            this.endpoint = endpoint;
        }

        @Override
        public void onReady(SelectionKey key, long now) throws IOException {
            fromBackend(this, now);
        }
    }

    UdpRelay(ProxyRule rule, Selector selector, Consumer<DropKind> drops, int maxSessions) throws IOException {
        this.ruleRef = new ProxyRule[] {rule};
        this.drops = drops;
        this.maxSessions = maxSessions;
        this.listener = DatagramChannel.open();
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        listener.bind(rule.listenAddress());
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_READ, this);
    }

    ProxyRule rule() {
        return ruleRef[0];
    }

    void update(ProxyRule rule) {
        ruleRef[0] = rule;
        sessions.values().removeIf(s -> {
            if (rule.rule.endpoints().contains(s.endpoint)) {
                return false;
            }
            end(s);
            return true;
        });
    }

    /** Datagrams from clients. */
    @Override
    public void onReady(SelectionKey key, long now) throws IOException {
        fromClients(key.selector(), now);
    }

    private void fromClients(Selector selector, long now) throws IOException {
        ProxyRule rule = ruleRef[0];
        for (int i = 0; i < 64; i++) {
            buf.clear();
            InetSocketAddress from = (InetSocketAddress) listener.receive(buf);
            if (from == null) {
                return;
            }
            buf.flip();
            Session s = sessions.get(from);
            if (s == null) {
                s = open(rule, from, selector);
                if (s == null) {
                    continue;
                }
            }
            s.lastSeen = now;
            rule.counted(buf.remaining());
            try {
                s.backend.write(buf);
            } catch (IOException e) {
                drops.accept(DropKind.CONNECT_FAILED);
            }
        }
    }

    private Session open(ProxyRule rule, InetSocketAddress from, Selector selector) throws IOException {
        if (!rule.rule.allows(from.getAddress())) {
            drops.accept(DropKind.SOURCE_NOT_ALLOWED);
            return null;
        }
        if (sessions.size() >= maxSessions) {
            drops.accept(DropKind.FLOW_TABLE_FULL);
            return null;
        }
        int ep = rule.choose(from);
        if (ep < 0) {
            drops.accept(DropKind.NO_ENDPOINT);
            return null;
        }
        Endpoint e = rule.endpoint(ep);
        DatagramChannel ch = DatagramChannel.open();
        ch.bind(rule.backendSource());
        ch.connect(new InetSocketAddress(e.ip(), e.port()));
        ch.configureBlocking(false);
        Session s = new Session(from, ch, e);
        ch.register(selector, SelectionKey.OP_READ, s);
        sessions.put(from, s);
        rule.flowStarted(ep);
        return s;
    }

    private void fromBackend(Session s, long now) throws IOException {
        for (int i = 0; i < 64; i++) {
            buf.clear();
            int n;
            try {
                n = s.backend.read(buf);
            } catch (IOException e) {
                // ICMP port unreachable from the backend surfaces here: the datagram is lost, the session stays
                drops.accept(DropKind.CONNECT_FAILED);
                return;
            }
            if (n <= 0) {
                return;
            }
            buf.flip();
            s.lastSeen = now;
            ruleRef[0].counted(n);
            listener.send(buf, s.client);
        }
    }

    /** Forgets clients idle longer than the rule's timeout. */
    void expire(long now) {
        long idle = ruleRef[0].rule.inactivityTimeout().toNanos();
        for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
            Session s = it.next();
            if (now - s.lastSeen > idle) {
                end(s);
                it.remove();
            }
        }
    }

    private void end(Session s) {
        ruleRef[0].flowEnded(s.endpoint);
        try {
            s.backend.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** Closes the listener and every session. */
    void close() {
        sessions.values().forEach(this::end);
        sessions.clear();
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
