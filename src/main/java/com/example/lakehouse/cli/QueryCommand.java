package com.example.lakehouse.cli;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.example.lakehouse.trino.QueryResultPrinter;
import com.example.lakehouse.trino.TrinoClient;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Ad-hoc SQL through Trino (trino-jdbc), in the lakehouse catalog and dau schema. */
@Command(name = "query", description = "Run SQL on Trino and print the result as a table (or CSV).")
final class QueryCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS VV");

    @ParentCommand
    LakehouseCli cli;

    @Parameters(paramLabel = "SQL", description = "one statement, e.g. \"SELECT * FROM ads_dau_daily ORDER BY dt\"")
    String sql;

    @Option(names = "--csv", description = "print CSV (with a header row) instead of a table")
    boolean csv;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        try (Connection connection = TrinoClient.connect(cli.config());
             Statement statement = connection.createStatement()) {
            if (!statement.execute(sql)) {
                out.println(statement.getUpdateCount() + " rows");
                return 0;
            }
            try (ResultSet result = statement.getResultSet()) {
                ResultSetMetaData meta = result.getMetaData();
                List<String> header = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    header.add(meta.getColumnLabel(i));
                }
                List<List<String>> rows = new ArrayList<>();
                while (result.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= header.size(); i++) {
                        row.add(text(result, i, meta.getColumnType(i)));
                    }
                    rows.add(row);
                }
                out.print(csv ? QueryResultPrinter.csv(header, rows) : QueryResultPrinter.table(header, rows));
            }
            return 0;
        } catch (SQLException e) {
            System.err.println("lakehouse: " + QueryResultPrinter.describe(e, cli.config()));
            return 1;
        }
    }

    /** Delta timestamps come back in UTC; they are shown in the zone the tables are dated in. */
    private String text(ResultSet result, int column, int type) throws SQLException {
        if (type == Types.TIMESTAMP_WITH_TIMEZONE) {
            ZonedDateTime time = result.getObject(column, ZonedDateTime.class);
            return time == null ? null : TIMESTAMP.format(time.withZoneSameInstant(cli.config().timeZone()));
        }
        return result.getString(column);
    }
}
