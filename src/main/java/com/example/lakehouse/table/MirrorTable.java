package com.example.lakehouse.table;

import java.util.Arrays;
import java.util.List;

import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import com.example.lakehouse.config.ConfigException;

/**
 * A captured source table and its mirror {@code ods_<source table>}: the source's columns (its entry's
 * {@code columns}), then the version of the change that wrote the row (change_ts, change_xid,
 * change_xoffset), is_deleted and changed_at. A partitioned mirror is partitioned by the date of the
 * row's create_time.
 */
public record MirrorTable(String sourceTable, TableDef table) {
    public static final String KEY = "id";
    public static final String VERSION_COLUMNS = "change_ts BIGINT NOT NULL, change_xid BIGINT NOT NULL,"
            + " change_xoffset BIGINT NOT NULL, is_deleted BOOLEAN NOT NULL, changed_at TIMESTAMP NOT NULL";

    /** The mirror's columns for the source's {@code sourceColumns}. */
    static String tableColumns(String sourceColumns, boolean partitionedByCreateDate) {
        return (partitionedByCreateDate ? "dt DATE NOT NULL, " : "") + sourceColumns + ", " + VERSION_COLUMNS;
    }

    static MirrorTable of(TableDef table) {
        if (!table.key().equals(List.of(KEY))) {
            throw new ConfigException(table.sqlResource() + ": a mirror's key is [" + KEY + "]");
        }
        return new MirrorTable(table.mirrorOf().orElseThrow(), table);
    }

    /** The row as the source database has it: the schema Maxwell's {@code data} object is parsed with. */
    public StructType sourceSchema() {
        return rowSchema(table.schema());
    }

    /**
     * The source row's columns of a mirror whose table has {@code tableSchema}: the declared ones and any
     * it gained since (a column added to the source table), without dt and the version columns.
     */
    public StructType rowSchema(StructType tableSchema) {
        List<String> notFromTheSource = Arrays.asList(StructType.fromDDL(VERSION_COLUMNS).fieldNames());
        return new StructType(Arrays.stream(tableSchema.fields())
                .filter(field -> !notFromTheSource.contains(field.name()))
                .filter(field -> !(partitionedByCreateDate() && field.name().equals("dt")))
                .toArray(StructField[]::new));
    }

    public boolean partitionedByCreateDate() {
        return !table.partitionedBy().isEmpty();
    }
}
