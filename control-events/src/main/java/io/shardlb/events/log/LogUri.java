package io.shardlb.events.log;

import java.util.Arrays;
import java.util.List;

/**
 * Where a log lives, parsed from the {@code --log} form. Supported: {@code kafka://host:port[,host:port…]} and
 * {@code chronicle:DIR}.
 * To add a backend, add a record here, a case in {@link #parse}, and a case in
 * {@code io.shardlb.events.EventLogs#open}.
 */
public sealed interface LogUri {

    /** The URI as given. */
    String text();

    /** A Kafka cluster. */
    record Kafka(String text, List<String> bootstrapServers) implements LogUri {
        public Kafka {
            bootstrapServers = List.copyOf(bootstrapServers);
        }

        /** The bootstrap servers as Kafka clients take them: {@code host:port,host:port}. */
        public String bootstrap() {
            return String.join(",", bootstrapServers);
        }
    }

    /** A Chronicle Queue journal directory on this host ({@code chronicle:DIR}). */
    record Chronicle(String text, java.nio.file.Path dir) implements LogUri {
    }

    /**
     * Parses a log URI.
     *
     * @throws IllegalArgumentException naming the URI and what is wrong with it
     */
    static LogUri parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("log URI is empty (expected kafka://HOST:PORT[,HOST:PORT] or chronicle:DIR)");
        }
        int colon = uri.indexOf(':');
        String scheme = colon < 0 ? "" : uri.substring(0, colon);
        return switch (scheme) {
            case "kafka" -> parseKafka(uri);
            case "chronicle" -> {
                String dir = uri.substring(colon + 1);
                if (dir.startsWith("//")) {
                    dir = dir.substring(2);
                }
                if (dir.isBlank()) {
                    throw new IllegalArgumentException("bad chronicle log URI: " + uri + " (expected chronicle:DIR)");
                }
                yield new Chronicle(uri, java.nio.file.Path.of(dir));
            }
            default -> throw new IllegalArgumentException("unsupported log scheme: " + uri
                    + " (expected kafka://HOST:PORT[,HOST:PORT] or chronicle:DIR)");
        };
    }

    private static Kafka parseKafka(String uri) {
        String prefix = "kafka://";
        if (!uri.startsWith(prefix) || uri.length() == prefix.length()) {
            throw new IllegalArgumentException("bad kafka log URI: " + uri + " (expected kafka://HOST:PORT[,HOST:PORT])");
        }
        String rest = uri.substring(prefix.length());
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        List<String> servers = Arrays.stream(rest.split(",")).map(String::trim).toList();
        for (String s : servers) {
            int c = s.lastIndexOf(':');
            if (c <= 0 || c == s.length() - 1) {
                throw new IllegalArgumentException("bad kafka log URI: " + uri + ": '" + s + "' is not HOST:PORT");
            }
            int port;
            try {
                port = Integer.parseInt(s.substring(c + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad kafka log URI: " + uri + ": bad port in '" + s + "'");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("bad kafka log URI: " + uri + ": port out of range in '" + s + "'");
            }
        }
        return new Kafka(uri, servers);
    }
}
