package io.shardlb.agent.xdp;

import io.shardlb.agent.engine.EngineControl;
import io.shardlb.agent.engine.PacketEngine;
import io.shardlb.agent.forwarder.Addresses;
import io.shardlb.agent.forwarder.DropKind;
import io.shardlb.agent.forwarder.Forwarder;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Outcome;
import io.shardlb.agent.forwarder.RuleCounters;
import io.shardlb.agent.forwarder.ServiceRule;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production datapath: our XDP program on the interface (native mode, netlink attach) and one AF_XDP socket
 * (copy mode, need-wakeup) whose frames the {@link PacketEngine} rewrites on a loop thread.
 *
 * <p>The lease deadline lives in the kernel: a claim writes the deadline ({@link System#nanoTime()} clock, which
 * is CLOCK_MONOTONIC, that of {@code bpf_ktime_get_ns()}) into the program's {@code vips} map; the program answers
 * ARP and redirects traffic for the VIP only before it, so a frozen or killed JVM stops answering by the deadline.
 * A new claim is announced with 3 gratuitous ARPs over 1 s; a release deletes the map entry before anything else.
 *
 * <p>{@code default} mode (destination NAT only) needs the backends to route their clients through the agent:
 * their replies, addressed to the client, are recognised by their source ({@link DefaultModeReturns} keeps the
 * program's {@code backends} map) and reverse-translated here. IPv6 VIPs are refused (no NDP answer in the
 * program yet). Agents must not run in a time namespace (it shifts user clocks, not the BPF clock).
 */
public final class XdpForwarder implements Forwarder {
    static final long GARP_INTERVAL_NANOS = 500_000_000L;
    static final int GARP_COUNT = 3;
    /** Where the build puts the compiled program on the classpath. */
    static final String OBJECT = "/bpf/shardlb_xdp.o";
    private static final Logger LOG = LoggerFactory.getLogger(XdpForwarder.class);

    private final XdpConfig config;
    private final BpfProgram program;
    private final BpfMaps maps;
    private final DefaultModeReturns returns;
    private final XskSocket xsk;
    private final PacketEngine engine;
    private final Poller poller;
    private final EngineControl control;
    private final XdpLoop loop;
    private final Thread thread;
    private final Map<Integer, Long> claims = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    private XdpForwarder(XdpConfig config) {
        this.config = config;
        this.program = BpfProgram.load(OBJECT, "shardlb_xdp");
        this.maps = new BpfMaps(program);
        this.returns = new DefaultModeReturns(maps);
        maps.putConfig(config.agentIp(), config.engine().natPorts().first(), config.engine().natPorts().last(),
                config.arpInTc() ? BpfMaps.CFG_ARP_IN_TC : 0);
        program.attach(config.ifindex());
        if (config.arpInTc()) {
            program.attachTcIngress(config.ifindex(), "shardlb_tc_arp");
        }
        this.xsk = new XskSocket(config.ifname(), config.frames(), config.frameSize(), config.ringSize());
        maps.putSocket(0, xsk.fd);
        this.engine = new PacketEngine(config.engine());
        this.poller = new Poller(xsk.fd);
        this.control = new EngineControl(engine, poller::wake);
        this.loop = new XdpLoop(xsk, engine, control, config.agentMac(), config.frames(), config.frameSize());
        this.thread = new Thread(this::run, "xdp-" + config.ifname());
        thread.setDaemon(true);
        thread.start();
    }

    /** Loads and attaches the program, binds the socket and starts the loop thread. Needs root-like capabilities. */
    public static XdpForwarder start(XdpConfig config) {
        return new XdpForwarder(config);
    }

    private void run() {
        while (running) {
            try {
                if (loop.doWork() == 0) {
                    idle();
                }
            } catch (RuntimeException e) {
                LOG.warn("xdp loop error", e);
            }
        }
    }

    private void idle() {
        if (config.busyPoll()) {
            Thread.onSpinWait();
            return;
        }
        long wait = loop.idleBudget(System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(100));
        poller.await((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait + 999_999)));
    }

    @Override
    public Outcome upsertRule(ServiceRule rule) {
        if (rule.mode() == Mode.DEFAULT
                && rule.endpoints().stream().anyMatch(e -> !(e.ip() instanceof Inet4Address))) {
            return new Outcome.Refused("IPv6 endpoints: the XDP program has no IPv6 path yet");
        }
        ServiceRule resolved = Neighbours.resolve(rule);
        Outcome o = control.upsertRule(resolved);
        if (o.applied()) {
            returns.upsert(resolved);
        }
        return o;
    }

    @Override
    public Outcome removeRule(String ruleId) {
        Outcome o = control.removeRule(ruleId);
        returns.remove(ruleId);
        return o;
    }

    @Override
    public Outcome claimVip(InetAddress vip, long deadlineNanos) {
        if (!(vip instanceof Inet4Address)) {
            return new Outcome.Refused("IPv6 VIPs: the XDP program has no NDP answer yet");
        }
        Outcome o = control.claimVip(vip, deadlineNanos);
        if (!o.applied()) {
            return o;
        }
        int v = Addresses.toInt(vip);
        maps.putVip(v, deadlineNanos, config.agentMac());
        Long previous = claims.put(v, deadlineNanos);
        if (previous == null || System.nanoTime() - previous >= 0) {
            loop.onLoop(() -> loop.scheduleGratuitous(v, GARP_COUNT));
            poller.wake();
        }
        return o;
    }

    @Override
    public Outcome releaseVip(InetAddress vip) {
        if (!(vip instanceof Inet4Address)) {
            return Outcome.APPLIED;
        }
        int v = Addresses.toInt(vip);
        maps.deleteVip(v);
        claims.remove(v);
        loop.onLoop(() -> loop.cancelGratuitous(v));
        return control.releaseVip(vip);
    }

    @Override
    public Outcome support(Mode mode) {
        return Outcome.APPLIED;
    }

    @Override
    public Optional<RuleCounters> counters(String ruleId) {
        return control.counters(ruleId);
    }

    @Override
    public Map<DropKind, Long> drops() {
        return control.drops();
    }

    /** The XDP program's own counters (ARP answered/expired, redirects), summed over CPUs. */
    public Map<String, Long> kernelCounters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("arp_replied", maps.stat(BpfMaps.ST_ARP_REPLIED));
        m.put("arp_expired", maps.stat(BpfMaps.ST_ARP_EXPIRED));
        m.put("vip_redirect", maps.stat(BpfMaps.ST_VIP_REDIRECT));
        m.put("vip_expired", maps.stat(BpfMaps.ST_VIP_EXPIRED));
        m.put("nat_redirect", maps.stat(BpfMaps.ST_NAT_REDIRECT));
        m.put("redirect_fallback", maps.stat(BpfMaps.ST_REDIRECT_FALLBACK));
        m.put("reply_redirect", maps.stat(BpfMaps.ST_REPLY_REDIRECT));
        m.put("rx_frames", loop.rxFrames);
        m.put("tx_frames", loop.txFrames);
        // bytes ever allocated by the loop thread: the steady-state per-frame allocation check reads its slope
        m.put("loop_alloc_bytes", ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                .getThreadMXBean()).getThreadAllocatedBytes(thread.threadId()));
        return m;
    }

    @Override
    public void close() {
        for (Integer v : claims.keySet()) {
            maps.deleteVip(v);
        }
        running = false;
        poller.wake();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        xsk.close();
        program.close();
        engine.close();
        poller.close();
    }
}
