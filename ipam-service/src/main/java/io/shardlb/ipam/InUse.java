package io.shardlb.ipam;

import io.shardlb.ipam.collect.PersistentSortedMap;

import java.util.Objects;

/**
 * An address in use: the pool it was handed out from ("" for a static address outside every pool) and its
 * holders. Unique mode allows one holder; shared mode several, with pairwise disjoint ports.
 *
 * <p>One holder is by far the common case (always, in unique mode), and every address in use lives in the image
 * for as long as it is held, so a sole holder is kept in this object's own fields: one object per address instead
 * of a holder map, its node and a holder. Several holders are kept in a sorted map. Equality is by content.
 */
final class InUse {
    private final String pool;
    /** The sole holder's Service, or null when {@link #data} holds two or more. */
    private final String sole;
    /**
     * With a sole holder: its {@link PortSet} when it has no kept reason (nearly always), else its {@link Holder}.
     * With several: their {@code PersistentSortedMap<String, Holder>}. One field for three cases keeps an address
     * in use at 24 bytes.
     */
    private final Object data;

    private InUse(String pool, String sole, Object data) {
        this.pool = pool;
        this.sole = sole;
        this.data = data;
    }

    /** One Service's hold on the address. {@code keptReason} is "" unless an {@code AllocationKept} said why. */
    record Holder(PortSet ports, String keptReason) {
    }

    /** An address held by {@code service} alone. */
    static InUse of(String pool, String service, Holder h) {
        return new InUse(pool, service, h.keptReason().isEmpty() ? h.ports() : h);
    }

    /** An address held by {@code holders} (at least one). */
    static InUse of(String pool, PersistentSortedMap<String, Holder> holders) {
        if (holders.size() == 1) {
            var e = holders.firstEntry();
            return of(pool, e.getKey(), e.getValue());
        }
        if (holders.isEmpty()) {
            throw new IllegalArgumentException("an address in use has a holder: pool=" + pool);
        }
        return new InUse(pool, null, holders);
    }

    @SuppressWarnings("unchecked")
    private PersistentSortedMap<String, Holder> many() {
        return (PersistentSortedMap<String, Holder>) data;
    }

    private Holder soleHolder() {
        return data instanceof PortSet p ? new Holder(p, "") : (Holder) data;
    }

    /** The pool it was handed out from; "" for a static address outside every pool. */
    String pool() {
        return pool;
    }

    /** The number of Services holding it. */
    int holderCount() {
        return sole != null ? 1 : many().size();
    }

    /** {@code service}'s hold, or null. */
    Holder holder(String service) {
        if (sole != null) {
            return sole.equals(service) ? soleHolder() : null;
        }
        return many().get(service);
    }

    /** Whether {@code service} holds it. */
    boolean isHeldBy(String service) {
        return sole != null ? sole.equals(service) : many().containsKey(service);
    }

    /** The holders by Service name (built on demand for a sole holder: for reads off the hot path). */
    PersistentSortedMap<String, Holder> holders() {
        return sole != null ? PersistentSortedMap.<String, Holder>empty().put(sole, soleHolder()) : many();
    }

    /** This address with {@code service}'s hold set to {@code h}. */
    InUse with(String service, Holder h) {
        if (sole != null && sole.equals(service)) {
            return of(pool, service, h);
        }
        return of(pool, holders().put(service, h));
    }

    /** This address without {@code service}'s hold; null when nobody holds it any more. */
    InUse without(String service) {
        if (sole != null) {
            return sole.equals(service) ? null : this;
        }
        return of(pool, many().remove(service));
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof InUse u) || !pool.equals(u.pool)) {
            return false;
        }
        if (sole != null && u.sole != null) {
            return sole.equals(u.sole) && data.equals(u.data);
        }
        return sole == null && u.sole == null && data.equals(u.data);
    }

    @Override
    public int hashCode() {
        // a sole holder and a map of holders are never equal (a map holds two or more), so the forms may differ
        return Objects.hash(pool, sole, data);
    }

    @Override
    public String toString() {
        return "InUse[pool=" + pool + ", holders=" + holders() + "]";
    }
}
