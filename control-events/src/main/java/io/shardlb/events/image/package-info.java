/**
 * Image/Delta replay (after Kafka KRaft's metadata images): immutable images with provenance, deltas that
 * replay records, snapshots that let a restart replay snapshot + tail instead of the whole history.
 */
package io.shardlb.events.image;
