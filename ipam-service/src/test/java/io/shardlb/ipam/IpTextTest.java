package io.shardlb.ipam;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** IPAM's own IPv6 text handling reads and writes exactly what the JDK does, RFC 5952 on output. */
class IpTextTest {

    /** Addresses with long zero runs are the interesting ones for {@code ::}. */
    @Provide
    Arbitrary<Long> halves() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, 1L, 0xffffL, 0xffff_0000_0000_0000L,
                0x0000_ffff_0000_0000L, 0x0001_0000_0000_0001L, 0x0000_0000_ffff_0000L));
    }

    @Property(tries = 2000)
    void formatsAsTheJdkReadsAndParsesBack(@ForAll("halves") long hi, @ForAll("halves") long lo) throws Exception {
        IpAddress a = new IpAddress(hi, lo);
        String text = a.toString();
        assertEquals(a, IpAddress.parse(text));
        assertEquals(a, IpAddress.parse(new String(text))); // not the remembered instance: really parsed
        if (a.family() == IpFamily.V6) {
            byte[] b = InetAddress.ofLiteral(text).getAddress();
            assertEquals(16, b.length, text);
            assertEquals(a, fromBytes(b), text);
        }
    }

    @Property(tries = 1000)
    void readsUncompressedAndUpperCaseForms(@ForAll("halves") long hi, @ForAll("halves") long lo) {
        IpAddress a = new IpAddress(hi, lo);
        StringBuilder full = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            long half = i < 4 ? hi : lo;
            full.append(i == 0 ? "" : ":").append(String.format(Locale.ROOT, "%04X", (half >>> (48 - 16 * (i & 3))) & 0xffff));
        }
        if (a.family() == IpFamily.V6) {
            assertEquals(a, IpAddress.parse(full.toString()));
        }
    }

    @Test
    void refusesWhatTheJdkRefuses() {
        for (String bad : new String[] {"1:2", "1::2::3", ":1::2", "1::2:", "1:2:3:4:5:6:7:8:9", "12345::", "::g",
            "1:2:3:4:5:6:7:8::", "1:::2", ":::", "1:2:3:4:5:6:7:", "\u0661::1", "::1 "}) {
            assertThrows(IllegalArgumentException.class, () -> IpAddress.parse(bad), bad);
        }
    }

    @Test
    void readsTheFormsTheJdkReads() {
        assertEquals("::1", IpAddress.parse("::1").toString());
        assertEquals("1::", IpAddress.parse("1::").toString());
        assertEquals("1:2:3:4:5:6:7:0", IpAddress.parse("1:2:3:4:5:6:7::").toString()); // RFC 5952: one zero group stays
        assertEquals("0:2:3:4:5:6:7:8", IpAddress.parse("::2:3:4:5:6:7:8").toString());
        assertEquals("::3:4:5:6:7:8", IpAddress.parse("0:0:3:4:5:6:7:8").toString());
        assertEquals("2001:db8::1:0:0:1", IpAddress.parse("2001:DB8:0:0:1::1").toString());
        assertEquals("198.18.0.1", IpAddress.parse("::ffff:198.18.0.1").toString());
        assertEquals("::c612:1", IpAddress.parse("::198.18.0.1").toString());
    }

    private static IpAddress fromBytes(byte[] b) {
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (b[i] & 0xff);
            lo = (lo << 8) | (b[i + 8] & 0xff);
        }
        return new IpAddress(hi, lo);
    }
}
