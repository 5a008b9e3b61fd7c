package io.shardlb.arbiter;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class LeaseModelCheckTest {

    private static void run(String name, ModelConfig cfg) {
        long t0 = System.nanoTime();
        ModelSearch.Outcome out = new ModelSearch(cfg).run();
        System.out.println(name + ": " + out + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    @Test
    void explore() {
        int b = Integer.getInteger("mc.budget", 2), w = Integer.getInteger("mc.window", 10), h = Integer.getInteger("mc.horizon", 28);
        ModelConfig sound = ModelConfig.sound(b, w, h);
        run("sound", sound);
        run("a", sound.withArbiterMargin(100));
        run("b", sound.withLapseRule(LapseRule.REVIVE_ON_LATE_ACK));
        run("c", sound.withEndOffsetRule(EndOffsetRule.DECIDE_ON_WHAT_WAS_READ));
        run("true", sound.withBounds(b, w, h, false));
    }
}
