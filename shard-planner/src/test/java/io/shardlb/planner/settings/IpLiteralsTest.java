package io.shardlb.planner.settings;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IpLiteralsTest {
    @Test
    void strictLiteralsInCanonicalForm() {
        assertEquals("198.18.80.250", IpLiterals.parse("198.18.80.250").orElseThrow().text());
        assertEquals(Optional.empty(), IpLiterals.parse("198.18.80.025"));
        assertEquals(Optional.empty(), IpLiterals.parse("127.1"));
        assertEquals(Optional.empty(), IpLiterals.parse("localhost"));
        assertEquals(Optional.empty(), IpLiterals.parse("[::1]"));
        assertEquals("2001:db8::1:0:0:1", IpLiterals.parse("2001:0db8:0000:0000:0001:0000:0000:0001")
                .orElseThrow().text());
        assertEquals(true, IpLiterals.parse("::ffff:1.2.3.4").orElseThrow().v6(), "a mapped literal stays IPv6");
        assertEquals(Optional.of("198.18.0.0/15"), IpLiterals.parseCidr("198.18.0.0/15"));
        assertEquals(Optional.empty(), IpLiterals.parseCidr("198.18.0.0/33"));
        assertEquals(Optional.of("::/0"), IpLiterals.parseCidr("::/0"));
    }
}
