/** bench: see DESIGN.md (Modules). */
package io.shardlb.bench;
