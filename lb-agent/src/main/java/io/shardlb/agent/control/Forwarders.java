package io.shardlb.agent.control;

import io.shardlb.agent.forwarder.Forwarder;
import io.shardlb.agent.proxy.ProxyConfig;
import io.shardlb.agent.proxy.ProxyForwarder;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ServiceLoader;

/**
 * Opens the forwarder the agent was asked for: the proxy is built in; the XDP forwarder is found at run time (a
 * {@link ForwarderProvider} service, else a class {@code io.shardlb.agent.xdp.XdpForwarder} with a public static
 * {@code open(String iface)}), so a build without it says so plainly.
 */
public final class Forwarders {
    static final String XDP_CLASS = "io.shardlb.agent.xdp.XdpForwarder";

    private Forwarders() {
    }

    /** Whether {@code kind} can be opened in this build. */
    public static boolean available(ForwarderKind kind) {
        return kind == ForwarderKind.PROXY || provider(kind) != null || xdpOpener() != null;
    }

    /**
     * A started forwarder of {@code kind} for {@code iface}.
     *
     * @throws IllegalArgumentException if that kind is not available in this build
     */
    public static Forwarder open(ForwarderKind kind, String iface) {
        ForwarderProvider p = provider(kind);
        if (p != null) {
            return p.open(iface);
        }
        if (kind == ForwarderKind.PROXY) {
            return ProxyForwarder.start(ProxyConfig.defaults());
        }
        Method m = xdpOpener();
        if (m == null) {
            throw new IllegalArgumentException("--forwarder xdp is not available in this build (no "
                    + XDP_CLASS + "); use --forwarder proxy for loopback VIPs");
        }
        try {
            return (Forwarder) m.invoke(null, iface);
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("cannot open the xdp forwarder on " + iface + ": " + cause, cause);
        }
    }

    private static ForwarderProvider provider(ForwarderKind kind) {
        for (ForwarderProvider p : ServiceLoader.load(ForwarderProvider.class)) {
            if (p.kind() == kind) {
                return p;
            }
        }
        return null;
    }

    private static Method xdpOpener() {
        try {
            Method m = Class.forName(XDP_CLASS).getMethod("open", String.class);
            return Modifier.isStatic(m.getModifiers()) && Forwarder.class.isAssignableFrom(m.getReturnType())
                    ? m : null;
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
