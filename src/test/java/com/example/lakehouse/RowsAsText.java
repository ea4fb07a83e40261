package com.example.lakehouse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.spark.sql.Row;

/**
 * Query results as comparable lines of text, "a | b | c" with null as "null": one format for Spark rows
 * and for JDBC results (MariaDB, Trino), so tests compare one engine's answer with another's.
 */
public final class RowsAsText {
    private RowsAsText() {
    }

    public static List<String> of(List<Row> rows) {
        return rows.stream()
                .map(row -> IntStream.range(0, row.size()).mapToObj(i -> String.valueOf(row.get(i)))
                        .collect(Collectors.joining(" | ")))
                .toList();
    }

    public static List<String> of(Connection connection, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            int width = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= width; i++) {
                    values.add(String.valueOf(rows.getString(i)));
                }
                lines.add(String.join(" | ", values));
            }
        }
        return lines;
    }
}
