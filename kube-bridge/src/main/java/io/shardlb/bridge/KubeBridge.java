package io.shardlb.bridge;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.shardlb.bridge.in.AgentPodTranslator;
import io.shardlb.bridge.in.ClusterView;
import io.shardlb.bridge.in.EndpointSliceAggregator;
import io.shardlb.bridge.in.FactDiffer;
import io.shardlb.bridge.in.ServiceTranslator;
import io.shardlb.events.observed.ObservedDelta;
import io.shardlb.events.observed.ObservedImage;
import io.shardlb.events.schema.Fact;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The "in" shell: fabric8 informers on Services, EndpointSlices, Nodes (for node-port endpoints) and the agent
 * pods, turned into facts handed to a sink (the controller connects it to the {@code events} log's writer).
 *
 * <p>At {@link #start} it waits for every informer to sync, then compares the whole cluster with the last facts
 * in the log ({@code lastFacts}) and hands over only the differences; after that each informer event recomputes
 * the facts of the one key it touches and hands over what changed. All of that runs on one thread, so the
 * bridge's own picture of what it has written ({@link #written()}) is never raced. The sink is called on that
 * thread; a sink that throws leaves the picture unchanged, so the next event of the same key retries.
 */
public final class KubeBridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubeBridge.class);
    private static final String BY_SERVICE = "by-service";

    private final KubernetesClient client;
    private final BridgeConfig config;
    private final ServiceTranslator translator;
    private final Consumer<Fact> sink;
    private final ExecutorService loop;
    private final List<Consumer<String>> serviceListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile ObservedImage written;
    private volatile boolean synced;
    private SharedIndexInformer<Service> services;
    private SharedIndexInformer<EndpointSlice> slices;
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<Node> nodes;

    /**
     * A bridge, not yet started.
     *
     * @param client    the cluster
     * @param config    what to watch
     * @param lastFacts the last facts in the log (folded), to write only differences after a restart
     * @param sink      receives every fact to append, in order
     */
    public KubeBridge(KubernetesClient client, BridgeConfig config, ObservedImage lastFacts, Consumer<Fact> sink) {
        this.client = client;
        this.config = config;
        this.translator = new ServiceTranslator(config.acceptClassless(), config.classes());
        this.sink = sink;
        this.written = lastFacts;
        this.loop = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("kube-bridge")
                .unstarted(r));
    }

    /** Called with {@code namespace/name} after every change of a Service (for the controller to reconcile it). */
    public void onServiceChange(Consumer<String> listener) {
        serviceListeners.add(listener);
    }

    /**
     * Starts the informers, waits until they have synced (at most {@code timeout}), then writes the differences
     * between the cluster and {@code lastFacts}. Returns once those are handed to the sink.
     */
    public void start(Duration timeout) throws Exception {
        String ns = config.namespace();
        services = ns.isEmpty() ? client.services().inAnyNamespace().runnableInformer(0)
                : client.services().inNamespace(ns).runnableInformer(0);
        slices = ns.isEmpty() ? client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0)
                : client.discovery().v1().endpointSlices().inNamespace(ns).runnableInformer(0);
        slices.addIndexers(Map.of(BY_SERVICE, KubeBridge::sliceServiceKey));
        pods = client.pods().inNamespace(config.agentNamespace()).withLabels(config.agentSelector())
                .runnableInformer(0);
        nodes = client.nodes().runnableInformer(0);
        services.addEventHandler(handler(s -> submit(() -> refreshService(key(s)))));
        slices.addEventHandler(handler(s -> sliceServiceKey(s).forEach(k -> submit(() -> refreshService(k)))));
        pods.addEventHandler(handler(p -> submit(() -> refreshAgent(p.getMetadata().getName()))));
        nodes.addEventHandler(handler(n -> submit(this::refreshNodePortServices)));
        CompletableFuture.allOf(services.start().toCompletableFuture(), slices.start().toCompletableFuture(),
                pods.start().toCompletableFuture(), nodes.start().toCompletableFuture())
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        loop.submit(this::initialDiff).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What the bridge has written so far, folded on the last facts it started from. */
    public ObservedImage written() {
        return written;
    }

    /** Waits until every event queued so far has been handled (for callers that need a quiet point). */
    public void awaitQuiet(Duration timeout) throws Exception {
        loop.submit(() -> { }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The translator in use (the reconciler asks it whether a Service is ours). */
    public ServiceTranslator translator() {
        return translator;
    }

    private void initialDiff() {
        synced = true; // from here on, events are handled one by one; the view below already holds earlier ones
        TreeMap<String, Fact.ServiceObserved> svcs = new TreeMap<>();
        TreeMap<String, Fact.EndpointsObserved> eps = new TreeMap<>();
        for (Service s : services.getStore().list()) {
            translator.translate(s).ifPresent(o -> {
                svcs.put(o.service(), o);
                eps.put(o.service(), aggregate(o.service(), s));
            });
        }
        TreeMap<String, Fact.AgentObserved> agents = new TreeMap<>();
        for (Pod p : pods.getStore().list()) {
            AgentPodTranslator.translate(p).filter(a -> !a.deleted()).ifPresent(a -> agents.put(a.agent(), a));
        }
        List<Fact> facts = FactDiffer.diff(written, ClusterView.of(svcs, eps, agents));
        LOG.info("kube-bridge synced: {} services of ours, {} agent pods; {} facts differ from the log",
                svcs.size(), agents.size(), facts.size());
        emit(facts);
        svcs.keySet().forEach(this::notifyService);
    }

    private void refreshService(String key) {
        Service svc = services.getStore().getByKey(key);
        Optional<Fact.ServiceObserved> now = svc == null ? Optional.empty() : translator.translate(svc);
        List<Fact> facts = new ArrayList<>(FactDiffer.service(written, key, now));
        if (now.isPresent()) {
            ObservedImage after = fold(written, facts);
            FactDiffer.endpoints(after, key, Optional.of(aggregate(key, svc))).ifPresent(facts::add);
        }
        emit(facts);
        notifyService(key);
    }

    private void refreshAgent(String name) {
        Pod pod = pods.getStore().getByKey(config.agentNamespace() + "/" + name);
        Fact.AgentObserved now = pod == null ? AgentPodTranslator.gone(name)
                : AgentPodTranslator.translate(pod).orElse(AgentPodTranslator.gone(name));
        FactDiffer.agent(written, now).ifPresent(f -> emit(List.of(f)));
    }

    private void refreshNodePortServices() {
        for (Service s : services.getStore().list()) {
            if (EndpointSliceAggregator.wantsNodePorts(s)) {
                refreshService(key(s));
            }
        }
    }

    private Fact.EndpointsObserved aggregate(String key, Service svc) {
        return EndpointSliceAggregator.aggregate(key, svc, slices.getIndexer().byIndex(BY_SERVICE, key),
                this::nodeAddress);
    }

    private Optional<String> nodeAddress(String node) {
        Node n = nodes.getStore().getByKey(node);
        if (n == null || n.getStatus() == null || n.getStatus().getAddresses() == null) {
            return Optional.empty();
        }
        return n.getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType()))
                .map(NodeAddress::getAddress).findFirst();
    }

    private void emit(List<Fact> facts) {
        ObservedImage image = written;
        for (Fact f : facts) {
            try {
                sink.accept(f);
            } catch (RuntimeException e) {
                LOG.error("fact sink failed on {} {}; the next change of it retries", f.getClass().getSimpleName(),
                        f.subject(), e);
                break;
            }
            image = fold(image, List.of(f));
        }
        written = image;
    }

    private static ObservedImage fold(ObservedImage base, List<Fact> facts) {
        if (facts.isEmpty()) {
            return base;
        }
        ObservedDelta d = base.delta();
        facts.forEach(d::replay);
        return d.apply();
    }

    private void notifyService(String key) {
        for (Consumer<String> l : serviceListeners) {
            try {
                l.accept(key);
            } catch (RuntimeException e) {
                LOG.warn("service listener failed on {}", key, e);
            }
        }
    }

    private void submit(Runnable task) {
        if (!synced || loop.isShutdown()) {
            return; // before the initial diff, which reads every cache; after close, nobody listens
        }
        loop.submit(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("kube-bridge event failed", e);
            }
        });
    }

    private static String key(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        return (ns == null || ns.isEmpty() ? "default" : ns) + "/" + o.getMetadata().getName();
    }

    private static List<String> sliceServiceKey(EndpointSlice s) {
        Map<String, String> labels = s.getMetadata().getLabels();
        String name = labels == null ? null : labels.get(Keys.LABEL_SERVICE_NAME);
        return name == null ? List.of() : List.of(s.getMetadata().getNamespace() + "/" + name);
    }

    private static <T> ResourceEventHandler<T> handler(Consumer<T> onAny) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                onAny.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onAny.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                onAny.accept(obj);
            }
        };
    }

    @Override
    public void close() {
        for (SharedIndexInformer<?> i : new SharedIndexInformer<?>[] {services, slices, pods, nodes}) {
            if (i != null) {
                i.stop();
            }
        }
        loop.shutdownNow();
    }
}
