/** Persistent collections the images of several modules share (this module depends on nothing of ours). */
package io.shardlb.events.collect;
