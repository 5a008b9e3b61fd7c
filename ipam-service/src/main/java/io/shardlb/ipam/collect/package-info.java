/** Persistent (structurally shared, immutable) collections backing the IPAM image. */
package io.shardlb.ipam.collect;
