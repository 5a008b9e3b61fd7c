package io.shardlb.cli.local;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.shardlb.cli.UserError;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code kubectl apply -f} / {@code delete -f} against the embedded API, with what its API server would add on
 * create: a ClusterIP (from 10.96.0.0/16) and, for NodePort and LoadBalancer Services, a nodePort per port
 * (30000–32767), each the lowest one free. An update keeps what the server allocated and owns (ClusterIP,
 * nodePorts, finalizers, status), since the mock replaces whole objects.
 */
final class Manifests {
    private static final int NODE_PORT_MIN = 30000;
    private static final int NODE_PORT_MAX = 32767;

    private Manifests() {
    }

    /** The objects in a YAML file (several documents allowed); namespace {@code default} where none is given. */
    static List<HasMetadata> load(KubernetesClient client, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<HasMetadata> items = client.load(in).items();
            for (HasMetadata m : items) {
                if (m.getMetadata().getNamespace() == null) {
                    m.getMetadata().setNamespace("default");
                }
            }
            return items;
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        } catch (KubernetesClientException | IllegalArgumentException e) {
            throw new UserError(file + " is not a Kubernetes manifest: " + e.getMessage());
        }
    }

    /** Creates or updates each object; returns one kubectl-style line per object. */
    static List<String> apply(KubernetesClient client, List<HasMetadata> items) {
        List<String> lines = new ArrayList<>();
        for (HasMetadata m : items) {
            HasMetadata current = client.resource(m).get();
            if (m instanceof Service s) {
                defaults(s);
                if (current instanceof Service c) {
                    keepServerOwned(s, c);
                } else {
                    allocate(client, s);
                }
            }
            if (current == null) {
                client.resource(m).create();
                lines.add(name(m) + " created");
            } else {
                m.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
                m.getMetadata().setFinalizers(current.getMetadata().getFinalizers());
                client.resource(m).update();
                lines.add(name(m) + " configured");
            }
        }
        return lines;
    }

    /** Deletes each object; returns one kubectl-style line per object. */
    static List<String> delete(KubernetesClient client, List<HasMetadata> items) {
        List<String> lines = new ArrayList<>();
        for (HasMetadata m : items) {
            boolean gone = !client.resource(m).delete().isEmpty();
            lines.add(name(m) + (gone ? " deleted" : " not found"));
        }
        return lines;
    }

    /** A ClusterIP and nodePorts, as the API server allocates them on create. */
    static void allocate(KubernetesClient client, Service s) {
        Set<String> ips = new HashSet<>();
        Set<Integer> nodePorts = new HashSet<>();
        for (Service other : client.services().inAnyNamespace().list().getItems()) {
            if (other.getSpec().getClusterIP() != null) {
                ips.add(other.getSpec().getClusterIP());
            }
            other.getSpec().getPorts().stream().map(ServicePort::getNodePort).filter(p -> p != null && p > 0)
                    .forEach(nodePorts::add);
        }
        if (s.getSpec().getClusterIP() == null || s.getSpec().getClusterIP().isEmpty()) {
            String ip = freeClusterIp(ips);
            s.getSpec().setClusterIP(ip);
            s.getSpec().setClusterIPs(List.of(ip));
        }
        String type = s.getSpec().getType();
        if ("LoadBalancer".equals(type) || "NodePort".equals(type)) {
            int next = NODE_PORT_MIN;
            for (ServicePort p : s.getSpec().getPorts()) {
                if (p.getNodePort() == null || p.getNodePort() == 0) {
                    while (nodePorts.contains(next)) {
                        next++;
                    }
                    if (next > NODE_PORT_MAX) {
                        throw new UserError("no nodePort left for " + name(s));
                    }
                    p.setNodePort(next);
                    nodePorts.add(next);
                }
            }
        }
        if (s.getSpec().getIpFamilies() == null || s.getSpec().getIpFamilies().isEmpty()) {
            s.getSpec().setIpFamilies(List.of("IPv4"));
            s.getSpec().setIpFamilyPolicy("SingleStack");
        }
    }

    /** The API server's defaults for what the seed and most manifests leave out: protocol and targetPort. */
    private static void defaults(Service s) {
        for (ServicePort p : s.getSpec().getPorts()) {
            if (p.getProtocol() == null) {
                p.setProtocol("TCP");
            }
            if (p.getTargetPort() == null) {
                p.setTargetPort(new io.fabric8.kubernetes.api.model.IntOrString(p.getPort()));
            }
        }
    }

    private static String freeClusterIp(Set<String> used) {
        for (int i = 10; i < 65_535; i++) {
            String ip = "10.96." + (i >> 8) + "." + (i & 0xff);
            if ((i & 0xff) != 0 && (i & 0xff) != 255 && !used.contains(ip)) {
                return ip;
            }
        }
        throw new UserError("no ClusterIP left in 10.96.0.0/16");
    }

    private static void keepServerOwned(Service s, Service current) {
        s.getSpec().setClusterIP(current.getSpec().getClusterIP());
        s.getSpec().setClusterIPs(current.getSpec().getClusterIPs());
        s.getSpec().setIpFamilies(current.getSpec().getIpFamilies());
        s.getSpec().setIpFamilyPolicy(current.getSpec().getIpFamilyPolicy());
        for (ServicePort p : s.getSpec().getPorts()) {
            current.getSpec().getPorts().stream().filter(c -> c.getPort().equals(p.getPort())
                    && java.util.Objects.equals(c.getProtocol(), p.getProtocol())).findFirst()
                    .ifPresent(c -> p.setNodePort(c.getNodePort()));
        }
        s.setStatus(current.getStatus());
        if (s.getMetadata().getAnnotations() == null) {
            s.getMetadata().setAnnotations(new java.util.TreeMap<>());
        }
        if (current.getMetadata().getAnnotations() != null) {
            current.getMetadata().getAnnotations().forEach((k, v) -> {
                if (k.startsWith("status.shardlb.io/")) {
                    s.getMetadata().getAnnotations().putIfAbsent(k, v);
                }
            });
        }
    }

    private static String name(HasMetadata m) {
        return m.getKind().toLowerCase(java.util.Locale.ROOT) + "/" + m.getMetadata().getName();
    }
}
