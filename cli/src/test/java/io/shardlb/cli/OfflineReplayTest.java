package io.shardlb.cli;

import io.shardlb.events.EventLogs;
import io.shardlb.events.embedded.EmbeddedKafka;
import io.shardlb.events.log.EventLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8's audit story: a log recorded on a broker is exported to a Chronicle journal, the broker is stopped,
 * and {@code replay --verify} and {@code replay --service} give the same answers from the copy.
 */
class OfflineReplayTest {
    @TempDir
    Path tmp;

    @Test
    void anExportedCopyReplaysTheSameWithTheBrokerGone() {
        String copy = "chronicle:" + tmp.resolve("copy");
        RecordedLog.Run verifyLive;
        RecordedLog.Run historyLive;
        try (EmbeddedKafka broker = EmbeddedKafka.startTemporary()) {
            String live = "kafka://" + broker.bootstrap();
            try (EventLog log = EventLogs.open(live)) {
                RecordedLog.record(log);
            }
            verifyLive = RecordedLog.cli("replay", "--verify", "--log", live);
            historyLive = RecordedLog.cli("replay", "--service", RecordedLog.SERVICE, "--log", live);
            RecordedLog.Run export = RecordedLog.cli("log", "export", "--log", live, "--to", copy);
            assertEquals(0, export.exit(), export.out() + export.err());
        }
        assertEquals(0, verifyLive.exit(), verifyLive.out() + verifyLive.err());
        assertTrue(verifyLive.out().startsWith("verified "), verifyLive.out());
        assertFalse(historyLive.out().isBlank());

        RecordedLog.Run verifyCopy = RecordedLog.cli("replay", "--verify", "--log", copy);
        RecordedLog.Run historyCopy = RecordedLog.cli("replay", "--service", RecordedLog.SERVICE, "--log", copy);
        assertEquals(verifyLive.exit(), verifyCopy.exit(), verifyCopy.err());
        assertEquals(verifyLive.out(), verifyCopy.out());
        assertEquals(historyLive.exit(), historyCopy.exit(), historyCopy.err());
        assertEquals(historyLive.out(), historyCopy.out());
    }
}
