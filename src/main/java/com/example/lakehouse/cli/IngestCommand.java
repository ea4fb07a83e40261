package com.example.lakehouse.cli;

import org.apache.spark.sql.streaming.Trigger;

import com.example.lakehouse.job.AppLogIngestJob;
import com.example.lakehouse.job.CdcIngestJob;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "ingest", description = "Streaming ingest from Kafka into the ods tables.")
final class IngestCommand {
    @ParentCommand
    LakehouseCli cli;

    @Command(name = "logs", description = "app_log topic -> ods_app_log (+ ods_rejected). Runs until stopped.")
    int logs(@Option(names = "--available-now", description = "ingest what Kafka holds now, then exit")
             boolean availableNow) throws Exception {
        AppLogIngestJob.run(cli.config(), cli.tables(), trigger(availableNow));
        return 0;
    }

    @Command(name = "cdc", description = "maxwell topic -> ods_maxwell and the source-table mirrors (+ ods_rejected). Runs until stopped.")
    int cdc(@Option(names = "--available-now", description = "ingest what Kafka holds now, then exit")
            boolean availableNow) throws Exception {
        CdcIngestJob.run(cli.config(), cli.tables(), trigger(availableNow));
        return 0;
    }

    /** --available-now drains what Kafka holds and exits; otherwise the configured ingest.trigger. */
    private Trigger trigger(boolean availableNow) {
        return availableNow ? Trigger.AvailableNow() : cli.config().ingest().trigger();
    }
}
