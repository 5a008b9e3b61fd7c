/** lb-agent: see DESIGN.md (Modules). */
package io.shardlb.agent;
