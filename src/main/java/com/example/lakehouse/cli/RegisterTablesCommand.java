package com.example.lakehouse.cli;

import com.example.lakehouse.trino.TrinoTables;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * `lakehouse register-tables`: a Trino knows a Delta table only once it is registered, so a shared Trino (or one
 * started before Spark created some tables) needs this after new tables appear.
 */
@Command(name = "register-tables", description = "Register in Trino (trino.*) each Delta table of the table root that it"
        + " does not know yet, e.g. tables Spark created since Trino started.")
final class RegisterTablesCommand implements Runnable {
    @ParentCommand
    LakehouseCli cli;

    @Override
    public void run() {
        System.out.println(TrinoTables.registerAll(cli.config(), cli.tables()) + " tables newly registered");
    }
}
