package com.example.lakehouse.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.example.lakehouse.RowsAsText;
import com.example.lakehouse.SparkTestBase;
import com.example.lakehouse.cli.CliRun;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.generate.AppLogGenerator;
import com.example.lakehouse.dev.generate.GeneratedMessage;
import com.example.lakehouse.dev.stack.LocalStack;
import com.example.lakehouse.trino.TrinoClient;

/**
 * A real Trino server reads the Delta tables Spark wrote: DAU and GMV through Trino equal Spark's, and
 * `lakehouse query` prints results and Trino's own error message for bad SQL.
 */
class TrinoIT extends SparkTestBase {
    private static final LocalDate FIRST_DAY = LocalDate.of(2024, 3, 1);
    private static LocalStack servers;
    private static LakehouseConfig trinoConfig;
    private static Path configFile;

    @BeforeAll
    static void buildTablesAndStartTrino() throws Exception {
        List<GeneratedMessage> logs = AppLogGenerator.generate(new AppLogGenerator.Settings(
                50, 2, FIRST_DAY, ZoneId.of("Asia/Shanghai"), 3, 0.2, 0.05, 0.02));
        AppLogIngestJob.intoDelta(spark, config, tables).writeBoth(kafkaRecords(0, logs.stream()
                .map(message -> new String(message.value(), StandardCharsets.UTF_8)).toList()));
        CdcIngestTest.ingest(spark, config, kafkaRecords(0, OrderJobsTest.smallShop()));
        SqlJob.runRange(spark, config, tables, tables.builtBySql(), FIRST_DAY, FIRST_DAY.plusDays(1));

        servers = new LocalStack(workDir.resolve("run"), config).startTrino();
        trinoConfig = servers.config();
        configFile = workDir.resolve("trino-test.properties");
        trinoConfig.writeTo(configFile);
    }

    @AfterAll
    static void stopTrino() {
        servers.close();
    }

    @Test
    void dauAndGmvReadThroughTrinoEqualSpark() throws SQLException {
        assertThat(trinoRows("SELECT CAST(dt AS varchar), dau, new_device_dau FROM ads_dau_daily"))
                .containsExactlyInAnyOrderElementsOf(sparkRows("SELECT CAST(dt AS string), dau, new_device_dau FROM ads_dau_daily"))
                .hasSize(2);
        assertThat(trinoRows("SELECT CAST(dt AS varchar), order_count, CAST(gmv AS varchar) FROM ads_order_daily"))
                .containsExactlyInAnyOrderElementsOf(sparkRows("SELECT CAST(dt AS string), order_count, CAST(gmv AS string) FROM ads_order_daily"))
                .contains("2024-03-01 | 2 | 15.00");
        assertThat(trinoRows("SELECT order_detail_id, CAST(split_total_amount AS varchar), tm_name FROM dwd_order_wide"))
                .containsExactlyInAnyOrderElementsOf(sparkRows("SELECT order_detail_id, CAST(split_total_amount AS string), tm_name FROM dwd_order_wide"));
    }

    @Test
    void queryCommandPrintsATableOrCsvAndTrinosMessageForBadSql() {
        CliRun table = cli("query", "SELECT dt, dau FROM ads_dau_daily ORDER BY dt");
        assertThat(table.exitCode()).isZero();
        assertThat(table.out()).contains("dt         | dau").contains("(2 rows)");
        CliRun csv = cli("query", "--csv", "SELECT order_id, if_first_order FROM dwd_order_info ORDER BY order_id");
        assertThat(csv.out().lines()).containsExactly("order_id,if_first_order", "1,false", "2,true", "3,true", "4,false", "6,true");
        CliRun bad = cli("query", "SELEC 1");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err().strip()).startsWith("lakehouse: query failed: line 1:1: mismatched input 'SELEC'")
                .doesNotContain("\tat ");
        CliRun missing = cli("query", "SELECT * FROM no_such_table");
        assertThat(missing.err()).contains("Table 'lakehouse.dau.no_such_table' does not exist");
    }

    private static CliRun cli(String... args) {
        List<String> withConfig = new ArrayList<>(List.of("--config", configFile.toString()));
        withConfig.addAll(List.of(args));
        return CliRun.of(withConfig.toArray(String[]::new));
    }

    private static List<String> trinoRows(String sql) throws SQLException {
        try (Connection connection = TrinoClient.connect(trinoConfig)) {
            return RowsAsText.of(connection, sql);
        }
    }

    private static List<String> sparkRows(String sql) {
        return RowsAsText.of(spark.sql(sql).collectAsList());
    }
}
