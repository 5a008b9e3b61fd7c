package io.shardlb.agent.engine;

import io.shardlb.agent.forwarder.DropKind;
import io.shardlb.agent.forwarder.Forwarder;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Outcome;
import io.shardlb.agent.forwarder.RuleCounters;
import io.shardlb.agent.forwarder.ServiceRule;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The {@link Forwarder} face of a {@link PacketEngine} driven by a datapath loop on another thread (the AF_XDP
 * forwarder): each call is queued, the loop applies the queue between batches with {@link #applyPending()}, and
 * the call returns once applied. {@code wakeup} is run after queueing so a loop asleep in poll(2) comes round.
 * Counter reads go through the queue too, so the engine stays single-threaded and allocation-free per frame.
 * {@link #close()} does not close the engine: its owner does.
 */
public final class EngineControl implements Forwarder {
    private static final long TIMEOUT_SECONDS = 30;
    private final PacketEngine engine;
    private final Runnable wakeup;
    private final ConcurrentLinkedQueue<Runnable> pending = new ConcurrentLinkedQueue<>();

    public EngineControl(PacketEngine engine, Runnable wakeup) {
        this.engine = engine;
        this.wakeup = wakeup;
    }

    /** Runs the queued commands; call it from the engine's thread. Returns how many ran. */
    public int applyPending() {
        int n = 0;
        Runnable r;
        while ((r = pending.poll()) != null) {
            r.run();
            n++;
        }
        return n;
    }

    private <T> T onEngine(Function<PacketEngine, T> command) {
        CompletableFuture<T> f = new CompletableFuture<>();
        pending.add(() -> {
            try {
                f.complete(command.apply(engine));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        wakeup.run();
        try {
            return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the datapath loop", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the datapath loop did not apply the command", e);
        }
    }

    @Override
    public Outcome upsertRule(ServiceRule rule) {
        return onEngine(e -> e.upsertRule(rule));
    }

    @Override
    public Outcome removeRule(String ruleId) {
        return onEngine(e -> e.removeRule(ruleId));
    }

    @Override
    public Outcome claimVip(InetAddress vip, long deadlineNanos) {
        return onEngine(e -> e.claimVip(vip, deadlineNanos));
    }

    @Override
    public Outcome releaseVip(InetAddress vip) {
        return onEngine(e -> e.releaseVip(vip));
    }

    /** The engine rewrites packets for every mode (IPv4 so far: IPv6 rules are refused by upsert). */
    @Override
    public Outcome support(Mode mode) {
        return Outcome.APPLIED;
    }

    @Override
    public Optional<RuleCounters> counters(String ruleId) {
        return onEngine(e -> e.counters(ruleId));
    }

    @Override
    public Map<DropKind, Long> drops() {
        return onEngine(PacketEngine::drops);
    }

    @Override
    public void close() {
        // the engine belongs to the datapath that created it
    }
}
