package io.shardlb.cli;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code kafka-acls.sh --add} lines of the chart README's "Kafka ACLs" section, read as the documentation
 * states them and turned into the {@link AclBinding}s {@code kafka-acls.sh} would create: what the tests apply is
 * exactly what a user is told to run.
 */
final class AclCommands {
    static final Path README = Path.of("..", "charts", "shardlb", "README.md");

    private AclCommands() {
    }

    /** The command lines (after {@code $A}) of the block following the {@code acl-commands} marker. */
    static List<String> documented() throws IOException {
        List<String> lines = Files.readAllLines(README);
        int marker = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("acl-commands:")) {
                marker = i;
            }
        }
        if (marker < 0) {
            throw new IllegalStateException("no acl-commands marker in " + README);
        }
        List<String> out = new ArrayList<>();
        for (int i = marker + 2; !lines.get(i).startsWith("```"); i++) {
            if (lines.get(i).startsWith("$A ")) {
                out.add(lines.get(i).substring(3).strip());
            }
        }
        return out;
    }

    /** The bindings one {@code --add} line creates: one per operation. */
    static List<AclBinding> parse(String line) {
        String[] t = line.split("\\s+");
        String principal = null;
        ResourceType type = null;
        String name = null;
        PatternType pattern = PatternType.LITERAL;
        List<AclOperation> ops = new ArrayList<>();
        for (int i = 0; i < t.length; i++) {
            switch (t[i]) {
                case "--add" -> { }
                case "--allow-principal" -> principal = t[++i];
                case "--operation" -> ops.add(operation(t[++i]));
                case "--topic" -> { type = ResourceType.TOPIC; name = t[++i]; }
                case "--transactional-id" -> { type = ResourceType.TRANSACTIONAL_ID; name = t[++i]; }
                case "--group" -> { type = ResourceType.GROUP; name = t[++i]; }
                case "--resource-pattern-type" -> pattern = PatternType.fromString(t[++i].toUpperCase(Locale.ROOT));
                default -> throw new IllegalArgumentException("unexpected token " + t[i] + " in: " + line);
            }
        }
        if (principal == null || type == null || ops.isEmpty()) {
            throw new IllegalArgumentException("incomplete ACL command: " + line);
        }
        ResourcePattern resource = new ResourcePattern(type, name, pattern);
        String p = principal;
        return ops.stream().map(op -> new AclBinding(resource,
                new AccessControlEntry(p, "*", op, AclPermissionType.ALLOW))).toList();
    }

    /** Every binding the documentation creates. */
    static List<AclBinding> bindings() throws IOException {
        return documented().stream().flatMap(l -> parse(l).stream()).toList();
    }

    private static AclOperation operation(String camel) {
        // kafka-acls.sh spells operations in CamelCase (Describe, IdempotentWrite); the enum in UPPER_SNAKE
        String snake = camel.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        return AclOperation.valueOf(snake);
    }
}
