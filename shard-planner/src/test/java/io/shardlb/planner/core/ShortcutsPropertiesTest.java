package io.shardlb.planner.core;

import io.shardlb.events.image.Provenance;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.Fact;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shortcuts {@link Planner#step} takes for unchanged Services and endpoint changes decide exactly what the full
 * evaluation decides, and the premise they rest on holds: after every fact, every Service not waiting for an
 * address is a fixed point of {@link ServiceDecider#evaluate}.
 */
class ShortcutsPropertiesTest {

    @Provide
    Arbitrary<List<PlannerPropertiesTest.Action>> actions() {
        return Combinators.combine(Arbitraries.integers().between(0, 15), Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 7)).as(PlannerPropertiesTest.Action::new).list().ofMinSize(1)
                .ofMaxSize(80);
    }

    @Property(tries = 200)
    void shortcutsDecideAsTheFullEvaluation(@ForAll("actions") List<PlannerPropertiesTest.Action> actions,
                                            @ForAll boolean unique) {
        PlannerPropertiesTest.Run run = new PlannerPropertiesTest.Run(unique);
        actions.forEach(run::act);
        // then every Service observed, its endpoints changed, and the same Service observed again
        for (int i = 0; i < 8; i++) {
            run.act(new PlannerPropertiesTest.Action(0, i, i));
            run.act(new PlannerPropertiesTest.Action(5, i, i + 1));
            run.act(new PlannerPropertiesTest.Action(0, i, i));
        }
        PlannerImage image = PlannerImage.EMPTY;
        int[] answered = new int[2]; // how often each shortcut answered: unchanged Service, endpoints
        for (LogEntry e : run.log.events) {
            Fact fact = (Fact) e.envelope().payload();
            PlannerImage was = image;
            if (fact instanceof Fact.ServiceObserved s) {
                answered[0] += compare(image, e, fact, s.service(), w -> Shortcuts.unchangedService(w, was, s));
            } else if (fact instanceof Fact.EndpointsObserved eps) {
                answered[1] += compare(image, e, fact, eps.service(), w -> Shortcuts.endpoints(w, eps, eps.service()));
            }
            image = Planner.step(image, e).next();
            assertFixedPoint(image);
        }
        assertTrue(answered[0] > 0 && answered[1] > 0, "both shortcuts were taken: " + answered[0] + ", "
                + answered[1]);
    }


    private static int compare(PlannerImage image, LogEntry e, Fact fact, String service,
                         Predicate<Work> shortcut) {
        Provenance at = new Provenance(e.offset(), e.logTime());
        Work quick = new Work(image, at);
        Planner.foldFact(quick, e, fact);
        Work full = new Work(image, at);
        Planner.foldFact(full, e, fact);
        ServiceDecider.evaluate(full, service);
        if (shortcut.test(quick)) {
            assertEquals(full.out, quick.out, "same decisions for " + fact);
            assertEquals(full.image(), quick.image(), "same image after " + fact);
            assertEquals(full.freed, quick.freed, "same release for " + fact);
            return 1;
        }
        return 0;
    }

    /** Evaluating any Service that does not wait for an address again decides nothing. */
    private static void assertFixedPoint(PlannerImage image) {
        TreeSet<String> services = new TreeSet<>(image.observed().services().keySet());
        services.addAll(image.book().rules().keySet());
        for (String service : services) {
            if (image.ipam().isPending(service)) {
                continue;
            }
            Work w = new Work(image, image.provenance());
            ServiceDecider.evaluate(w, service);
            assertTrue(w.out.isEmpty(), service + " is not a fixed point: " + w.out + " on " + image);
        }
    }
}
