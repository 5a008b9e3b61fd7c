package io.shardlb.planner.stage;

import io.shardlb.events.kafka.KafkaEventLog;
import io.shardlb.events.log.LogOptions;

import java.time.Duration;

/**
 * The planner process of the kill test: prints {@code STARTED}, activates a {@link PlannerStage} on the log
 * ({@code ACTIVE}), answers facts ({@code ANSWERED} after its first batch, or once caught up) until it is killed ({@code kill -9} by the parent) or stopped (exit 3).
 * Args: bootstrap topicPrefix snapshotEveryFacts.
 */
public final class PlannerStageMain {
    private PlannerStageMain() {
    }

    public static void main(String[] args) {
        System.out.println("STARTED");
        System.out.flush();
        KafkaEventLog log = new KafkaEventLog(args[0], LogOptions.defaults().withTopicPrefix(args[1]));
        PlannerStage.Options options = new PlannerStage.Options(Integer.parseInt(args[2]), Duration.ofMillis(50));
        try (PlannerStage stage = new PlannerStage(log, new LogSnapshotStore(log), options)) {
            stage.activate();
            System.out.println("ACTIVE " + stage.answered());
            System.out.flush();
            boolean told = false;
            while (true) {
                int n = stage.doWork();
                if (!told && (n == 0 || !stage.lastAppended().isEmpty())) { // a first batch out, or caught up
                    System.out.println("ANSWERED " + stage.answered());
                    System.out.flush();
                    told = true;
                }
            }
        } catch (StageStoppedException e) {
            System.out.println("STOPPED " + e.getMessage());
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
    }
}
