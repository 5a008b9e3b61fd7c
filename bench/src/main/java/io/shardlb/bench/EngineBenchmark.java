package io.shardlb.bench;

import io.shardlb.agent.engine.EngineConfig;
import io.shardlb.agent.engine.PacketEngine;
import io.shardlb.agent.engine.Verdict;
import io.shardlb.agent.forwarder.Addresses;
import io.shardlb.agent.forwarder.Endpoint;
import io.shardlb.agent.forwarder.MacAddress;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Protocol;
import io.shardlb.agent.forwarder.Selection;
import io.shardlb.agent.forwarder.ServiceRule;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code bench/run engine}: the packet engine alone on one thread, onearm NAT, 100,000 TCP flows over 64
 * endpoints, 64-byte frames in random flow order copied into a UMEM-like buffer in batches of 64 through
 * {@code processBatch} (one clock read per batch, as the AF_XDP loop does). Reports frames/s and bytes allocated per frame
 * ({@code ThreadMXBean.getThreadAllocatedBytes}).
 */
final class EngineBenchmark implements Benchmark {
    private static final int FLOWS = Integer.getInteger("shardlb.bench.engine.flows", 100_000);
    private static final int FRAME = 64;
    private static final int BATCH = 64;
    private static final long[] OFFSETS = new long[BATCH];
    private static final int[] LENGTHS = new int[BATCH];
    private static final long[] VERDICTS = new long[BATCH];
    private static final long MEASURE_NANOS = Duration.ofSeconds(10).toNanos();

    @Override
    public String name() {
        return "engine";
    }

    @Override
    public String description() {
        return "packet engine alone, one core, onearm NAT, 100k flows: Mpps and bytes allocated per frame";
    }

    @Override
    public List<Result> run(Path work) {
        int agent = Addresses.toInt(Addresses.parse("198.18.0.2"));
        try (Arena arena = Arena.ofConfined();
             PacketEngine engine = new PacketEngine(EngineConfig.of(agent, 0x020000000002L).withFlowCapacity(1 << 17))) {
            List<Endpoint> eps = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                eps.add(new Endpoint(Addresses.parse("198.18.1." + (i + 1)), 8080, new MacAddress(0x020000000100L + i)));
            }
            var vip = Addresses.parse("198.18.0.100");
            engine.upsertRule(new ServiceRule("bench/80/tcp", vip, 80, Protocol.TCP, Mode.ONEARM, Selection.HASH,
                    Duration.ofMinutes(10), List.of(), eps));
            long start = System.nanoTime();
            engine.claimVip(vip, start + Duration.ofHours(1).toNanos());
            MemorySegment templates = arena.allocate(FRAME, 64);
            writeFrame(templates, 0, Addresses.toInt(vip), 0);
            int[] clients = new int[FLOWS];
            int[] ports = new int[FLOWS];
            for (int f = 0; f < FLOWS; f++) {
                clients[f] = clientOf(f);
                ports[f] = portOf(f);
            }
            int[] order = new int[1 << 20];
            SplittableRandom rnd = new SplittableRandom(42);
            for (int i = 0; i < order.length; i++) {
                order[i] = i < FLOWS ? i : rnd.nextInt(FLOWS);
            }
            // a UMEM mapped through FFM is a global-scope segment; so is this view (no per-access owner check)
            MemorySegment umem = MemorySegment.ofAddress(arena.allocate((long) BATCH * FRAME, 4096).address())
                    .reinterpret((long) BATCH * FRAME);
            long[] template = templates.toArray(ValueLayout.JAVA_LONG);
            long created = loop(engine, template, umem, order, clients, ports, FLOWS, Long.MAX_VALUE);
            if (engine.flowCount() != FLOWS || created != FLOWS) {
                throw new IllegalStateException("setup: flows=" + engine.flowCount() + " tx=" + created
                        + " drops=" + engine.drops());
            }
            // warm-up by frame count (bounded in time): on a loaded machine a fixed 5 s left the JIT unfinished
            loop(engine, template, umem, order, clients, ports, 20_000_000, Duration.ofSeconds(30).toNanos());
            var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().threadId();
            // what a pair of getThreadAllocatedBytes calls allocates by itself, subtracted below
            long c0 = mx.getThreadAllocatedBytes(tid);
            long probe = mx.getThreadAllocatedBytes(tid) - c0;
            long cpu0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            long alloc0 = mx.getThreadAllocatedBytes(tid);
            long frames = loop(engine, template, umem, order, clients, ports, Long.MAX_VALUE, MEASURE_NANOS);
            long alloc = Math.max(0, mx.getThreadAllocatedBytes(tid) - alloc0 - probe);
            long elapsed = System.nanoTime() - t0;
            long cpu = mx.getCurrentThreadCpuTime() - cpu0;
            // frames per second of the engine thread's own CPU time: "on one core" even when other work
            // shares the machine; the wall-clock rate is printed and noted too
            double mpps = frames / (cpu / 1e9) / 1e6;
            double wallMpps = frames / (elapsed / 1e9) / 1e6;
            double perFrame = (double) alloc / frames;
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            System.out.printf("engine: %d frames in %.2f s wall (%.2f Mpps), %.2f s CPU (%.2f Mpps per core), "
                    + "%d bytes allocated (%.4f per frame), flows %d, drops %s, load %.1f%n", frames, elapsed / 1e9,
                    wallMpps, cpu / 1e9, mpps, alloc, perFrame, engine.flowCount(), engine.drops(), load);
            String note = String.format(java.util.Locale.ROOT, "frames per CPU-second of the engine thread "
                    + "(wall %.2f Mpps, load avg %.1f on the machine); onearm TCP 64-byte frames, 100k flows over 64 "
                    + "endpoints, random flow order, full L4 checksum per frame; target >= 5 Mpps %s", wallMpps,
                    load, mpps >= 5 ? "met" : "MISSED");
            String allocNote = "ThreadMXBean allocated bytes over " + frames + " frames; target 0 "
                    + (alloc == 0 ? "met" : "MISSED");
            return List.of(new Result("engine_mpps", mpps, "Mpps", note),
                    new Result("engine_alloc_bytes_per_frame", perFrame, "B/frame", allocNote));
        }
    }

    /** Processes frames until {@code maxFrames} or {@code maxNanos}; returns frames transmitted. */
    private static long loop(PacketEngine engine, long[] template, MemorySegment umem, int[] order,
                             int[] clients, int[] ports, long maxFrames, long maxNanos) {
        long tx = 0;
        long done = 0;
        int cursor = 0;
        long begin = System.nanoTime();
        while (done < maxFrames) {
            long now = System.nanoTime();
            if (now - begin > maxNanos) {
                break;
            }
            int n = (int) Math.min(BATCH, maxFrames - done);
            for (int i = 0; i < n; i++) {
                int flow = order[cursor];
                cursor = (cursor + 1) & (order.length - 1);
                long at = (long) i * FRAME;
                // the "NIC" writes the frame: a cached base frame (eight words: a bulk copy call costs more than
                // the engine's own work on small frames) plus this flow's source address and port computed from
                // the flow number, so the benchmark measures the engine and not its own frame store
                for (int w = 0; w < FRAME / Long.BYTES; w++) {
                    umem.set(ValueLayout.JAVA_LONG_UNALIGNED, at + (long) w * Long.BYTES, template[w]);
                }
                umem.set(U32, at + 26, clientOf(flow));
                umem.set(U16, at + 34, (short) portOf(flow));
                OFFSETS[i] = at;
                LENGTHS[i] = FRAME;
            }
            engine.processBatch(umem, OFFSETS, LENGTHS, n, now, VERDICTS);
            for (int i = 0; i < n; i++) {
                if (Verdict.action(VERDICTS[i]) == Verdict.TX) {
                    tx++;
                }
            }
            done += n;
        }
        return tx;
    }

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static final int CLIENT_BASE = Addresses.toInt(Addresses.parse("198.18.2.0"));

    /** Distinct (client, port) per flow: 198.18.2.0/23 and ports 1024–65023. */
    private static int clientOf(int f) {
        return CLIENT_BASE + (f / 50_000) * 256 + (f % 200);
    }

    private static int portOf(int f) {
        return 1024 + (f % 50_000) / 200 * 256 + (f % 256);
    }

    /** A 64-byte TCP ACK from client 198.18.(2+f/50000).x:port to the VIP:80; L4 checksum left unset (the engine recomputes it in full). */
    private static void writeFrame(MemorySegment s, long o, int vip, int f) {
        int client = clientOf(f);
        int port = portOf(f);
        s.set(U16, o, (short) 0x0200);
        s.set(U32, o + 2, 0x00000002);
        s.set(U16, o + 6, (short) 0x0200);
        s.set(U32, o + 8, 0x0000000a);
        s.set(U16, o + 12, (short) 0x0800);
        s.set(U16, o + 14, (short) 0x4500);
        s.set(U16, o + 16, (short) 50);
        s.set(U32, o + 18, 0x00004000);
        s.set(U16, o + 22, (short) 0x4006);
        s.set(U32, o + 26, client);
        s.set(U32, o + 30, vip);
        s.set(U16, o + 34, (short) port);
        s.set(U16, o + 36, (short) 80);
        s.set(U32, o + 38, f);
        s.set(U32, o + 42, 7);
        s.set(U16, o + 46, (short) 0x5010);
        s.set(U16, o + 48, (short) 0x4000);
        for (int i = 54; i < FRAME; i++) {
            s.set(ValueLayout.JAVA_BYTE, o + i, (byte) i);
        }
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += s.get(U16, o + 14 + i) & 0xFFFF;
        }
        while (sum > 0xFFFF) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        s.set(U16, o + 24, (short) ~sum);
    }
}
