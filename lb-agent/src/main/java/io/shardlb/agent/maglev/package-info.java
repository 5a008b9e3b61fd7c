/** Consistent hashing as a pure function: {@link io.shardlb.agent.maglev.MaglevHash}, stable hashes. */
package io.shardlb.agent.maglev;
