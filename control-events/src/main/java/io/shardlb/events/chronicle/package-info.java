/** The Chronicle Queue backend of the EventLog SPI: agent journals and offline copies of the log. */
package io.shardlb.events.chronicle;
