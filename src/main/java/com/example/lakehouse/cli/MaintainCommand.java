package com.example.lakehouse.cli;

import java.util.List;
import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.job.SparkSessions;
import com.example.lakehouse.job.TableMaintenance;
import com.example.lakehouse.table.SessionTables;
import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.Tables;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** OPTIMIZE and VACUUM, for the maintenance DAG and for people. */
@Command(name = "maintain", description = "Compact a table's small files (OPTIMIZE) and delete files no version needs any more (VACUUM).")
final class MaintainCommand implements Callable<Integer> {
    @ParentCommand
    LakehouseCli cli;

    @Parameters(paramLabel = "TABLE", description = "a table, or 'all'")
    String table;

    @Option(names = "--retain-hours", defaultValue = "168",
            description = "VACUUM keeps files younger than this; at least 168, Delta's default (default: ${DEFAULT-VALUE})")
    int retainHours;

    @Option(names = "--skip-vacuum", description = "only OPTIMIZE")
    boolean skipVacuum;

    @Override
    public Integer call() {
        if (retainHours < TableMaintenance.MIN_RETAIN_HOURS) {
            throw new ConfigException("--retain-hours " + retainHours + " is below " + TableMaintenance.MIN_RETAIN_HOURS
                    + ": a running stream, a long query or time travel may still read those files");
        }
        Tables catalog = cli.tables();
        SparkSession spark = SparkSessions.create(cli.config(), "maintain " + table, catalog.all());
        List<TableDef> tables = table.equals("all")
                ? catalog.all().stream().filter(target -> spark.catalog().tableExists(target.qualifiedName())).toList()
                : List.of(catalog.byName(table));
        SessionTables.requireExisting(spark, cli.config().storage().tableRoot(), tables.toArray(TableDef[]::new));
        for (TableDef target : tables) {
            TableMaintenance.optimize(spark, target);
            if (!skipVacuum) {
                TableMaintenance.vacuum(spark, target, retainHours);
            }
        }
        return 0;
    }
}
