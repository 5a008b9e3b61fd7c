/** shard-planner: see DESIGN.md (Modules). */
package io.shardlb.planner;
