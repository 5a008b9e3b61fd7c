package io.shardlb.agent.xdp;

import io.shardlb.agent.engine.ArpDecisions;
import io.shardlb.agent.engine.EngineControl;
import io.shardlb.agent.engine.PacketEngine;
import io.shardlb.agent.engine.Verdict;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The datapath agent (Agrona style: {@link #doWork()} returns the work done, the runner idles when it is 0):
 * completion ring back to the free frames, RX batch through the {@link PacketEngine}, rewritten frames to the TX
 * ring, the rest straight back to the fill ring, queued commands between batches, gratuitous ARPs when due.
 * No allocation per frame: descriptors are copied into preallocated arrays.
 */
final class XdpLoop {
    static final int BATCH = 64;
    private static final int GARP_SLOTS = 64;

    private final XskSocket xsk;
    private final PacketEngine engine;
    private final EngineControl control;
    private final long agentMac;
    private final long[] free;
    private int freeCount;
    private final long[] offsets = new long[BATCH];
    private final int[] lengths = new int[BATCH];
    private final long[] verdicts = new long[BATCH];
    private final int[] garpVip = new int[GARP_SLOTS];
    private final long[] garpDue = new long[GARP_SLOTS];
    private final int[] garpLeft = new int[GARP_SLOTS];
    private final ConcurrentLinkedQueue<Runnable> loopCommands = new ConcurrentLinkedQueue<>();
    private final long frameMask;
    private final int sweepBudget;
    private long nextSweep;
    /** Frames handled, for the owner's counters (written by the loop thread only). */
    volatile long rxFrames;
    volatile long txFrames;

    XdpLoop(XskSocket xsk, PacketEngine engine, EngineControl control, long agentMac, int frames, int frameSize) {
        this.xsk = xsk;
        this.engine = engine;
        this.control = control;
        this.agentMac = agentMac;
        this.free = new long[frames];
        this.frameMask = ~((long) frameSize - 1);
        this.sweepBudget = Math.max(256, engine.config().flowCapacity() / 16);
        for (int i = frames - 1; i >= 0; i--) {
            free[freeCount++] = (long) i * frameSize;
        }
        refill();
    }

    /** Queues {@code command} to run on the loop thread (gratuitous ARP scheduling). */
    void onLoop(Runnable command) {
        loopCommands.add(command);
    }

    /** One round; returns how much was done (0: idle). */
    int doWork() {
        long now = System.nanoTime();
        int work = control.applyPending();
        Runnable c;
        while ((c = loopCommands.poll()) != null) {
            c.run();
            work++;
        }
        work += reclaimCompleted();
        work += receive(now);
        work += sendDueArps(now);
        refill();
        if (now - nextSweep >= 0) {
            // a clock hand over the whole table: 1/16 of it every 100 ms, so a dead flow goes within ~2 s
            engine.sweep(now, sweepBudget);
            nextSweep = now + 100_000_000L;
        }
        return work;
    }

    /** Nanoseconds until the loop has timed work (a due ARP), capped at {@code cap}. */
    long idleBudget(long now, long cap) {
        long wait = cap;
        for (int i = 0; i < GARP_SLOTS; i++) {
            if (garpLeft[i] > 0) {
                wait = Math.min(wait, Math.max(0, garpDue[i] - now));
            }
        }
        return wait;
    }

    private int reclaimCompleted() {
        int n = xsk.completion.peek(BATCH * 4);
        if (n == 0) {
            return 0;
        }
        int idx = xsk.completion.peekIndex();
        for (int i = 0; i < n; i++) {
            free[freeCount++] = frameOf(xsk.completion.addr(idx + i));
        }
        xsk.completion.release(n);
        return n;
    }

    private int receive(long now) {
        int n = xsk.rx.peek(BATCH);
        if (n == 0) {
            return 0;
        }
        int idx = xsk.rx.peekIndex();
        for (int i = 0; i < n; i++) {
            offsets[i] = xsk.rx.descAddr(idx + i);
            lengths[i] = xsk.rx.descLen(idx + i);
        }
        xsk.rx.release(n);
        engine.processBatch(xsk.umemArea, offsets, lengths, n, now, verdicts);
        int sent = 0;
        for (int i = 0; i < n; i++) {
            if (Verdict.action(verdicts[i]) == Verdict.TX && transmit(offsets[i], Verdict.length(verdicts[i]))) {
                sent++;
            } else {
                free[freeCount++] = frameOf(offsets[i]);
            }
        }
        flushTx(sent);
        rxFrames += n;
        return n;
    }

    /** The frame start of a descriptor address (the kernel puts RX data at frame + XDP_PACKET_HEADROOM). */
    private long frameOf(long addr) {
        return addr & frameMask;
    }

    private boolean transmit(long addr, int length) {
        long slot = xsk.tx.reserve(1);
        if (slot < 0) {
            return false;
        }
        xsk.tx.setDesc(slot, addr, length);
        return true;
    }

    private void flushTx(int sent) {
        if (sent == 0) {
            return;
        }
        xsk.tx.submit(sent);
        txFrames += sent;
        if (xsk.tx.needsWakeup()) {
            xsk.kickTx();
        }
    }

    private void refill() {
        int want = Math.min(freeCount, xsk.fill.free());
        if (want <= 0) {
            return;
        }
        long idx = xsk.fill.reserve(want);
        if (idx < 0) {
            return;
        }
        for (int i = 0; i < want; i++) {
            xsk.fill.setAddr(idx + i, free[--freeCount]);
        }
        xsk.fill.submit(want);
    }

    /** Schedules {@code count} gratuitous ARPs for {@code vip}, {@code intervalNanos} apart, starting now. */
    void scheduleGratuitous(int vip, int count) {
        for (int i = 0; i < GARP_SLOTS; i++) {
            if (garpLeft[i] == 0 || garpVip[i] == vip) {
                garpVip[i] = vip;
                garpLeft[i] = count;
                garpDue[i] = System.nanoTime();
                return;
            }
        }
    }

    /** Cancels the ARPs still due for {@code vip} (released). */
    void cancelGratuitous(int vip) {
        for (int i = 0; i < GARP_SLOTS; i++) {
            if (garpVip[i] == vip) {
                garpLeft[i] = 0;
            }
        }
    }

    private int sendDueArps(long now) {
        int sent = 0;
        for (int i = 0; i < GARP_SLOTS; i++) {
            if (garpLeft[i] > 0 && now - garpDue[i] >= 0 && freeCount > 0) {
                long addr = free[--freeCount];
                int len = ArpDecisions.writeGratuitous(xsk.umemArea, addr, agentMac, garpVip[i]);
                if (transmit(addr, len)) {
                    sent++;
                } else {
                    free[freeCount++] = addr;
                }
                garpLeft[i]--;
                garpDue[i] = now + XdpForwarder.GARP_INTERVAL_NANOS;
            }
        }
        flushTx(sent);
        return sent;
    }
}
