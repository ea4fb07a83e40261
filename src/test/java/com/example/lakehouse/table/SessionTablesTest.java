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

    private static Map<String, String> propertiesOf(TableDef table) {
        return spark.sql("SHOW TBLPROPERTIES " + table.qualifiedName()).collectAsList().stream()
                .collect(Collectors.toMap((Row row) -> row.getString(0), (Row row) -> row.getString(1)));
    }
}
