package io.shardlb.arbiter;

import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Holding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentBookTest {

    @Test
    void foldsTheArbitersFacts() {
        AgentBook book = AgentBook.EMPTY
                .with(new Fact.AgentUp("a", 1, "x"))
                .with(new Fact.VipBound("a", 1, "default", 3))
                .with(new Fact.AgentDraining("a", 1))
                .with(new Fact.AgentUp("a", 2, "x"))
                .with(new Fact.AgentDown("a", 1, "gone", 5))
                .with(new Fact.AgentUp("a", 1, "x"))
                .with(new Fact.Tick());
        assertEquals(List.of(new AgentRef("a", 2)), List.copyOf(book.up().keySet()));
        assertTrue(book.isDown("a", 1));
        assertFalse(book.isDown("a", 2));
        AgentBook bound = book.with(new Fact.VipBound("a", 2, "default", 4));
        assertEquals(List.of(new Holding("default", 4)), bound.up().get(new AgentRef("a", 2)).holding());
        assertEquals(List.of(), bound.with(new Fact.VipUnbound("a", 2, "default", 4, "released"))
                .up().get(new AgentRef("a", 2)).holding());
    }
}
