package com.example.lakehouse.cli;

import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.job.SparkSessions;
import com.example.lakehouse.job.SqlJob;
import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.Tables;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "run", description = "Build a derived table from sql/ for dates: one table, 'dau', 'orders' or 'all' (in dependency order).")
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    LakehouseCli cli;

    @Parameters(paramLabel = "TABLE", description = "a table built by SQL, or 'dau', 'orders', 'all'")
    String table;

    @ArgGroup(multiplicity = "1")
    Dates dates;

    static final class Dates {
        @Option(names = "--date", description = "one event date, yyyy-MM-dd")
        LocalDate date;
        @ArgGroup(exclusive = false)
        Range range;
    }

    static final class Range {
        @Option(names = "--from", required = true, description = "first date of a backfill")
        LocalDate from;
        @Option(names = "--to", required = true, description = "last date of a backfill (inclusive)")
        LocalDate to;
    }

    @Override
    public Integer call() {
        List<TableDef> targets = switch (table) {
            case "all" -> Tables.builtBySql();
            case "dau" -> Tables.builtBySql(Tables.DAU);
            case "orders" -> Tables.builtBySql(Tables.ORDERS);
            default -> List.of(sqlTable(table));
        };
        LocalDate from = dates.date != null ? dates.date : dates.range.from;
        LocalDate to = dates.date != null ? dates.date : dates.range.to;
        if (to.isBefore(from)) {
            throw new ConfigException("--to " + to + " is before --from " + from);
        }
        Set<TableDef> used = new LinkedHashSet<>(targets);
        targets.forEach(target -> used.addAll(Tables.upstream(target)));
        SparkSession spark = SparkSessions.create(cli.config(), "run " + table, used);
        SqlJob.runRange(spark, cli.config(), targets, from, to);
        return 0;
    }

    private static TableDef sqlTable(String name) {
        TableDef table = Tables.byName(name);
        if (!table.isBuiltBySql()) {
            throw new ConfigException(name + " is written by streaming ingest, not by a SQL job");
        }
        return table;
    }
}
