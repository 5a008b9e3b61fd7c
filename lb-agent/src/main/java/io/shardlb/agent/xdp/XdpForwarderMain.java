package io.shardlb.agent.xdp;

import io.shardlb.agent.forwarder.Addresses;
import io.shardlb.agent.forwarder.Cidr;
import io.shardlb.agent.forwarder.Endpoint;
import io.shardlb.agent.forwarder.MacAddress;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Outcome;
import io.shardlb.agent.forwarder.Protocol;
import io.shardlb.agent.forwarder.Selection;
import io.shardlb.agent.forwarder.ServiceRule;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point that runs one {@link XdpForwarder} on an interface of the current network namespace and takes
 * line commands on stdin, answering one line each on stdout (for tests and benchmarks that run it under
 * {@code ip netns exec}): {@code rule ID VIP PORT tcp|udp MODE IP:PORT@MAC,...}, {@code claim VIP TTL_MS}
 * (answers the deadline), {@code claimat VIP DEADLINE_NANOS}, {@code release VIP},
 * {@code counters ID}, {@code drops}, {@code remove ID}, {@code stats}, {@code quit}.
 * Usage: {@code XdpForwarderMain IFNAME [busy|wakeup] [tcarp]} (tcarp: ARP answered at TC ingress).
 */
public final class XdpForwarderMain {
    private XdpForwarderMain() {
    }

    public static void main(String[] args) throws IOException {
        List<String> options = List.of(args).subList(1, args.length);
        XdpConfig config = XdpConfig.of(args[0]).withBusyPoll(options.contains("busy"))
                .withArpInTc(options.contains("tcarp"));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (XdpForwarder f = XdpForwarder.start(config)) {
            out.println("ready " + Addresses.format(config.agentIp()));
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("quit")) {
                try {
                    out.println(execute(f, line.trim().split("\\s+")));
                } catch (RuntimeException e) {
                    out.println("error " + e);
                }
            }
        }
    }

    private static String execute(XdpForwarder f, String[] w) {
        return switch (w[0]) {
            case "rule" -> describe(f.upsertRule(rule(w)));
            case "remove" -> describe(f.removeRule(w[1]));
            case "claim" -> {
                long deadline = System.nanoTime() + Duration.ofMillis(Long.parseLong(w[2])).toNanos();
                Outcome o = f.claimVip(Addresses.parse(w[1]), deadline);
                yield o.applied() ? "ok " + deadline : describe(o);
            }
            case "claimat" -> describe(f.claimVip(Addresses.parse(w[1]), Long.parseLong(w[2])));
            case "release" -> describe(f.releaseVip(Addresses.parse(w[1])));
            case "counters" -> f.counters(w[1]).map(c -> "ok " + c.packets() + " " + c.bytes() + " " + c.activeFlows())
                    .orElse("none");
            case "drops" -> "ok " + f.drops();
            case "stats" -> "ok " + f.kernelCounters() + " drops=" + f.drops();
            default -> "error unknown command " + w[0];
        };
    }

    private static ServiceRule rule(String[] w) {
        List<Endpoint> eps = new ArrayList<>();
        for (String e : w[6].split(",")) {
            String[] ipPortMac = e.split("[:@]", 3);
            eps.add(new Endpoint(Addresses.parse(ipPortMac[0]), Integer.parseInt(ipPortMac[1]),
                    ipPortMac.length > 2 ? MacAddress.parse(ipPortMac[2]) : MacAddress.NONE));
        }
        return new ServiceRule(w[1], Addresses.parse(w[2]), Integer.parseInt(w[3]), Protocol.parse(w[4]),
                Mode.parse(w[5]), Selection.parse(w.length > 7 ? w[7] : ""), Duration.ZERO, List.<Cidr>of(), eps);
    }

    private static String describe(Outcome o) {
        return switch (o) {
            case Outcome.Applied a -> "ok";
            case Outcome.Degraded d -> "ok degraded " + d.limitation();
            case Outcome.Refused r -> "refused " + r.reason();
        };
    }
}
