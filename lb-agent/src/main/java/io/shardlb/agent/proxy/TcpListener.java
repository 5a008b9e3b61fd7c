package io.shardlb.agent.proxy;

import io.shardlb.agent.forwarder.DropKind;
import io.shardlb.agent.forwarder.Endpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * TCP for one rule: the listening socket on the VIP, and the sessions it accepted. Each accepted client gets a
 * backend connection to the endpoint the rule's chooser picks.
 */
final class TcpListener implements Ready {
    private final ProxyRule[] current;
    private final ServerSocketChannel server;
    private final Set<TcpSession> sessions = new HashSet<>();
    private final Consumer<DropKind> drops;
    private final ProxyConfig config;
    private final int[] openSessions;

    TcpListener(ProxyRule rule, Selector selector, Consumer<DropKind> drops, ProxyConfig config, int[] openSessions)
            throws IOException {
        this.current = new ProxyRule[] {rule};
        this.drops = drops;
        this.config = config;
        this.openSessions = openSessions;
        this.server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        try {
            server.bind(rule.listenAddress(), config.backlog());
        } catch (IOException e) {
            server.close();
            throw e;
        }
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT, this);
    }

    ProxyRule rule() {
        return current[0];
    }

    /** A new version of the rule: sessions whose endpoint is gone end, the others stay. */
    void update(ProxyRule rule) {
        current[0] = rule;
        for (TcpSession s : new ArrayList<>(sessions)) {
            if (!rule.rule.endpoints().contains(s.endpoint)) {
                s.close();
            }
        }
    }

    @Override
    public void onReady(SelectionKey key, long now) throws IOException {
        for (int i = 0; i < 256; i++) {
            SocketChannel c = server.accept();
            if (c == null) {
                return;
            }
            admit(c, key.selector());
        }
    }

    private void admit(SocketChannel c, Selector selector) throws IOException {
        ProxyRule rule = current[0];
        InetSocketAddress from = (InetSocketAddress) c.getRemoteAddress();
        DropKind refused = !rule.rule.allows(from.getAddress()) ? DropKind.SOURCE_NOT_ALLOWED
                : openSessions[0] >= config.maxConnections() ? DropKind.FLOW_TABLE_FULL : null;
        int ep = refused == null ? rule.choose(from) : -1;
        if (refused == null && ep < 0) {
            refused = DropKind.NO_ENDPOINT;
        }
        if (refused != null) {
            drops.accept(refused);
            c.close();
            return;
        }
        Endpoint e = rule.endpoint(ep);
        SocketChannel backend = SocketChannel.open();
        try {
            backend.configureBlocking(false);
            c.configureBlocking(false);
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            backend.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (rule.backendSource() != null) {
                backend.bind(rule.backendSource());
            }
            boolean done = backend.connect(new InetSocketAddress(e.ip(), e.port()));
            TcpSession s = new TcpSession(current, e, c, backend, config.bufferSize(), this::ended);
            sessions.add(s);
            openSessions[0]++;
            rule.flowStarted(ep);
            s.register(selector, done);
        } catch (IOException ex) {
            drops.accept(DropKind.CONNECT_FAILED);
            c.close();
            backend.close();
        }
    }

    private void ended(TcpSession s) {
        if (sessions.remove(s)) {
            openSessions[0]--;
            current[0].flowEnded(s.endpoint);
            if (s.neverConnected()) {
                drops.accept(DropKind.CONNECT_FAILED);
            }
        }
    }

    /** Stops listening and ends every session. */
    void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (TcpSession s : new ArrayList<>(sessions)) {
            s.close();
        }
    }
}
