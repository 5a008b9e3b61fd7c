/** e2e: see DESIGN.md (Modules). */
package io.shardlb.e2e;
