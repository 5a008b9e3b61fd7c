package io.shardlb.cli.local;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.shardlb.cli.GetCommand;
import io.shardlb.cli.Table;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the seed guide shows, read from the running system: each agent's {@code get ha} table, the Services with
 * their external IPs, and the curl commands that reach them.
 */
final class SeedReport {
    private SeedReport() {
    }

    /** Waits until every Service has its external IP and every agent masters exactly one instance of its own. */
    static void awaitServed(LocalSystem system, KubernetesClient client, List<Service> services) {
        Probe.await("the Services' external IPs", LocalSystem.START, () -> services.stream()
                .allMatch(s -> !vip(client.services().inNamespace(s.getMetadata().getNamespace())
                        .withName(s.getMetadata().getName()).get()).isEmpty()));
        Probe.await("one MASTER per instance on three different agents", LocalSystem.START, () -> {
            Set<String> instances = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                List<String> m = Probe.mastered(system.agentApi(i));
                if (m.size() != 1 || !instances.add(m.getFirst())) {
                    return false;
                }
            }
            return true;
        });
    }

    static void printHa(LocalSystem system, PrintStream out) {
        PrintWriter w = new PrintWriter(out, true);
        for (int i = 0; i < 3; i++) {
            String api = system.agentApi(i);
            out.println("$ bin/shardlb get ha --agent " + api + "    # " + LocalSystem.agentName(i));
            GetCommand.printHa(api, w);
        }
    }

    /** The Services table and the commands to try; {@code curl} is how to run curl where the VIPs are reached. */
    static void printServices(KubernetesClient client, List<Service> applied, String curl, PrintStream out) {
        out.println("$ kubectl get svc    # the embedded API's Services");
        Table t = new Table("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)");
        List<String> curls = new ArrayList<>();
        for (Service s : current(client, applied)) {
            String ports = s.getSpec().getPorts().stream().map(p -> p.getPort()
                    + (p.getNodePort() == null ? "" : ":" + p.getNodePort()) + "/" + p.getProtocol())
                    .collect(Collectors.joining(","));
            LoadBalancerIngress in = ingress(s);
            String external = in == null ? "<pending>" : in.getHostname() != null ? in.getHostname() : in.getIp();
            t.row(s.getMetadata().getName(), s.getSpec().getType(), s.getSpec().getClusterIP(), external, ports);
            String vip = vip(s);
            if (!vip.isEmpty()) {
                s.getSpec().getPorts().forEach(p -> curls.add(curl + " http://" + vip + ":" + p.getPort()));
            }
        }
        PrintWriter w = new PrintWriter(out, true);
        t.print(w);
        w.flush();
        out.println("Try, in another terminal:");
        curls.forEach(c -> out.println("  " + c));
        out.println("  bin/shardlb kill-agent agent-1      # then watch the decision lines below");
        out.println("  bin/shardlb restart-agent agent-1");
        out.println("  bin/shardlb apply -f examples/seed.yaml");
        out.println("  bin/shardlb replay --service default/tcp-lb2");
    }

    private static List<Service> current(KubernetesClient client, List<Service> applied) {
        List<Service> out = new ArrayList<>();
        for (Service s : applied) {
            Service now = client.services().inNamespace(s.getMetadata().getNamespace())
                    .withName(s.getMetadata().getName()).get();
            if (now != null) {
                out.add(now);
            }
        }
        return out;
    }

    private static LoadBalancerIngress ingress(Service s) {
        if (s == null || s.getStatus() == null || s.getStatus().getLoadBalancer() == null
                || s.getStatus().getLoadBalancer().getIngress() == null
                || s.getStatus().getLoadBalancer().getIngress().isEmpty()) {
            return null;
        }
        return s.getStatus().getLoadBalancer().getIngress().getFirst();
    }

    /** The VIP a Service was given ({@code llb-127.0.80.250} → {@code 127.0.80.250}), or "" before it has one. */
    static String vip(Service s) {
        LoadBalancerIngress in = ingress(s);
        if (in == null) {
            return "";
        }
        if (in.getIp() != null && !in.getIp().isEmpty()) {
            return in.getIp();
        }
        String h = in.getHostname() == null ? "" : in.getHostname();
        return h.contains("-") ? h.substring(h.indexOf('-') + 1) : h;
    }
}
