package io.shardlb.e2e;

import io.shardlb.e2e.probe.ListenerMonitor;
import io.shardlb.e2e.system.Await;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loopback judge sees what the kernel sees: one listener is one answerer, two (SO_REUSEPORT) are a split brain. */
class ListenerMonitorTest {
    private static final String VIP = "127.0.79.9";

    @Test
    void twoListenersOnOneVipAreASplitBrainInstantAndOneIsNot() throws Exception {
        try (ServerSocket a = listener(0); ListenerMonitor monitor = new ListenerMonitor(a.getLocalPort(),
                Duration.ofMinutes(1))) {
            int port = a.getLocalPort();
            monitor.add(VIP);
            Await.until("one answerer seen", Duration.ofSeconds(30), () -> monitor.rounds().size() >= 3);
            assertEquals(0, monitor.splitBrainInstants().size(), "one listener: no split brain");
            try (ServerSocket b = listener(port)) {
                Await.until("two answerers seen", Duration.ofSeconds(30),
                        () -> !monitor.splitBrainInstants().isEmpty());
                assertTrue(monitor.splitBrainInstants().getFirst().answerers().size() == 2);
            }
        }
    }

    private static ServerSocket listener(int port) throws Exception {
        ServerSocket s = new ServerSocket();
        s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        s.bind(new InetSocketAddress(InetAddress.getByName(VIP), port));
        return s;
    }
}
