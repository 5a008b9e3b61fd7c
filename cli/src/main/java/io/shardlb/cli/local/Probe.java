package io.shardlb.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Looks at the running parts from outside (their HTTP APIs) and waits, bounded, for what start-up promises. */
final class Probe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Probe() {
    }

    /** The body of a 200 answer to GET {@code url}, or null (not up yet, or an error). */
    static String get(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The instances an agent's {@code /v1/ha} says it is MASTER of (empty when it does not answer). */
    static List<String> mastered(String agentApi) {
        String body = get(agentApi + "/v1/ha");
        List<String> out = new ArrayList<>();
        if (body == null) {
            return out;
        }
        try {
            for (JsonNode n : JSON.readTree(body).path("Attr")) {
                if ("MASTER".equals(n.path("state").asText())) {
                    out.add(n.path("instance").asText());
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }

    /** Waits until {@code done} holds, checking every 200 ms; throws naming {@code what} after {@code limit}. */
    static void await(String what, Duration limit, BooleanSupplier done) {
        long end = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new IllegalStateException("timed out after " + limit + " waiting for " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }
}
