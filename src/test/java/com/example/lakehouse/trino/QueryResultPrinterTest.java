package com.example.lakehouse.trino;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.example.lakehouse.config.LakehouseConfig;

class QueryResultPrinterTest {
    private static final List<String> HEADER = List.of("dt", "tm_name", "gmv");
    private static final List<List<String>> ROWS = List.of(
            List.of("2024-03-01", "Apple, Inc.", "12.30"),
            Arrays.asList("2024-03-02", null, "7.00"));

    @Test
    void alignsColumnsAndShowsNullAndTheRowCount() {
        assertThat(QueryResultPrinter.table(HEADER, ROWS)).isEqualTo("""
                dt         | tm_name     | gmv
                -----------+-------------+------
                2024-03-01 | Apple, Inc. | 12.30
                2024-03-02 | NULL        | 7.00
                (2 rows)
                """);
    }

    @Test
    void writesCsvWithQuotingAndEmptyNulls() {
        assertThat(QueryResultPrinter.csv(HEADER, ROWS)).isEqualTo("""
                dt,tm_name,gmv
                2024-03-01,"Apple, Inc.",12.30
                2024-03-02,,7.00
                """);
    }

    @Test
    void keepsTrinosMessageAndNamesAnUnreachableServer() {
        LakehouseConfig config = LakehouseConfig.defaultConfig().toBuilder().set("trino.host", "h").trinoPort(1).build();
        assertThat(QueryResultPrinter.describe(new SQLException("Query failed (#20240301_1): line 1:1: mismatched input 'SELEC'"), config))
                .isEqualTo("query failed: line 1:1: mismatched input 'SELEC'");
        assertThat(QueryResultPrinter.describe(new SQLException("Error executing query", new ConnectException("Connection refused")), config))
                .isEqualTo("cannot reach Trino at jdbc:trino://h:1/lakehouse/dau (Connection refused); start it with 'bin/lakehouse trino start'");
    }

    @Test
    void aRefusedOrMissingPasswordNamesTheKeysAndNotThePassword() {
        LakehouseConfig https = LakehouseConfig.defaultConfig().toBuilder().set("trino.https", "true").build();
        SQLException refused = new SQLException("Authentication failed: Access Denied: Invalid credentials");
        assertThat(QueryResultPrinter.describe(refused, https.toBuilder().set("trino.password", "pw-9").build()))
                .isEqualTo("Trino refused the password of user 'lakehouse' (trino.password or trino.password-file):"
                        + " Authentication failed: Access Denied: Invalid credentials");
        assertThat(QueryResultPrinter.describe(new SQLException("Authentication failed: Unauthorized"), https))
                .isEqualTo("Trino asks for a password of user 'lakehouse': set trino.password or trino.password-file:"
                        + " Authentication failed: Unauthorized");
    }
}
