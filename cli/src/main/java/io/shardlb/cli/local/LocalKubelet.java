package io.shardlb.cli.local;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The parts of a cluster the mock API does not play, played visibly: a kubelet that runs every Pod as a
 * {@link PodBackend} on a loopback address of its own (127.0.1.N) and reports it Running and Ready, and an
 * endpoints controller that writes one EndpointSlice per (Service, ready Pod) with the backend's real address and
 * port. It looks at the API every {@link #PERIOD_MS} ms; one thread, so nothing races.
 */
final class LocalKubelet implements AutoCloseable {
    static final long PERIOD_MS = 300;
    static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    static final String ME = "shardlb-local";
    static final String NODE = "local";
    private static final Logger LOG = LoggerFactory.getLogger(LocalKubelet.class);

    private final KubernetesClient client;
    private final PrintStream out;
    private final String podNet;
    private final PodPlace place;
    private final Map<String, PodBackend> backends = new HashMap<>();
    private final Set<String> failed = new java.util.HashSet<>();
    private int nextHost;
    private volatile boolean running = true;
    private Thread loop;

    /** Where a pod's backend runs: on loopback in this process, or inside the backend namespace. */
    @FunctionalInterface
    interface PodPlace {
        PodBackend start(String key, String ip, List<Integer> ports);
    }

    /**
     * A kubelet giving pods addresses {@code podNet.N} from {@code N = firstHost} (e.g. {@code 127.0.1.1}), run
     * by {@code place}; progress lines go to {@code out}.
     */
    LocalKubelet(KubernetesClient client, String podNet, int firstHost, PodPlace place, PrintStream out) {
        this.client = client;
        this.podNet = podNet;
        this.nextHost = firstHost;
        this.place = place;
        this.out = out;
    }

    void start() {
        loop = Thread.ofPlatform().daemon().name("local-kubelet").start(() -> {
            while (running) {
                try {
                    syncOnce();
                } catch (KubernetesClientException e) {
                    LOG.warn("kubelet: the API refused a step, retrying: {}", e.getMessage());
                } catch (RuntimeException e) { // the stand-in keeps looking, as a kubelet would
                    LOG.warn("kubelet: {}", e.getMessage(), e);
                }
                try {
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** One look at the API: run new pods, stop gone ones, write the slices that follow. */
    void syncOnce() {
        List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
        Map<String, Pod> live = pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .collect(Collectors.toMap(LocalKubelet::key, Function.identity(), (a, b) -> a, TreeMap::new));
        backends.keySet().removeIf(k -> {
            if (live.containsKey(k)) {
                return false;
            }
            backends.get(k).close();
            out.println("      kubelet: pod " + k + " stopped");
            return true;
        });
        failed.retainAll(live.keySet());
        for (Pod p : live.values()) {
            if (!backends.containsKey(key(p)) && !failed.contains(key(p))) {
                try {
                    run(p);
                } catch (java.io.UncheckedIOException e) { // reported once; the pod stays not ready
                    failed.add(key(p));
                    out.println("      kubelet: pod " + key(p) + " cannot run: " + e.getMessage() + " ("
                            + e.getCause().getMessage() + ")");
                }
            }
        }
        syncSlices(live);
    }

    private void run(Pod pod) {
        String key = key(pod);
        String ip = podNet + "." + nextHost++;
        List<Integer> ports = new ArrayList<>();
        pod.getSpec().getContainers().forEach(c -> {
            if (c.getPorts() != null) {
                c.getPorts().stream().map(ContainerPort::getContainerPort).filter(Objects::nonNull).forEach(ports::add);
            }
        });
        if (ports.isEmpty()) {
            ports.add(80);
        }
        PodBackend b = place.start(key, ip, ports);
        backends.put(key, b);
        out.println("      kubelet: pod " + key + " runs at " + b.describe());
        Pod running = new PodBuilder(pod).editOrNewStatus().withPhase("Running").withPodIP(ip).withHostIP("127.0.0.1")
                .withConditions(List.of()).addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus().editSpec().withNodeName(NODE).endSpec().build();
        client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(running).updateStatus();
    }

    private void syncSlices(Map<String, Pod> pods) {
        Map<String, EndpointSlice> desired = new TreeMap<>();
        for (Service s : client.services().inAnyNamespace().list().getItems()) {
            Map<String, String> selector = s.getSpec().getSelector();
            if (selector == null || selector.isEmpty()) {
                continue;
            }
            for (Pod p : pods.values()) {
                PodBackend b = backends.get(key(p));
                Map<String, String> labels = p.getMetadata().getLabels() == null ? Map.of()
                        : p.getMetadata().getLabels();
                if (b != null && p.getMetadata().getNamespace().equals(s.getMetadata().getNamespace())
                        && labels.entrySet().containsAll(selector.entrySet())) {
                    EndpointSlice slice = slice(s, p, b);
                    desired.put(sliceKey(slice), slice);
                }
            }
        }
        List<EndpointSlice> existing = client.discovery().v1().endpointSlices().inAnyNamespace()
                .withLabel(MANAGED_BY, ME).list().getItems();
        Set<String> have = existing.stream().map(LocalKubelet::sliceKey).collect(Collectors.toSet());
        for (EndpointSlice e : existing) {
            if (!desired.containsKey(sliceKey(e))) {
                client.discovery().v1().endpointSlices().inNamespace(e.getMetadata().getNamespace()).resource(e)
                        .delete();
            }
        }
        for (var d : desired.entrySet()) {
            if (!have.contains(d.getKey())) {
                EndpointSlice slice = d.getValue();
                client.discovery().v1().endpointSlices().inNamespace(slice.getMetadata().getNamespace())
                        .resource(slice).create();
                out.println("      endpoints: " + slice.getMetadata().getLabels().get("kubernetes.io/service-name")
                        + " → " + slice.getEndpoints().getFirst().getAddresses().getFirst() + " "
                        + slice.getPorts().stream().map(x -> x.getPort() + "/" + x.getProtocol()).toList());
            }
        }
    }

    /** The slice of Service {@code s} for pod {@code p}: the backend's address and the real port of each port. */
    private static EndpointSlice slice(Service s, Pod p, PodBackend b) {
        List<EndpointPort> ports = new ArrayList<>();
        for (ServicePort sp : s.getSpec().getPorts()) {
            int real = b.realPort(containerPort(sp, p));
            if (real > 0) {
                ports.add(new EndpointPortBuilder().withName(sp.getName() == null ? "" : sp.getName())
                        .withPort(real).withProtocol(sp.getProtocol() == null ? "TCP" : sp.getProtocol()).build());
            }
        }
        return new EndpointSliceBuilder().withNewMetadata()
                .withName(s.getMetadata().getName() + "-" + p.getMetadata().getName())
                .withNamespace(s.getMetadata().getNamespace())
                .addToLabels("kubernetes.io/service-name", s.getMetadata().getName()).addToLabels(MANAGED_BY, ME)
                .endMetadata().withAddressType("IPv4")
                .addNewEndpoint().withAddresses(b.ip()).withNodeName(NODE).withNewConditions().withReady(true)
                .endConditions().withNewTargetRef().withKind("Pod").withName(p.getMetadata().getName())
                .withNamespace(p.getMetadata().getNamespace()).endTargetRef().endEndpoint()
                .withPorts(ports).build();
    }

    /** The container port a Service port targets: a number, a named container port, or the Service port. */
    private static int containerPort(ServicePort sp, Pod p) {
        IntOrString t = sp.getTargetPort();
        if (t == null) {
            return sp.getPort();
        }
        if (t.getIntVal() != null) {
            return t.getIntVal();
        }
        return p.getSpec().getContainers().stream().filter(c -> c.getPorts() != null)
                .flatMap(c -> c.getPorts().stream()).filter(cp -> t.getStrVal().equals(cp.getName()))
                .map(ContainerPort::getContainerPort).findFirst().orElse(-1);
    }

    /** Identity and content of a slice: a changed pod port or address makes a new key (delete + create). */
    private static String sliceKey(EndpointSlice e) {
        return e.getMetadata().getNamespace() + "/" + e.getMetadata().getName() + " "
                + e.getEndpoints().stream().map(x -> x.getAddresses().toString()).toList() + " "
                + e.getPorts().stream().map(x -> x.getName() + ":" + x.getPort() + "/" + x.getProtocol()).toList();
    }

    private static String key(Pod p) {
        return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
    }

    @Override
    public void close() {
        running = false;
        if (loop != null) {
            loop.interrupt();
            try {
                loop.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        backends.values().forEach(PodBackend::close);
        backends.clear();
    }
}
