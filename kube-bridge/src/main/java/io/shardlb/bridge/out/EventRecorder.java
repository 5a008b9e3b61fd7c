package io.shardlb.bridge.out;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.shardlb.bridge.Keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes notices as core/v1 Events on their Service, aggregated as kubectl shows them: one Event per
 * (Service uid, type, reason, message), named from a hash of those, whose {@code count} and
 * {@code lastTimestamp} grow on a repeat. Each Event records the highest notice sequence it counted
 * ({@code shardlb.io/last-seq}), so replaying the plan after a restart counts nothing twice.
 */
final class EventRecorder {
    private static final String COMPONENT = "shardlb-controller";
    private final KubernetesClient client;
    private final Clock clock;
    /** Event name to the highest sequence it counted: saves a GET per Event per reconcile. */
    private final Map<String, Long> counted = new ConcurrentHashMap<>();

    EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** Writes the notices not yet counted; returns the reasons of the Events written. */
    List<String> record(Service svc, List<Notice> notices) {
        Map<String, List<Notice>> byEvent = new LinkedHashMap<>();
        for (Notice n : notices) {
            byEvent.computeIfAbsent(eventName(svc, n), k -> new ArrayList<>()).add(n);
        }
        List<String> written = new ArrayList<>();
        String ns = svc.getMetadata().getNamespace();
        for (Map.Entry<String, List<Notice>> e : byEvent.entrySet()) {
            String name = e.getKey();
            Long known = counted.get(name);
            Event live = null;
            if (known == null) {
                live = client.v1().events().inNamespace(ns).withName(name).get();
                known = live == null ? -1L : lastSeq(live);
            }
            long seen = known;
            List<Notice> fresh = e.getValue().stream().filter(n -> n.seq() > seen).toList();
            if (fresh.isEmpty()) {
                counted.put(name, seen);
                continue;
            }
            long last = fresh.getLast().seq();
            String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
            if (known < 0 && live == null) {
                client.v1().events().inNamespace(ns).resource(newEvent(svc, name, fresh, now)).create();
            } else {
                if (live == null) {
                    live = client.v1().events().inNamespace(ns).withName(name).get();
                }
                int count = (live == null || live.getCount() == null ? 0 : live.getCount()) + fresh.size();
                JsonPatch patch = new JsonPatch().add("/count", count).add("/lastTimestamp", now)
                        .add("/metadata/annotations", Map.of(Keys.ANN_EVENT_SEQ, Long.toString(last)));
                client.v1().events().inNamespace(ns).withName(name)
                        .patch(PatchContext.of(PatchType.JSON), patch.toJson());
            }
            counted.put(name, last);
            written.add(fresh.getFirst().reason());
        }
        return written;
    }

    /** Forgets what it counted (after losing leadership another controller may have counted more). */
    void forget() {
        counted.clear();
    }

    private static Event newEvent(Service svc, String name, List<Notice> fresh, String now) {
        Notice n = fresh.getFirst();
        return new EventBuilder()
                .withNewMetadata().withName(name).withNamespace(svc.getMetadata().getNamespace())
                .addToLabels(Keys.LABEL_MANAGED_BY, Keys.MANAGER)
                .addToAnnotations(Keys.ANN_EVENT_SEQ, Long.toString(fresh.getLast().seq())).endMetadata()
                .withNewInvolvedObject().withApiVersion("v1").withKind("Service")
                .withNamespace(svc.getMetadata().getNamespace()).withName(svc.getMetadata().getName())
                .withUid(svc.getMetadata().getUid()).endInvolvedObject()
                .withType(n.type()).withReason(n.reason()).withMessage(n.message())
                .withCount(fresh.size()).withFirstTimestamp(now).withLastTimestamp(now)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent("shardlb.io/controller")
                .build();
    }

    private static long lastSeq(Event e) {
        Map<String, String> a = e.getMetadata().getAnnotations();
        try {
            return a == null || a.get(Keys.ANN_EVENT_SEQ) == null ? -1L : Long.parseLong(a.get(Keys.ANN_EVENT_SEQ));
        } catch (NumberFormatException ex) {
            return -1L; // someone else's edit; count from scratch rather than fail the reconcile
        }
    }

    /** {@code <service>.<16 hex>}: stable across restarts, one per (uid, type, reason, message). */
    static String eventName(Service svc, Notice n) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String id = svc.getMetadata().getUid() + "\n" + n.type() + "\n" + n.reason() + "\n" + n.message();
            byte[] hash = sha.digest(id.getBytes(StandardCharsets.UTF_8));
            return svc.getMetadata().getName() + "." + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
