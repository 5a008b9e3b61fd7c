package io.shardlb.arbiter;

import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Holding;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@code events} log says about agents, as far as the arbiter cares: the incarnations that are Up (with
 * what they hold and whether they drain) and, per agent, the newest incarnation declared Down. A newly active
 * arbiter folds the log into one of these ({@link #with}) so that it neither repeats an {@code AgentUp} /
 * {@code AgentDown} nor forgets an Up incarnation that has stopped beating.
 *
 * @param up        incarnations announced Up and not yet Down
 * @param downFloor per agent, the newest incarnation declared Down: beats of it or older unknown ones are ignored
 */
public record AgentBook(Map<AgentRef, Entry> up, Map<String, Long> downFloor) {

    /** The book of an empty log. */
    public static final AgentBook EMPTY = new AgentBook(Map.of(), Map.of());

    /**
     * One Up incarnation.
     *
     * @param address  the address from its beats
     * @param holding  what its beats last said it holds
     * @param draining whether its beats said it drains
     */
    public record Entry(String address, List<Holding> holding, boolean draining) {
        public Entry {
            holding = List.copyOf(holding);
        }
    }

    public AgentBook {
        up = Map.copyOf(up);
        downFloor = Map.copyOf(downFloor);
    }

    /** This book after {@code fact}; facts the arbiter does not write leave it unchanged. */
    public AgentBook with(Fact fact) {
        return switch (fact) {
            case Fact.AgentUp f -> isDown(f.agent(), f.incarnation()) ? this
                    : withUp(new AgentRef(f.agent(), f.incarnation()), new Entry(f.address(), List.of(), false));
            case Fact.AgentDown f -> down(f.agent(), f.incarnation());
            case Fact.VipBound f -> changeHolding(new AgentRef(f.agent(), f.incarnation()),
                    new Holding(f.instance(), f.term()), true);
            case Fact.VipUnbound f -> changeHolding(new AgentRef(f.agent(), f.incarnation()),
                    new Holding(f.instance(), f.term()), false);
            case Fact.AgentDraining f -> {
                AgentRef ref = new AgentRef(f.agent(), f.incarnation());
                Entry e = up.get(ref);
                yield e == null ? this : withUp(ref, new Entry(e.address(), e.holding(), true));
            }
            default -> this;
        };
    }

    /** Whether beats of {@code agent#incarnation} are to be ignored: it, or a newer incarnation, was declared Down. */
    public boolean isDown(String agent, long incarnation) {
        Long floor = downFloor.get(agent);
        return floor != null && incarnation <= floor && !up.containsKey(new AgentRef(agent, incarnation));
    }

    private AgentBook withUp(AgentRef ref, Entry entry) {
        Map<AgentRef, Entry> next = new HashMap<>(up);
        next.put(ref, entry);
        return new AgentBook(next, downFloor);
    }

    private AgentBook down(String agent, long incarnation) {
        Map<AgentRef, Entry> next = new HashMap<>(up);
        next.remove(new AgentRef(agent, incarnation));
        Map<String, Long> floors = new HashMap<>(downFloor);
        floors.merge(agent, incarnation, Math::max);
        return new AgentBook(next, floors);
    }

    private AgentBook changeHolding(AgentRef ref, Holding holding, boolean bound) {
        Entry e = up.get(ref);
        if (e == null) {
            return this;
        }
        List<Holding> next = new ArrayList<>(e.holding());
        next.remove(holding);
        if (bound) {
            next.add(holding);
        }
        return withUp(ref, new Entry(e.address(), next, e.draining()));
    }
}
