package com.example.lakehouse.cli;

import static org.apache.spark.sql.functions.max;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;

import com.example.lakehouse.job.SparkSessions;
import com.example.lakehouse.report.DauDashboard;
import com.example.lakehouse.table.TableCatalog;
import com.example.lakehouse.table.Tables;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Writes the DAU dashboard page from ads_dau_hourly and ads_dau_daily. */
@Command(name = "dashboard", description = "Write the DAU dashboard (one HTML file: today vs yesterday by hour, last 30 days).")
final class DashboardCommand implements Callable<Integer> {
    @ParentCommand
    LakehouseCli cli;

    @Option(names = "--date", description = "the day shown as today, yyyy-MM-dd (default: the latest day in ads_dau_daily)")
    LocalDate date;

    @Option(names = "--out", defaultValue = "reports/dau-dashboard.html", description = "output file (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws IOException {
        SparkSession spark = SparkSessions.create(cli.config(), "dashboard");
        TableCatalog.requireExisting(spark, cli.config().storage().tableRoot(), Tables.ADS_DAU_HOURLY, Tables.ADS_DAU_DAILY);
        if (date == null) {
            java.sql.Date latest = spark.table(Tables.ADS_DAU_DAILY.name()).agg(max("dt")).first().getDate(0);
            if (latest == null) {
                throw new IllegalStateException(Tables.ADS_DAU_DAILY.name() + " has no day yet; run the DAU jobs first");
            }
            date = latest.toLocalDate();
        }
        List<DauDashboard.Hour> hours = spark.table(Tables.ADS_DAU_HOURLY.name())
                .where("dt = DATE'" + date + "'").orderBy("hour").collectAsList().stream()
                .map(row -> new DauDashboard.Hour(row.<Integer>getAs("hour"), row.<Long>getAs("cumulative_dau"),
                        row.<Long>getAs("yesterday_cumulative_dau")))
                .toList();
        List<DauDashboard.Day> days = spark.table(Tables.ADS_DAU_DAILY.name())
                .where("dt BETWEEN DATE'" + date.minusDays(29) + "' AND DATE'" + date + "'").orderBy("dt").collectAsList().stream()
                .map(row -> new DauDashboard.Day(row.<java.sql.Date>getAs("dt").toLocalDate(), row.<Long>getAs("dau")))
                .toList();
        Path target = out.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Files.writeString(target, DauDashboard.render(date, hours, days));
        System.out.println("dashboard for " + date + " written to " + target);
        return 0;
    }
}
