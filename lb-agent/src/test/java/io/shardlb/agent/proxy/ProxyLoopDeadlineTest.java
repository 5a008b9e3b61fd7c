package io.shardlb.agent.proxy;

import io.shardlb.agent.forwarder.Addresses;
import io.shardlb.agent.forwarder.Endpoint;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Outcome;
import io.shardlb.agent.forwarder.Protocol;
import io.shardlb.agent.forwarder.Selection;
import io.shardlb.agent.forwarder.ServiceRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proxy loop's own deadline, driven cycle by cycle with the times a loop thread would read, and judged by a
 * client's connection to the VIP (after the next cycle's select, which releases a closed listener's socket): a
 * deadline passing between one cycle's end and the next one's start (the loop woke early for I/O just before it)
 * still closes the listener, with no release and no further claim, as from a cut-off agent whose beat thread sends
 * nothing more.
 */
class ProxyLoopDeadlineTest {
    private static final InetAddress VIP = Addresses.parse("127.0.82.10");
    private static final int PORT = 18083;
    private static final long MS = Duration.ofMillis(1).toNanos();

    private final ProxyLoop loop;

    ProxyLoopDeadlineTest() throws IOException {
        loop = new ProxyLoop(ProxyConfig.defaults());
    }

    @AfterEach
    void close() {
        loop.closeAll();
    }

    @Test
    void aDeadlinePassingBetweenTwoCyclesClosesTheListenerAtTheNext() throws IOException {
        long t0 = System.nanoTime();
        loop.onSelected(t0); // a first cycle: the UDP expiry is next due a second later
        long deadline = t0 + Duration.ofMillis(500).toNanos();
        loop.upsert(rule(), t0);
        assertEquals(Outcome.APPLIED, loop.claim(VIP, deadline, t0));
        assertTrue(accepts(), "claimed: the VIP is answered");

        // a cycle that wakes for I/O a millisecond before the deadline: nothing expires yet
        assertEquals(MS, loop.wakeIn(deadline - MS));
        loop.onSelected(deadline - MS);
        assertTrue(accepts(), "still ahead of the deadline");

        // the next cycle starts after the deadline: it must not sleep past it
        assertEquals(0, loop.wakeIn(deadline + MS), "a passed, unprocessed deadline is due at once");
        loop.onSelected(deadline + MS);
        loop.selector.selectNow(); // the next cycle's select: a closed channel's socket goes with its key
        assertFalse(accepts(), "answered after its deadline");

        // processed once: the loop sleeps again instead of spinning on the expired claim
        assertTrue(loop.wakeIn(deadline + 2 * MS) > 0, "an expired claim keeps the loop awake");
    }

    @Test
    void aClaimWhoseDeadlineHasPassedOpensNothing() {
        long t0 = System.nanoTime();
        loop.upsert(rule(), t0);
        loop.claim(VIP, t0 - MS, t0);
        assertFalse(accepts(), "a claim already expired when it arrived");
        loop.onSelected(t0 + loop.wakeIn(t0));
        assertTrue(loop.wakeIn(t0 + MS) > 0, "the expired claim is dropped, not woken for again and again");
    }

    private static ServiceRule rule() {
        return new ServiceRule("r", VIP, PORT, Protocol.TCP, Mode.ONEARM, Selection.HASH, Duration.ZERO, List.of(),
                List.of(Endpoint.of("127.0.0.1", 9)));
    }

    /** Whether a client's connection to the VIP completes (the kernel completes it for a listening socket). */
    private static boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(VIP, PORT), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
