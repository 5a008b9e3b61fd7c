package io.shardlb.agent.proxy;

import io.shardlb.agent.forwarder.DropKind;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Outcome;
import io.shardlb.agent.forwarder.Protocol;
import io.shardlb.agent.forwarder.ServiceRule;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's state and its one loop: rules, claims, listeners. A listener exists exactly while its rule's VIP
 * is claimed and the deadline is ahead; the loop wakes itself at the nearest deadline and closes what expired,
 * with no release call needed. Only the loop thread touches this state (deltas arrive as commands).
 */
final class ProxyLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyLoop.class);
    private static final long UDP_EXPIRY_PERIOD = 1_000_000_000L;

    final Selector selector;
    private final ProxyConfig config;
    private final Map<String, ProxyRule> rules = new HashMap<>();
    private final Map<InetAddress, Long> deadlines = new HashMap<>();
    private final Map<String, Object> listeners = new HashMap<>();
    private final int[] openSessions = {0};
    final ConcurrentHashMap<String, ProxyRule> published = new ConcurrentHashMap<>();
    final AtomicLongArray drops = new AtomicLongArray(DropKind.values().length);
    private long lastUdpExpiry;
    private long nextDeadline;
    private boolean deadlinePending;

    ProxyLoop(ProxyConfig config) throws IOException {
        this.config = config;
        this.selector = Selector.open();
    }

    void drop(DropKind kind) {
        drops.incrementAndGet(kind.ordinal());
    }

    Outcome upsert(ServiceRule rule, long now) {
        ProxyRule next = new ProxyRule(rule, rules.get(rule.id()));
        rules.put(rule.id(), next);
        published.put(rule.id(), next);
        String problem = reconcileRule(rule.id(), now);
        if (problem != null) {
            return new Outcome.Degraded(problem);
        }
        return rule.mode() == Mode.DEFAULT ? new Outcome.Degraded(ProxyForwarder.DEFAULT_MODE_LIMITATION)
                : Outcome.APPLIED;
    }

    Outcome remove(String id, long now) {
        rules.remove(id);
        published.remove(id);
        reconcileRule(id, now);
        return Outcome.APPLIED;
    }

    Outcome claim(InetAddress vip, long deadline, long now) {
        deadlines.put(vip, deadline);
        String problem = reconcile(now);
        return problem == null ? Outcome.APPLIED : new Outcome.Degraded(problem);
    }

    Outcome release(InetAddress vip, long now) {
        deadlines.remove(vip);
        reconcile(now);
        return Outcome.APPLIED;
    }

    private boolean answering(InetAddress vip, long now) {
        Long d = deadlines.get(vip);
        return d != null && now - d < 0;
    }

    /**
     * {@link #reconcile} for the one rule a delta touched (claims and deadlines did not change), so programming n
     * rules costs O(n), not O(n²): a restarted agent programs 10,000 rules from its journal at once.
     */
    private String reconcileRule(String id, long now) {
        ProxyRule want = rules.get(id);
        Object listener = listeners.get(id);
        if (listener != null) {
            ProxyRule have = ruleOf(listener);
            if (want == null || !answering(want.vip(), now) || !sameSocket(want.rule, have.rule)) {
                closeListener(listener);
                listeners.remove(id);
            } else if (want != have) {
                update(listener, want);
            }
        }
        if (want == null || listeners.containsKey(id) || !answering(want.vip(), now)) {
            return null;
        }
        try {
            listeners.put(id, want.rule.protocol() == Protocol.TCP
                    ? new TcpListener(want, selector, this::drop, config, openSessions)
                    : new UdpRelay(want, selector, this::drop, config.maxUdpSessions()));
            return null;
        } catch (IOException ex) {
            String problem = "cannot listen on " + want.listenAddress() + "/" + want.rule.protocol() + ": " + ex;
            LOG.warn("rule {}: {}", id, problem);
            return problem;
        }
    }

    /** Opens and closes listeners to match rules and live claims; returns a problem to report, or null. */
    String reconcile(long now) {
        String problem = null;
        for (Iterator<Map.Entry<String, Object>> it = listeners.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Object> e = it.next();
            ProxyRule want = rules.get(e.getKey());
            ProxyRule have = ruleOf(e.getValue());
            if (want == null || !answering(want.vip(), now) || !sameSocket(want.rule, have.rule)) {
                closeListener(e.getValue());
                it.remove();
            } else if (want != have) {
                update(e.getValue(), want);
            }
        }
        for (ProxyRule r : rules.values()) {
            if (!listeners.containsKey(r.rule.id()) && answering(r.vip(), now)) {
                try {
                    listeners.put(r.rule.id(), r.rule.protocol() == Protocol.TCP
                            ? new TcpListener(r, selector, this::drop, config, openSessions)
                            : new UdpRelay(r, selector, this::drop, config.maxUdpSessions()));
                } catch (IOException ex) {
                    problem = "cannot listen on " + r.listenAddress() + "/" + r.rule.protocol() + ": " + ex;
                    LOG.warn("rule {}: {}", r.rule.id(), problem);
                }
            }
        }
        return problem;
    }

    private static boolean sameSocket(ServiceRule a, ServiceRule b) {
        return a.vip().equals(b.vip()) && a.port() == b.port() && a.protocol() == b.protocol()
                && a.mode() == b.mode();
    }

    private static ProxyRule ruleOf(Object listener) {
        return listener instanceof TcpListener t ? t.rule() : ((UdpRelay) listener).rule();
    }

    private static void update(Object listener, ProxyRule r) {
        if (listener instanceof TcpListener t) {
            t.update(r);
        } else {
            ((UdpRelay) listener).update(r);
        }
    }

    private static void closeListener(Object listener) {
        if (listener instanceof TcpListener t) {
            t.close();
        } else {
            ((UdpRelay) listener).close();
        }
    }

    /**
     * Nanoseconds until the loop must wake for a deadline or UDP expiry: 0 for a deadline that passed unprocessed.
     * Every claim's deadline counts until {@link #onSelected} has processed its passing, not only those ahead: a
     * deadline that passed between one cycle's clock reading and the next one's would otherwise never be
     * processed, and its listener would answer on until the next command (a cut-off agent sends none).
     */
    long wakeIn(long now) {
        long wait = lastUdpExpiry + UDP_EXPIRY_PERIOD - now;
        deadlinePending = false;
        for (long d : deadlines.values()) {
            if (!deadlinePending || d - nextDeadline < 0) {
                nextDeadline = d;
                deadlinePending = true;
            }
        }
        if (deadlinePending && nextDeadline - now < wait) {
            wait = nextDeadline - now;
        }
        return Math.max(wait, 0);
    }

    /** One cycle after select: deadlines (a passed one ends its claim), ready keys, UDP expiry. */
    void onSelected(long now) {
        if (deadlinePending && now - nextDeadline >= 0) {
            deadlinePending = false;
            deadlines.values().removeIf(d -> now - d >= 0);
            reconcile(now);
        }
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            if (!key.isValid()) {
                continue;
            }
            try {
                ((Ready) key.attachment()).onReady(key, now);
            } catch (IOException | java.nio.channels.CancelledKeyException e) {
                LOG.debug("proxy I/O error: {}", e.toString());
            }
        }
        if (now - lastUdpExpiry >= UDP_EXPIRY_PERIOD) {
            lastUdpExpiry = now;
            for (Object l : listeners.values()) {
                if (l instanceof UdpRelay u) {
                    u.expire(now);
                }
            }
        }
    }

    void closeAll() {
        listeners.values().forEach(ProxyLoop::closeListener);
        listeners.clear();
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
