/** ha-arbiter: see DESIGN.md (Modules). */
package io.shardlb.arbiter;
