package io.shardlb.ipam;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolConfigTest {

    private static IpPool v4(String flag) {
        return PoolConfig.parse(flag, "").pools(IpFamily.V4).getFirst();
    }

    private static void rejects(String v4, String v6, String... mentions) {
        PoolConfigException e = assertThrows(PoolConfigException.class, () -> PoolConfig.parse(v4, v6));
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), () -> "message \"" + e.getMessage() + "\" should name " + m);
        }
    }

    @Test
    void hostPartOfCidrIsTheFirstAddressAndBroadcastIsNeverHandedOut() {
        IpPool p = v4("defaultPool=192.168.80.250/24");
        assertEquals("192.168.80.250", p.first().toString());
        assertEquals("192.168.80.254", p.last().toString());
        assertEquals(BigInteger.valueOf(5), p.size());
    }

    @Test
    void networkAddressIsSkippedWhenTheHostPartIsZero() {
        IpPool p = v4("p=198.18.5.0/28");
        assertEquals("198.18.5.1", p.first().toString());
        assertEquals("198.18.5.14", p.last().toString());
    }

    @Test
    void slash32IsItsOneAddressAndSlash31ItsTwo() {
        IpPool one = v4("defaultPool=192.168.80.249/32");
        assertEquals(BigInteger.ONE, one.size());
        assertEquals("192.168.80.249", one.first().toString());
        IpPool two = v4("p=198.18.0.10/31");
        assertEquals("198.18.0.10", two.first().toString());
        assertEquals("198.18.0.11", two.last().toString());
    }

    @Test
    void rangesAndIpv6() {
        IpPool r = v4("p=198.18.0.250-198.18.1.10");
        assertEquals(BigInteger.valueOf(17), r.size());
        IpPool v6 = PoolConfig.parse("", "v6=2001:db8::/64").pools(IpFamily.V6).getFirst();
        assertEquals("2001:db8::1", v6.first().toString());
        assertEquals("2001:db8::ffff:ffff:ffff:ffff", v6.last().toString());
        assertEquals(BigInteger.TWO.pow(64).subtract(BigInteger.ONE), v6.size());
    }

    @Test
    void defaultPoolIsNamedDefaultPoolElseTheFirst() {
        PoolConfig c = PoolConfig.parse("a=198.18.0.1/32,defaultPool=198.18.0.2/32", "x=2001:db8::1/128");
        assertEquals("defaultPool", c.defaultPool(IpFamily.V4).orElseThrow().name());
        assertEquals("x", c.defaultPool(IpFamily.V6).orElseThrow().name());
    }

    @Test
    void badConfigurationNamesTheFlagAndTheValue() {
        rejects("a=198.18.0.0/24,b=198.18.0.128/25", "", "--cidrPools", "overlapping", "a=198.18.0.0/24",
                "b=198.18.0.128/25");
        rejects("a=2001:db8::/64", "", "--cidrPools", "a=2001:db8::/64");
        rejects("", "a=198.18.0.0/24", "--cidr6Pools", "a=198.18.0.0/24");
        rejects("a=198.18.0.20-198.18.0.10", "", "--cidrPools", "end precedes its start", "198.18.0.20-198.18.0.10");
        rejects("198.18.0.0/24", "", "--cidrPools", "missing name=", "198.18.0.0/24");
        rejects("a=198.18.0.0/33", "", "--cidrPools", "a=198.18.0.0/33");
        rejects("a=198.18.0/24", "", "--cidrPools", "198.18.0");
        rejects("a=198.18.0.255/24", "", "--cidrPools", "no usable address");
        rejects("a=198.18.0.1/32,a=198.18.0.2/32", "", "--cidrPools", "used twice");
        rejects("", "m=::ffff:0:0/96", "--cidr6Pools", "IPv4-mapped");
    }

    @Test
    void addressesFormatCanonically() {
        assertEquals("2001:db8::1:0:0:1", IpAddress.parse("2001:0db8:0:0:1:0:0:1").toString());
        assertEquals("::", IpAddress.parse("::").toString());
        assertEquals("2001:db8:0:1:1:1:1:1", IpAddress.parse("2001:db8:0:1:1:1:1:1").toString());
        assertEquals("198.18.0.255", IpAddress.parse("198.18.0.254").next().toString());
        assertEquals("198.18.1.0", IpAddress.parse("198.18.0.255").next().toString());
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse("1.2.3"));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse("1.2.3.256"));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse("example.com"));
    }
}
