package io.shardlb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The chart's Grafana dashboard, parsed: its panels' PromQL expressions and the shardlb metrics they name. */
final class Dashboard {
    static final Path FILE = Path.of("..", "charts", "shardlb", "files", "grafana", "shardlb-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\bshardlb_[a-z0-9_]+");

    private Dashboard() {
    }

    /** Parses the file (a malformed one throws). */
    static JsonNode read() throws IOException {
        return new ObjectMapper().readTree(FILE.toFile());
    }

    /** Every {@code expr} of every panel target, nested rows included. */
    static List<String> expressions(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> out.add(e.asText()));
        return out;
    }

    /** The shardlb metric names (sample names, e.g. {@code …_bucket}) the expressions reference. */
    static Set<String> metrics(JsonNode dashboard) {
        Set<String> names = new TreeSet<>();
        for (String expr : expressions(dashboard)) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }

    /** The sample names in a Prometheus text exposition. */
    static Set<String> sampleNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }
}
