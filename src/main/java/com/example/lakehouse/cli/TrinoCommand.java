package com.example.lakehouse.cli;

import com.example.lakehouse.stack.LocalTrino;
import com.example.lakehouse.trino.TrinoTables;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** The local Trino server over the lakehouse tables. */
@Command(name = "trino", description = "Start, stop or check a local Trino server (delta_lake connector over the table root).")
final class TrinoCommand {
    @ParentCommand
    LakehouseCli cli;

    @Command(name = "start", description = "Start Trino in the background (downloads it from Maven Central the first time)"
            + " and register every table.")
    int start() {
        LocalTrino trino = trino();
        trino.start(cli.config());
        System.out.println("trino running on " + cli.config().trino().host() + ":" + cli.config().trino().port() + " (pid "
                + trino.running().orElseThrow().pid() + ", log " + trino.logFile() + ")");
        return 0;
    }

    @Command(name = "register", description = "Register tables that Spark created since Trino started.")
    int register() {
        System.out.println(TrinoTables.registerAll(cli.config()) + " tables newly registered");
        return 0;
    }

    @Command(name = "stop", description = "Stop Trino.")
    int stop() {
        return JobControlCommands.stop(trino());
    }

    @Command(name = "status", description = "Exit 0 if Trino runs, 3 if not.")
    int status() {
        return JobControlCommands.report(trino());
    }

    private LocalTrino trino() {
        return new LocalTrino(cli.config().storage().runDir());
    }
}
