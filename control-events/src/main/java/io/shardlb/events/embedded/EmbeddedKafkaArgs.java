package io.shardlb.events.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The command line of {@link EmbeddedKafka#main}, parsed and validated once. */
record EmbeddedKafkaArgs(Path dataDir, NodeLayout layout, Map<String, String> overrides, boolean exitOnStdinEof) {

    static final String USAGE = "usage: EmbeddedKafka --data-dir DIR [--node-id N --quorum id:bport:cport,... "
            + "--cluster-id ID] [--set key=value]... [--exit-on-stdin-eof]";

    static EmbeddedKafkaArgs parse(String[] args) {
        Path dataDir = null;
        Integer nodeId = null;
        List<NodeSpec> quorum = null;
        String clusterId = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        boolean exitOnEof = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, a));
                case "--node-id" -> nodeId = Integer.parseInt(value(args, ++i, a));
                case "--quorum" -> quorum = NodeSpec.parseList(value(args, ++i, a));
                case "--cluster-id" -> clusterId = value(args, ++i, a);
                case "--set" -> {
                    String kv = value(args, ++i, a);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--set needs key=value: " + kv);
                    }
                    overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                case "--exit-on-stdin-eof" -> exitOnEof = true;
                default -> throw new IllegalArgumentException("unknown argument: " + a);
            }
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("--data-dir is required");
        }
        NodeLayout layout;
        if (quorum == null) {
            layout = NodeLayout.single(dataDir);
        } else {
            if (nodeId == null || clusterId == null) {
                throw new IllegalArgumentException("--quorum needs --node-id and --cluster-id");
            }
            int id = nodeId;
            NodeSpec self = quorum.stream().filter(n -> n.nodeId() == id).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("--node-id " + id + " is not in --quorum"));
            layout = new NodeLayout(self, quorum, clusterId);
        }
        return new EmbeddedKafkaArgs(dataDir, layout, Map.copyOf(overrides), exitOnEof);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }
}
