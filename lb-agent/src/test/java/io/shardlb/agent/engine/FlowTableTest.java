package io.shardlb.agent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The table against a plain HashMap model through random inserts and removals (entries move on removal). */
class FlowTableTest {
    private record Key(int clientIp, int clientPort, int epPort) {
    }

    @Test
    void matchesAModelThroughChurn() {
        Random rnd = new Random(11);
        try (FlowTable t = new FlowTable(256)) {
            Map<Key, Integer> model = new HashMap<>();
            List<Key> live = new ArrayList<>();
            for (int step = 0; step < 200_000; step++) {
                boolean add = live.isEmpty() || (t.hasRoom() && rnd.nextInt(100) < 55);
                if (add) {
                    int ip = rnd.nextInt(64);
                    int port = rnd.nextInt(64);
                    Key k = new Key(ip, port, 1000 + ip * 64 + port);
                    if (model.containsKey(k)) {
                        continue;
                    }
                    int id = t.insert(6, k.clientIp, k.clientPort, 99, 80);
                    t.putInt(id, FlowTable.EP_IP_OFFSET, 7);
                    t.putPort(id, FlowTable.EP_PORT_OFFSET, 8080);
                    t.putInt(id, FlowTable.NAT_IP_OFFSET, 5);
                    t.putPort(id, FlowTable.NAT_PORT_OFFSET, k.epPort);
                    t.indexReverse(id);
                    model.put(k, step);
                    live.add(k);
                } else {
                    Key k = live.remove(rnd.nextInt(live.size()));
                    model.remove(k);
                    int id = t.findForward(6, k.clientIp, k.clientPort, 99, 80);
                    assertTrue(id >= 0);
                    t.remove(id);
                    assertEquals(-1, t.findForward(6, k.clientIp, k.clientPort, 99, 80));
                }
                if (step % 97 == 0) {
                    for (Key k : live) {
                        int f = t.findForward(6, k.clientIp, k.clientPort, 99, 80);
                        assertTrue(f >= 0, "forward lookup of a live flow");
                        assertEquals(f, t.findReverse(6, 7, 8080, 5, k.epPort), "reverse finds the same entry");
                    }
                }
                assertEquals(model.size(), t.size());
            }
            assertFalse(live.isEmpty());
        }
    }
}
