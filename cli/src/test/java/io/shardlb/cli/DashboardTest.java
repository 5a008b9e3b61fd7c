package io.shardlb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard parses, has the three views the issue asks for, and is importable (unique panel ids, every query
 * on the datasource variable). That its metrics exist in real scrapes is checked in {@link MetricsScrapeTest}.
 */
class DashboardTest {
    @Test
    void parsesAndShowsShardMapFailoversAndLeaseMargins() throws Exception {
        JsonNode d = Dashboard.read();
        assertEquals("shardlb-overview", d.get("uid").asText());
        Set<Integer> ids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        for (JsonNode p : d.get("panels")) {
            assertTrue(ids.add(p.get("id").asInt()), "duplicate panel id " + p.get("id"));
            titles.add(p.get("title").asText());
            for (JsonNode t : p.path("targets")) {
                assertEquals("${datasource}", t.get("datasource").get("uid").asText(), p.get("title").asText());
            }
        }
        assertTrue(titles.stream().anyMatch(t -> t.startsWith("Shard map")), titles.toString());
        assertTrue(titles.stream().anyMatch(t -> t.startsWith("Failovers")), titles.toString());
        assertTrue(titles.stream().anyMatch(t -> t.startsWith("Lease time left")), titles.toString());
        assertFalse(Dashboard.metrics(d).isEmpty());
        Set<String> named = new HashSet<>(MetricsScrapeTest.CONTROLLER_METRICS);
        named.addAll(MetricsScrapeTest.AGENT_METRICS);
        for (String m : Dashboard.metrics(d)) {
            assertTrue(named.contains(m) || named.contains(m.replaceAll("_(bucket|sum|count)$", "_bucket")),
                    m + " is not among the metrics the scrape test asserts");
        }
    }
}
