/** The record schema: sealed payload hierarchies per topic, the envelope, and the one JSON codec. */
package io.shardlb.events.schema;
