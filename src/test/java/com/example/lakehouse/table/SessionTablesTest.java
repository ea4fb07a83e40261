package com.example.lakehouse.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import com.example.lakehouse.SparkTestBase;

class SessionTablesTest extends SparkTestBase {
    private static final String CHECKPOINT_INTERVAL = "delta.checkpointInterval";
    private static final String STATS_COLUMNS = "delta.dataSkippingStatsColumns";

    @Test
    void deltaLeavesTheCheckpointsOfATableAStreamWritesToItsSink() {
        assertThat(propertiesOf(tables.dwsDauDeviceLive())).containsEntry(CHECKPOINT_INTERVAL, "1000");
        assertThat(propertiesOf(tables.odsAppLog())).containsEntry(CHECKPOINT_INTERVAL, "1000");
        assertThat(propertiesOf(tables.adsDauDaily())).doesNotContainKey(CHECKPOINT_INTERVAL);
    }

    @Test
    void aTableMadeBeforeGetsThePropertyAndKeepsOneAUserSet() {
        TableDef maxwell = tables.odsMaxwell();
        TableDef rejected = tables.odsRejected();
        spark.sql("ALTER TABLE " + maxwell.qualifiedName() + " UNSET TBLPROPERTIES ('" + CHECKPOINT_INTERVAL + "')");
        spark.sql("ALTER TABLE " + rejected.qualifiedName() + " SET TBLPROPERTIES ('" + CHECKPOINT_INTERVAL + "' = '25')");
        assertThat(propertiesOf(maxwell)).doesNotContainKey(CHECKPOINT_INTERVAL);

        SessionTables.createMissing(spark, config.storage().tableRoot(), List.of(maxwell, rejected));

        assertThat(propertiesOf(maxwell)).containsEntry(CHECKPOINT_INTERVAL, "1000");
        assertThat(propertiesOf(rejected)).containsEntry(CHECKPOINT_INTERVAL, "25");
    }

    @Test
    void aTableOfWideRowsKeepsStatisticsOfTheColumnsItsEntryNames() {
        TableDef appLog = tables.odsAppLog();
        assertThat(appLog.statsColumns()).contains(appLog.keyTime().orElseThrow()).doesNotContain("log", "raw");
        assertThat(propertiesOf(appLog)).containsEntry(STATS_COLUMNS, String.join(",", appLog.statsColumns()));
        assertThat(propertiesOf(tables.odsRejected())).doesNotContainKey(STATS_COLUMNS);

        spark.sql("ALTER TABLE " + appLog.qualifiedName() + " UNSET TBLPROPERTIES ('" + STATS_COLUMNS + "')");
        SessionTables.createMissing(spark, config.storage().tableRoot(), List.of(appLog));

        assertThat(propertiesOf(appLog)).as("a table made before the entry named them gets them")
                .containsEntry(STATS_COLUMNS, String.join(",", appLog.statsColumns()));
    }

    private static Map<String, String> propertiesOf(TableDef table) {
        return spark.sql("SHOW TBLPROPERTIES " + table.qualifiedName()).collectAsList().stream()
                .collect(Collectors.toMap((Row row) -> row.getString(0), (Row row) -> row.getString(1)));
    }
}
