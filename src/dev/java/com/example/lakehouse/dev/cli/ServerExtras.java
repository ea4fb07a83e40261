package com.example.lakehouse.dev.cli;

import java.time.Duration;
import java.util.List;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.stack.LocalMaxwell;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** What a local server does beside start, stop and status: Maxwell's bootstrap. */
final class ServerExtras {
    private ServerExtras() {
    }

    @Command(name = "bootstrap", description = "Send every existing row of the tables as bootstrap-insert; waits until done.")
    static final class MaxwellBootstrap implements Runnable {
        @ParentCommand
        ServerCommand maxwell;
        @Parameters(paramLabel = "TABLE", arity = "0..*", description = "source tables (default: the catalogue and users)")
        List<String> tables;

        @Override
        public void run() {
            LakehouseConfig config = maxwell.cli.config();
            List<String> chosen = tables == null || tables.isEmpty() ? LocalMaxwell.CATALOGUE_TABLES : tables;
            ((LocalMaxwell) maxwell.local()).bootstrap(config.sourceDb().port(), config.sourceDb().database(), chosen,
                    Duration.ofMinutes(10));
            System.out.println("bootstrapped " + String.join(", ", chosen));
        }
    }
}
