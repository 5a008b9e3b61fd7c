package io.shardlb.agent.control;

import io.shardlb.arbiter.LeaseSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bad flag stops start-up with a message naming the flag and the value. */
class AgentConfigTest {
    private static AgentConfig config(String name, String log, String iface, String host, int port) {
        return new AgentConfig(name, log, "shardlb.", iface, ForwarderKind.PROXY, host, port, Path.of("j"),
                Duration.ofSeconds(30), LeaseSettings.DEFAULTS);
    }

    @Test
    void eachBadValueIsNamed() {
        assertMessage("--name", () -> config("bad name", "kafka://h:1", "lo", "127.0.0.1", 0));
        assertMessage("--log", () -> config("a", "http://h:1", "lo", "127.0.0.1", 0));
        assertMessage("--interface", () -> config("a", "kafka://h:1", "", "127.0.0.1", 0));
        assertMessage("--apiHost", () -> config("a", "kafka://h:1", "lo", "0.0.0.0", 0));
        assertMessage("--apiPort", () -> config("a", "kafka://h:1", "lo", "127.0.0.1", 70000));
        assertMessage("--forwarder", () -> ForwarderKind.parse("dpdk"));
        assertMessage("--drainTimeout", () -> AgentConfig.parseDuration("--drainTimeout", "soon"));
        assertMessage("--lease", () -> AgentMain.leaseOf("100,400"));
        assertMessage("--lease", () -> AgentMain.leaseOf("400,100,0"));
    }

    @Test
    void leaseIsBeatLeaseMarginInMillis() {
        assertEquals(new LeaseSettings(200, 1500, 500), AgentMain.leaseOf("200,1500,500"));
        assertEquals(LeaseSettings.DEFAULTS, AgentMain.leaseOf(""));
    }

    @Test
    void durationsReadLikeTheChartWritesThem() {
        assertEquals(Duration.ofSeconds(20), AgentConfig.parseDuration("--drainTimeout", "20s"));
        assertEquals(Duration.ofMillis(500), AgentConfig.parseDuration("--drainTimeout", "500ms"));
        assertEquals(Duration.ofMinutes(2), AgentConfig.parseDuration("--drainTimeout", "PT2M"));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(part), ex.getMessage());
    }
}
