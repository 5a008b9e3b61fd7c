package io.shardlb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code shardlb get ha|ip|lb}: one agent's view, from its read-only API, printed as loxicmd prints it (tables, or
 * loxilb's JSON with {@code -o json}); {@code shardlb get shards|svc}: the cluster-wide view folded from the plan.
 */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Show HA state, VIPs, rules, shards, Services.",
        subcommands = {GetCommand.Ha.class, GetCommand.Ip.class, GetCommand.Lb.class, PlanViews.Shards.class,
                PlanViews.Svc.class})
public final class GetCommand implements Runnable {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "get what? ha, ip, lb, shards or svc");
    }

    /** {@code --agent URL -o FORMAT}, shared by the per-agent views. */
    abstract static class AgentView implements Runnable {
        @Option(names = "--agent", paramLabel = "URL", defaultValue = "http://127.0.0.1:11111",
                description = "the agent's API (default ${DEFAULT-VALUE})")
        String agent;
        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or wide")
        String output;
        @Spec
        CommandSpec spec;

        abstract String path();

        abstract void table(JsonNode body, boolean wide, PrintWriter out);

        @Override
        public void run() {
            String format = output.toLowerCase(Locale.ROOT);
            if (!List.of("table", "json", "wide").contains(format)) {
                throw new UserError("-o must be table, json or wide: o=" + output);
            }
            JsonNode body = fetch(agent, path());
            PrintWriter out = spec.commandLine().getOut();
            if (format.equals("json")) {
                try {
                    out.println(JSON.writeValueAsString(body));
                } catch (IOException e) {
                    throw new UserError("cannot print the answer: " + e.getMessage());
                }
                out.flush();
            } else {
                table(body, format.equals("wide"), out);
            }
        }
    }

    static JsonNode fetch(String agent, String path) {
        URI uri;
        try {
            uri = URI.create(agent.replaceAll("/+$", "") + path);
        } catch (IllegalArgumentException e) {
            throw new UserError("--agent is not a URL: agent=" + agent);
        }
        try (HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new UserError(uri + " answered " + r.statusCode() + ": " + r.body().strip());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UserError("cannot reach the agent at " + uri + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        }
    }

    /** {@code get ha}: INSTANCE | HASTATE. */
    @Command(name = "ha", mixinStandardHelpOptions = true, description = "MASTER/BACKUP of each instance on an agent")
    static final class Ha extends AgentView {
        @Override
        String path() {
            return "/v1/ha";
        }

        @Override
        void table(JsonNode body, boolean wide, PrintWriter out) {
            List<JsonNode> rows = sorted(body.path("Attr"), "instance");
            Table t = wide ? new Table("INSTANCE", "HASTATE", "TERM", "VIP") : new Table("INSTANCE", "HASTATE");
            for (JsonNode n : rows) {
                if (wide) {
                    t.row(n.path("instance").asText(), n.path("state").asText(), n.path("sync").asLong(),
                            n.path("vip").asText());
                } else {
                    t.row(n.path("instance").asText(), n.path("state").asText());
                }
            }
            t.print(out);
        }
    }

    /** {@code get ip}: DEVICE NAME | IP ADDRESS. */
    @Command(name = "ip", mixinStandardHelpOptions = true, description = "VIPs an agent answers for now")
    static final class Ip extends AgentView {
        @Override
        String path() {
            return "/v1/ip";
        }

        @Override
        void table(JsonNode body, boolean wide, PrintWriter out) {
            Table t = new Table("DEVICE NAME", "IP ADDRESS");
            for (JsonNode dev : body.path("ipAttr")) {
                List<String> ips = new ArrayList<>();
                dev.path("ipAddress").forEach(a -> ips.add(a.asText()));
                t.row(dev.path("dev").asText(), String.join(",", ips));
            }
            t.print(out);
        }
    }

    /** {@code get lb}: one row per rule, or per endpoint with {@code -o wide}. */
    @Command(name = "lb", mixinStandardHelpOptions = true, description = "load-balancing rules on an agent")
    static final class Lb extends AgentView {
        @Override
        String path() {
            return "/v1/lb";
        }

        @Override
        void table(JsonNode body, boolean wide, PrintWriter out) {
            Table t = wide
                    ? new Table("EXT IP", "PORT", "PROTO", "NAME", "MARK", "SEL", "MODE", "ENDPOINT", "EPORT",
                            "WEIGHT", "STATE", "COUNTERS")
                    : new Table("EXT IP", "PORT", "PROTO", "NAME", "MARK", "SEL", "MODE", "# OF ENDPOINTS", "TIMEOUT",
                            "MONITOR");
            for (JsonNode rule : body.path("lbAttr")) {
                JsonNode a = rule.path("serviceArguments");
                Object[] head = {a.path("externalIP").asText(), a.path("port").asInt(), a.path("protocol").asText(),
                    a.path("name").asText(), a.path("mark").asInt(), a.path("sel").asText(), a.path("mode").asText()};
                if (!wide) {
                    t.row(concat(head, rule.path("endpoints").size(), a.path("inactiveTimeOut").asInt(),
                            a.path("monitor").asText()));
                    continue;
                }
                for (JsonNode e : rule.path("endpoints")) {
                    t.row(concat(head, e.path("endpointIP").asText(), e.path("targetPort").asInt(),
                            e.path("weight").asInt(), e.path("state").asText(), e.path("counter").asText()));
                }
            }
            t.print(out);
        }

        private static Object[] concat(Object[] head, Object... tail) {
            Object[] all = new Object[head.length + tail.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(tail, 0, all, head.length, tail.length);
            return all;
        }
    }

    /** Prints the {@code get ha} table of the agent whose API is at {@code agentUrl} (local mode shows three). */
    public static void printHa(String agentUrl, PrintWriter out) {
        new Ha().table(fetch(agentUrl, "/v1/ha"), false, out);
        out.flush();
    }

    static List<JsonNode> sorted(JsonNode array, String field) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        out.sort(Comparator.comparing(n -> n.path(field).asText()));
        return out;
    }
}
