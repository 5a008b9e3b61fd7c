/** Stage images, chunked onto the compacted snapshots topic and read back whole. */
package io.shardlb.events.snapshot;
