package io.shardlb.agent.proxy;

import io.shardlb.agent.forwarder.DropKind;
import io.shardlb.agent.forwarder.Forwarder;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Outcome;
import io.shardlb.agent.forwarder.RuleCounters;
import io.shardlb.agent.forwarder.ServiceRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;

/**
 * A TCP and UDP L4 proxy on NIO, for local runs and development on loopback VIPs (127.0.80.250 …), no
 * privileges. One loop thread; bounded buffers (see {@link ProxyConfig}); the same endpoint selection and
 * counters as the packet engine.
 *
 * <p>What it cannot honour, reported through {@link #support(Mode)} and the outcome of each upsert: a proxy
 * terminates the client's connection, so the backend never sees the client's address ({@code default} is
 * applied as a proxied connection from a loopback address: {@link Outcome.Degraded}) and the backend cannot
 * answer the client directly ({@code dsr} is {@link Outcome.Refused}). {@code onearm} (backend sees the agent's
 * address) and {@code fullnat} (backend sees the VIP: the backend socket is bound to it) hold as stated.
 *
 * <p>Claims: it listens for a VIP only until the deadline; its own loop wakes at the deadline and closes the
 * listener and the connections through it, with no release call. It cannot stop a frozen process's socket, so it
 * is never a production datapath: it refuses non-loopback VIPs.
 */
public final class ProxyForwarder implements Forwarder {
    static final String DEFAULT_MODE_LIMITATION = "a proxy terminates the client's connection: the backend sees "
            + "the proxy's loopback address, not the client's (default mode keeps the client address only in the "
            + "packet datapath)";
    static final String DSR_REFUSAL = "dsr needs the backend to answer the client directly; a proxy terminates "
            + "the connection, so it cannot do dsr";
    private static final long COMMAND_TIMEOUT_SECONDS = 30;

    private final ProxyLoop loop;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    private ProxyForwarder(ProxyConfig config, String name) throws IOException {
        this.loop = new ProxyLoop(config);
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts a proxy with its loop thread. */
    public static ProxyForwarder start(ProxyConfig config) {
        try {
            return new ProxyForwarder(config, "proxy-forwarder");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
    }

    private void run() {
        while (running) {
            try {
                long wait = loop.wakeIn(System.nanoTime());
                long ms = Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait + 999_999));
                loop.selector.select(ms);
                Runnable c;
                while ((c = commands.poll()) != null) {
                    c.run();
                }
                loop.onSelected(System.nanoTime());
            } catch (IOException | RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(ProxyForwarder.class).warn("proxy loop error", e);
            }
        }
        loop.closeAll();
    }

    private Outcome onLoop(LongFunction<Outcome> command) {
        if (!running) {
            return new Outcome.Refused("proxy forwarder is closed");
        }
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        commands.add(() -> {
            try {
                f.complete(command.apply(System.nanoTime()));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        loop.selector.wakeup();
        try {
            return f.get(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Refused("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("proxy loop did not apply the command", e);
        }
    }

    private static Outcome refuseNonLoopback(InetAddress vip) {
        return vip.isLoopbackAddress() ? null : new Outcome.Refused("the proxy forwarder is for loopback VIPs "
                + "only (it cannot enforce a lease on a frozen process): vip=" + vip.getHostAddress());
    }

    @Override
    public Outcome upsertRule(ServiceRule rule) {
        Outcome refused = refuseNonLoopback(rule.vip());
        if (refused != null) {
            return refused;
        }
        if (rule.mode() == Mode.DSR) {
            return new Outcome.Refused(DSR_REFUSAL);
        }
        return onLoop(now -> loop.upsert(rule, now));
    }

    /** All in one command on the loop (one thread crossing, not one per rule). */
    @Override
    public List<Outcome> upsertRules(List<ServiceRule> rules) {
        List<Outcome> out = new ArrayList<>(rules.size());
        List<ServiceRule> accepted = new ArrayList<>(rules.size());
        for (ServiceRule rule : rules) {
            Outcome refused = refuseNonLoopback(rule.vip());
            if (refused == null && rule.mode() == Mode.DSR) {
                refused = new Outcome.Refused(DSR_REFUSAL);
            }
            out.add(refused);
            if (refused == null) {
                accepted.add(rule);
            }
        }
        List<Outcome> applied = new ArrayList<>(accepted.size());
        onLoop(now -> {
            accepted.forEach(r -> applied.add(loop.upsert(r, now)));
            return Outcome.APPLIED;
        });
        int next = 0;
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i) == null) {
                out.set(i, next < applied.size() ? applied.get(next++) : new Outcome.Refused("proxy closed"));
            }
        }
        return out;
    }

    @Override
    public Outcome removeRule(String ruleId) {
        return onLoop(now -> loop.remove(ruleId, now));
    }

    @Override
    public Outcome claimVip(InetAddress vip, long deadlineNanos) {
        Outcome refused = refuseNonLoopback(vip);
        return refused != null ? refused : onLoop(now -> loop.claim(vip, deadlineNanos, now));
    }

    @Override
    public Outcome releaseVip(InetAddress vip) {
        return onLoop(now -> loop.release(vip, now));
    }

    @Override
    public Outcome support(Mode mode) {
        return switch (mode) {
            case DEFAULT -> new Outcome.Degraded(DEFAULT_MODE_LIMITATION);
            case ONEARM, FULLNAT -> Outcome.APPLIED;
            case DSR -> new Outcome.Refused(DSR_REFUSAL);
        };
    }

    @Override
    public Optional<RuleCounters> counters(String ruleId) {
        return Optional.ofNullable(loop.published.get(ruleId)).map(ProxyRule::counters);
    }

    @Override
    public Map<DropKind, Long> drops() {
        Map<DropKind, Long> m = new EnumMap<>(DropKind.class);
        for (DropKind k : DropKind.values()) {
            long v = loop.drops.get(k.ordinal());
            if (v != 0) {
                m.put(k, v);
            }
        }
        return m;
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        loop.selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(COMMAND_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
