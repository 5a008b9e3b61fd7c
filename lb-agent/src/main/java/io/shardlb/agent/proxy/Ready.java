package io.shardlb.agent.proxy;

import java.io.IOException;
import java.nio.channels.SelectionKey;

/** What a selection key of the proxy loop is attached to. */
interface Ready {
    /** The key is ready; {@code now} is the loop's clock reading for this cycle. */
    void onReady(SelectionKey key, long now) throws IOException;
}
