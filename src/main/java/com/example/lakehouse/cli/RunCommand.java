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

@Command(name = "run", description = "Build derived tables from sql/ for dates, in one session and in dependency order:"
        + " tables by name, 'dau', 'orders' or 'all'.")
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    LakehouseCli cli;

    @Parameters(paramLabel = "TABLE", arity = "1..*", description = "tables built by SQL, or 'dau', 'orders', 'all'")
    List<String> tables;

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
        Tables catalog = cli.tables();
        Set<TableDef> selected = new LinkedHashSet<>();
        tables.forEach(name -> selected.addAll(switch (name) {
            case "all" -> catalog.builtBySql();
            case "dau" -> catalog.builtBySql(Tables.DAU);
            case "orders" -> catalog.builtBySql(Tables.ORDERS);
            default -> List.of(sqlTable(catalog, name));
        }));
        List<TableDef> targets = List.copyOf(selected);
        LocalDate from = dates.date != null ? dates.date : dates.range.from;
        LocalDate to = dates.date != null ? dates.date : dates.range.to;
        if (to.isBefore(from)) {
            throw new ConfigException("--to " + to + " is before --from " + from);
        }
        Set<TableDef> used = new LinkedHashSet<>(targets);
        targets.forEach(target -> used.addAll(catalog.upstream(target)));
        SparkSession spark = SparkSessions.create(cli.config(), "run " + String.join(" ", tables), used);
        // the DAG's task log shows what moved (each day built again because its inputs changed, and its
        // figures) and the checks that warned
        SqlJob.runRange(spark, cli.config(), catalog, targets, from, to).lines().forEach(System.out::println);
        return 0;
    }

    private static TableDef sqlTable(Tables catalog, String name) {
        TableDef table = catalog.byName(name);
        if (!table.isBuiltBySql()) {
            throw new ConfigException(name + " is written by streaming ingest, not by a SQL job");
        }
        return table;
    }
}
