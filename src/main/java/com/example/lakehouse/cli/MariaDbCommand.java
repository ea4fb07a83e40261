package com.example.lakehouse.cli;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.stack.LocalMariaDb;
import com.example.lakehouse.stack.LocalServer;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** The local source database, on source.db.port, with the gmall schema and Maxwell's user. */
@Command(name = "mariadb", description = "Start, stop or check the local MariaDB source database (127.0.0.1, binlog for Maxwell).")
final class MariaDbCommand {
    @ParentCommand
    LakehouseCli cli;

    @Command(name = "start", description = "Start MariaDB in the background and create the source schema (sql/source/gmall.sql).")
    int start() {
        LakehouseConfig config = cli.config();
        requireLocal(config);
        LocalMariaDb db = new LocalMariaDb(config.storage().runDir());
        db.start(config.sourceDb().port(), config.sourceDb().database());
        System.out.println("mariadb running on 127.0.0.1:" + config.sourceDb().port() + " (pid "
                + db.running().orElseThrow().pid() + ", log " + db.logFile() + ")");
        return 0;
    }

    @Command(name = "stop", description = "Stop MariaDB.")
    int stop() {
        return JobControlCommands.stop(new LocalMariaDb(cli.config().storage().runDir()));
    }

    @Command(name = "status", description = "Exit 0 if MariaDB runs, 3 if not.")
    int status() {
        return JobControlCommands.report(new LocalMariaDb(cli.config().storage().runDir()));
    }

    static void requireLocal(LakehouseConfig config) {
        if (!LocalServer.isLocalHost(config.sourceDb().host())) {
            throw new ConfigException("the local MariaDB and Maxwell run on 127.0.0.1, but source.db.host is '"
                    + config.sourceDb().host() + "'");
        }
    }
}
