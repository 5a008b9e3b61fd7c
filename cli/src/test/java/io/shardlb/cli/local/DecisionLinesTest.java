package io.shardlb.cli.local;

import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Topic;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live lines read as the seed guide words them, name the cause, and start where this run started. */
class DecisionLinesTest {
    private final DecisionLines lines = new DecisionLines(null, 2, new PrintStream(new ByteArrayOutputStream()));

    @Test
    void aMasterLineNamesTheServicesOnTheInstanceAndTheCause() {
        assertEquals(List.of(), lines.lines(entry(0, new Decision.ServicePlaced("default/tcp-lb2", "llb-inst2"))),
                "before this run: remembered, not printed");
        assertEquals(List.of(), lines.lines(entry(1, new Decision.ServicePlaced("other/web", "llb-inst2"))));
        List<String> out = lines.lines(entry(2, new Decision.InstanceMastered("llb-inst2", new AgentRef("agent-3", 7),
                1, List.of("agent-1", "agent-2"), "agent-1#5 Down (no beat for 612 ms)")));
        assertEquals(2, out.size(), out.toString());
        assertTrue(out.getFirst().endsWith("  tcp-lb2 → llb-inst2, master agent-3, term 1  "
                + "(agent-1#5 Down (no beat for 612 ms))"), out.getFirst());
        assertTrue(out.get(1).endsWith("  other/web → llb-inst2, master agent-3, term 1  "
                + "(agent-1#5 Down (no beat for 612 ms))"), out.get(1));
    }

    @Test
    void anInstanceWithoutServicesAndWithoutMasterIsStillShown() {
        List<String> out = lines.lines(entry(3, new Decision.InstanceMastered("llb-inst1", null, 4, List.of(),
                "agent-2#1 Down")));
        assertEquals(1, out.size());
        assertTrue(out.getFirst().endsWith("llb-inst1: no master, term 4  (agent-2#1 Down)"), out.getFirst());
    }

    private static LogEntry entry(long offset, Decision d) {
        return new LogEntry(Topic.PLAN, 0, offset, Envelope.decision(d, "planner", 0));
    }
}
