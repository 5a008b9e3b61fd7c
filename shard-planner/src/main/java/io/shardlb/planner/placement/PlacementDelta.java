package io.shardlb.planner.placement;

import io.shardlb.events.image.Delta;
import io.shardlb.events.image.ReplayException;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Payload;
import io.shardlb.events.schema.Topic;
import io.shardlb.planner.instance.InstanceNames;
import io.shardlb.planner.settings.ServiceSettings;

import io.shardlb.events.collect.HashTrie;

import java.util.Collections;
import java.util.OptionalInt;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Folds records into a {@link PlacementImage}. Facts give the instance names ({@code ConfigObserved}) and each
 * Service's pin ({@code ServiceObserved}, {@code ServiceGone}); decisions give VIP membership
 * ({@code VipAllocated}, {@code VipReleased}) and placement ({@code ServicePlaced}). {@code ServicePlaced} places
 * the Service's whole VIP: the VIP is the unit of placement, so the planner emits it for every Service of a VIP
 * that moves. A Service placed without a VIP, a second VIP for a Service, or the release of a VIP a Service does
 * not hold is a {@link ReplayException}.
 * <p>
 * The maps are persistent (hash tries): a delta shares everything it does not touch with its base, so one
 * change costs a few nodes, never a copy of the whole image (the planner applies a delta per decision).
 */
public final class PlacementDelta implements Delta<PlacementImage> {
    /** The id of the envelopes wrapping bare payloads (never written anywhere). */
    private static final String LOCAL_ID = "local";
    private final PlacementImage base;
    private InstanceNames names;
    private HashTrie<String, String> vipOf;
    private HashTrie<String, String> pins;
    private HashTrie<String, VipSlot> vips;
    private int[] counts;

    public PlacementDelta(PlacementImage base) {
        this.base = base;
        this.names = base.names();
        this.vipOf = base.vipOf();
        this.pins = base.pins();
        this.vips = base.vips;
    }

    @Override
    public void replay(LogEntry entry) {
        switch (entry.envelope().payload()) {
            case Fact.ConfigObserved c -> names = InstanceNames.of(c);
            case Fact.ServiceObserved s -> setPin(s.service(), ServiceSettings.pinText(s.annotations()));
            case Fact.ServiceGone g -> setPin(g.service(), "");
            case Decision.VipAllocated a -> allocated(a, entry);
            case Decision.VipReleased r -> released(r, entry);
            case Decision.ServicePlaced p -> placed(p, entry);
            default -> {
                // records of no concern to placement
            }
        }
    }

    /** Folds a bare payload read at {@code logTime} (for callers without a log position). */
    public void replay(Payload payload, long logTime) {
        Topic topic = payload instanceof Decision ? Topic.PLAN : Topic.EVENTS;
        // type and id given: left empty, the envelope would name the type by reflection and draw a random UUID
        // (a SecureRandom read) for a wrapper that only carries the log time and names the record in errors
        replay(new LogEntry(topic, 0, -1L, new Envelope(Envelope.CURRENT_VERSION, payload.getClass().getSimpleName(),
                LOCAL_ID, logTime, "", -1L, payload)));
    }

    private void setPin(String service, String pin) {
        String current = pins.get(service);
        if (pin.isEmpty() ? current == null : pin.equals(current)) {
            return;
        }
        pins = pin.isEmpty() ? pins.remove(service) : pins.put(service, pin);
    }

    private void allocated(Decision.VipAllocated a, LogEntry entry) {
        String held = vipOf.get(a.service());
        if (held != null) {
            if (held.equals(a.ip())) {
                return;
            }
            throw new ReplayException(entry, a.service() + " already holds VIP " + held);
        }
        vipOf = vipOf.put(a.service(), a.ip());
        VipSlot slot = vips.get(a.ip());
        SortedSet<String> services = new TreeSet<>(slot == null ? Collections.emptySortedSet() : slot.services());
        services.add(a.service());
        vips = vips.put(a.ip(), new VipSlot(a.ip(), slot == null ? VipSlot.UNPLACED : slot.instance(), services));
    }

    private void released(Decision.VipReleased r, LogEntry entry) {
        String held = vipOf.get(r.service());
        if (held == null || !held.equals(r.ip())) {
            throw new ReplayException(entry, r.service() + " does not hold VIP " + r.ip() + " (holds " + held + ")");
        }
        vipOf = vipOf.remove(r.service());
        VipSlot slot = vips.get(r.ip());
        SortedSet<String> services = new TreeSet<>(slot.services());
        services.remove(r.service());
        if (services.isEmpty()) {
            vips = vips.remove(r.ip());
            count(slot.instance(), -1);
        } else {
            vips = vips.put(r.ip(), new VipSlot(r.ip(), slot.instance(), services));
        }
    }

    private void placed(Decision.ServicePlaced p, LogEntry entry) {
        String vip = vipOf.get(p.service());
        if (vip == null) {
            throw new ReplayException(entry, p.service() + " placed without a VIP");
        }
        OptionalInt index = names.anyIndexOf(p.instance());
        if (index.isEmpty()) {
            throw new ReplayException(entry, "unknown instance " + p.instance() + " (names " + names + ")");
        }
        VipSlot slot = vips.get(vip);
        if (slot.instance() == index.getAsInt()) {
            return;
        }
        count(slot.instance(), -1);
        count(index.getAsInt(), 1);
        vips = vips.put(vip, new VipSlot(vip, index.getAsInt(), slot.services()));
    }

    private void count(int instance, int delta) {
        if (instance == VipSlot.UNPLACED) {
            return;
        }
        if (counts == null || counts.length <= instance) {
            counts = counts == null ? base.countsCopy(instance + 1)
                    : java.util.Arrays.copyOf(counts, instance + 1);
        }
        counts[instance] += delta;
    }

    @Override
    public PlacementImage apply() {
        if (vipOf == base.vipOf() && pins == base.pins() && vips == base.vips && counts == null
                && names.equals(base.names())) {
            return base;
        }
        return new PlacementImage(names, vipOf, pins, vips, counts == null ? base.countsCopy(0) : counts.clone());
    }
}
