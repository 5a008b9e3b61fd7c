package io.shardlb.bridge.out;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.shardlb.bridge.BridgeConfig;
import io.shardlb.bridge.Keys;
import io.shardlb.bridge.ServiceKey;
import io.shardlb.bridge.in.ServiceTranslator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Brings one Service in line with the plan (Strimzi's reconcile): reads it, asks {@link ServiceModel} for the
 * desired state, writes only what differs, and says what it did. The main resource (finalizer, output
 * annotations) is changed with a JSON patch; status only through the {@code status} subresource, as a full
 * replace carrying the {@code resourceVersion} read, so a concurrent write makes it fail with 409 instead of
 * losing either write. Conflicts are retried from a fresh read with backoff; any other API error returns
 * {@link ReconcileResult.Outcome#FAILED} and the caller reconciles again later (the plan is the source, nothing
 * is lost).
 */
public final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final int ATTEMPTS = 6;

    private final KubernetesClient client;
    private final ServiceTranslator translator;
    private final ServiceModel model;
    private final EventRecorder events;
    private final Clock clock;
    private final Duration backoff;

    /**
     * A reconciler.
     *
     * @param backoff the first retry delay after a conflict; doubled each further attempt
     */
    public Reconciler(KubernetesClient client, BridgeConfig config, Clock clock, Duration backoff) {
        this.client = client;
        this.translator = new ServiceTranslator(config.acceptClassless(), config.classes());
        this.model = new ServiceModel(config);
        this.events = new EventRecorder(client, clock);
        this.clock = clock;
        this.backoff = backoff;
    }

    /** Reconciles every Service the plan knows about. */
    public List<ReconcileResult> reconcileAll(ServiceStatusImage plan) {
        List<ReconcileResult> out = new ArrayList<>();
        for (String key : plan.services().keySet()) {
            out.add(reconcile(plan, key));
        }
        return out;
    }

    /** Reconciles one Service ({@code namespace/name}) with the plan. */
    public ReconcileResult reconcile(ServiceStatusImage plan, String key) {
        KubernetesClientException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return once(plan, ServiceKey.parse(key));
            } catch (KubernetesClientException e) {
                last = e;
                if (e.getCode() != 409 && e.getCode() != 422) {
                    break; // 422: a JSON patch "test" failed on a stale read; anything else is not ours to retry
                }
                LOG.debug("conflict on {} (attempt {}): {}", key, attempt + 1, e.getMessage());
                sleep(backoff.multipliedBy(1L << attempt));
            }
        }
        LOG.warn("reconcile of {} failed; will retry on the next change", key, last);
        return new ReconcileResult(key, ReconcileResult.Outcome.FAILED,
                List.of(last == null ? "unknown" : last.getCode() + ": " + last.getMessage()));
    }

    /** Forgets cached Event counts (call when leadership is lost: another leader may have written since). */
    public void forgetCaches() {
        events.forget();
    }

    private ReconcileResult once(ServiceStatusImage plan, ServiceKey key) {
        Service live = client.services().inNamespace(key.namespace()).withName(key.name()).get();
        if (live == null) {
            return new ReconcileResult(key.toString(), ReconcileResult.Outcome.GONE, List.of());
        }
        ServicePlan sp = plan.service(key.toString()).orElse(ServicePlan.empty(key.toString()));
        boolean ours = translator.isOurs(live);
        DesiredService desired = model.desired(live, ours, sp, plan.termOf(sp));
        List<String> actions = new ArrayList<>();
        boolean deleting = live.getMetadata().getDeletionTimestamp() != null;
        JsonPatch main = mainPatch(live, desired, !deleting);
        if (!main.isEmpty()) {
            Service patched = client.services().inNamespace(key.namespace()).withName(key.name())
                    .patch(PatchContext.of(PatchType.JSON), main.toJson());
            actions.add(desired.finalizer() ? "metadata" : "finalizer-");
            if (patched == null || patched.getMetadata() == null) {
                return done(key, actions); // the last finalizer went: the object is gone
            }
            live = patched;
        }
        if (deleting) {
            return done(key, actions);
        }
        Optional<ServiceStatus> status = statusChange(live, desired);
        if (status.isPresent()) {
            Service next = new ServiceBuilder(live).withStatus(status.get()).build();
            client.services().inNamespace(key.namespace()).resource(next).updateStatus();
            actions.add("status");
        }
        for (String reason : events.record(live, desired.notices())) {
            actions.add("event:" + reason);
        }
        return done(key, actions);
    }

    private static ReconcileResult done(ServiceKey key, List<String> actions) {
        return new ReconcileResult(key.toString(), actions.isEmpty() ? ReconcileResult.Outcome.NOOP
                : ReconcileResult.Outcome.PATCHED, actions);
    }

    /** Finalizer and output annotations; on a Service being deleted, only the finalizer's removal. */
    static JsonPatch mainPatch(Service live, DesiredService desired, boolean annotationsToo) {
        JsonPatch patch = new JsonPatch();
        List<String> finalizers = live.getMetadata().getFinalizers();
        int index = finalizers == null ? -1 : finalizers.indexOf(Keys.FINALIZER);
        if (desired.finalizer() && index < 0 && annotationsToo) {
            if (finalizers == null || finalizers.isEmpty()) {
                patch.add("/metadata/finalizers", List.of(Keys.FINALIZER));
            } else {
                patch.add("/metadata/finalizers/-", Keys.FINALIZER);
            }
        } else if (!desired.finalizer() && index >= 0) {
            // "test" guards the index: if the list changed since the read, the patch fails and is retried
            patch.test("/metadata/finalizers/" + index, Keys.FINALIZER).remove("/metadata/finalizers/" + index);
        }
        if (!annotationsToo) {
            return patch;
        }
        Map<String, String> current = live.getMetadata().getAnnotations();
        if (current == null && !desired.annotations().isEmpty()) {
            return patch.add("/metadata/annotations", desired.annotations());
        }
        for (String k : Keys.OUTPUT_ANNOTATIONS) {
            String want = desired.annotations().get(k);
            String have = current == null ? null : current.get(k);
            if (want != null && !want.equals(have)) {
                patch.add("/metadata/annotations/" + JsonPatch.escape(k), want);
            } else if (want == null && have != null) {
                patch.remove("/metadata/annotations/" + JsonPatch.escape(k));
            }
        }
        return patch;
    }

    /** The new status when ingress or our condition differ; other controllers' conditions are kept. */
    private Optional<ServiceStatus> statusChange(Service live, DesiredService desired) {
        ServiceStatus status = live.getStatus() == null ? new ServiceStatus() : live.getStatus();
        List<LoadBalancerIngress> ingress = status.getLoadBalancer() == null
                || status.getLoadBalancer().getIngress() == null ? List.of() : status.getLoadBalancer().getIngress();
        List<Condition> conditions = status.getConditions() == null ? List.of() : status.getConditions();
        Condition ours = conditions.stream().filter(c -> Keys.CONDITION_READY.equals(c.getType())).findFirst()
                .orElse(null);
        boolean sameCondition = desired.condition().map(c -> ours != null && c.status().equals(ours.getStatus())
                && c.reason().equals(ours.getReason()) && c.message().equals(ours.getMessage()))
                .orElse(ours == null);
        if (ingress.equals(desired.ingress()) && sameCondition) {
            return Optional.empty();
        }
        List<Condition> next = new ArrayList<>();
        conditions.stream().filter(c -> !Keys.CONDITION_READY.equals(c.getType())).forEach(next::add);
        desired.condition().ifPresent(c -> next.add(condition(c, ours)));
        return Optional.of(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder(status)
                .withNewLoadBalancer().withIngress(desired.ingress()).endLoadBalancer()
                .withConditions(next).build());
    }

    private Condition condition(DesiredService.ReadyCondition c, Condition before) {
        boolean transition = before == null || !Objects.equals(before.getStatus(), c.status());
        String time = transition
                ? DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS))
                : before.getLastTransitionTime();
        return new ConditionBuilder().withType(Keys.CONDITION_READY).withStatus(c.status()).withReason(c.reason())
                .withMessage(c.message()).withLastTransitionTime(time).build();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted while backing off", e);
        }
    }
}
