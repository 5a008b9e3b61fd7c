package io.shardlb.agent.control;

import io.shardlb.arbiter.LeaseSettings;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * An agent's configuration, validated once at start; every error names the flag and the value.
 *
 * @param name         agent name (the pod name in Kubernetes): letters, digits, '.', '_' and '-'
 * @param logUri       the log ({@code kafka://HOST:PORT[,…]})
 * @param topicPrefix  prefix of the log's topic names
 * @param iface        the network interface the forwarder serves (reported as the device of claimed VIPs)
 * @param forwarder    which datapath
 * @param apiHost      address the read-only API binds to (the pod address; never the wildcard)
 * @param apiPort      API port (0: any free port)
 * @param journalDir   the local Chronicle journal of the applied plan
 * @param drainTimeout how long a draining agent waits for its instances to be handed over
 * @param lease        beat interval, lease and margin
 */
public record AgentConfig(String name, String logUri, String topicPrefix, String iface, ForwarderKind forwarder,
                          String apiHost, int apiPort, Path journalDir, Duration drainTimeout, LeaseSettings lease) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");
    private static final Pattern IFACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,14}");

    public AgentConfig {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("--name must be letters, digits, '.', '_' or '-': name=" + name);
        }
        if (logUri == null || !logUri.startsWith("kafka://") || logUri.length() == "kafka://".length()) {
            throw new IllegalArgumentException("--log must be kafka://HOST:PORT[,HOST:PORT…]: log=" + logUri);
        }
        if (topicPrefix == null) {
            throw new IllegalArgumentException("--topicPrefix must not be null");
        }
        if (iface == null || !IFACE.matcher(iface).matches()) {
            throw new IllegalArgumentException("--interface must be an interface name: interface=" + iface);
        }
        if (forwarder == null) {
            throw new IllegalArgumentException("--forwarder must be xdp or proxy: forwarder=null");
        }
        checkHost(apiHost);
        if (apiPort < 0 || apiPort > 65535) {
            throw new IllegalArgumentException("--apiPort out of range: apiPort=" + apiPort);
        }
        if (journalDir == null) {
            throw new IllegalArgumentException("--journal must name a directory: journal=null");
        }
        if (drainTimeout == null || drainTimeout.isNegative()) {
            throw new IllegalArgumentException("--drainTimeout must not be negative: drainTimeout=" + drainTimeout);
        }
        if (lease == null) {
            throw new IllegalArgumentException("lease settings missing");
        }
    }

    private static void checkHost(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--apiHost must be an address: apiHost=" + host);
        }
        try {
            InetAddress a = InetAddress.getByName(host);
            if (a.isAnyLocalAddress()) {
                throw new IllegalArgumentException("--apiHost must be the pod address, not the wildcard: apiHost="
                        + host);
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--apiHost does not resolve: apiHost=" + host);
        }
    }

    /** Parses a duration flag: {@code 30s}, {@code 500ms}, {@code 2m} or ISO-8601 ({@code PT30S}). */
    public static Duration parseDuration(String flag, String value) {
        String v = value == null ? "" : value.trim();
        try {
            if (v.startsWith("P") || v.startsWith("p")) {
                return Duration.parse(v);
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
        } catch (RuntimeException e) {
            // fall through to the error naming the flag
        }
        throw new IllegalArgumentException(flag + " must be a duration like 30s, 500ms or 2m: " + flag.substring(2)
                + "=" + value);
    }
}
