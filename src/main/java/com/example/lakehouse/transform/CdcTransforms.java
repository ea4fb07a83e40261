package com.example.lakehouse.transform;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.udf;

import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

import com.example.lakehouse.parse.MaxwellParser;
import com.example.lakehouse.table.MirrorTable;
import com.example.lakehouse.table.Tables;

/**
 * Pure functions from Kafka records of the maxwell topic to the rows of ods_maxwell, and from those
 * changes to the rows of each source table's mirror. No I/O: the CDC ingest and the unit tests call
 * the same functions.
 */
public final class CdcTransforms {
    /** Source name written to ods_rejected for Maxwell messages. */
    public static final String SOURCE = "maxwell";
    /** How Maxwell writes DATETIME and TIMESTAMP columns: local time, no zone. */
    private static final Map<String, String> MAXWELL_TIME_FORMAT = Map.of("timestampFormat", "yyyy-MM-dd HH:mm:ss");

    private static final UserDefinedFunction PROBLEM_WITH =
            udf((UDF1<byte[], String>) MaxwellParser::problemWith, DataTypes.StringType);

    private CdcTransforms() {
    }

    /** Adds message_id (SHA-256 of the bytes) and problem (null for a valid message). */
    public static Dataset<Row> validate(Dataset<Row> kafkaRecords) {
        return KafkaMessages.validate(kafkaRecords, PROBLEM_WITH);
    }

    /**
     * Valid messages as ods_maxwell rows, one per change. The natural key (database, table, row id, ts,
     * xid, xoffset) is spelt out in change_id; a change Maxwell sent twice, or a replayed topic, has the
     * same change_id.
     */
    public static Dataset<Row> acceptedChanges(Dataset<Row> validated) {
        Column message = col("message");
        Dataset<Row> changes = validated
                .where(col("problem").isNull())
                .withColumn("message", from_json(col("value").cast("string"), DataType.fromDDL(Tables.MAXWELL_ENVELOPE_TYPE)))
                .withColumn("row_id", get_json_object(message.getField("data"), "$." + MaxwellParser.ROW_KEY))
                .select(KafkaMessages.withKafkaPosition(
                        concat_ws("/", message.getField("database"), message.getField("table"),
                                coalesce(col("row_id"), lit("")), message.getField("ts"),
                                coalesce(message.getField("xid").cast("string"), lit("")),
                                coalesce(message.getField("xoffset").cast("string"), lit(""))).as("change_id"),
                        to_date(timestamp_seconds(message.getField("ts"))).as("dt"),
                        message.getField("database").as("database_name"),
                        message.getField("table").as("table_name"),
                        col("row_id"),
                        message.getField("type").as("change_type"),
                        message.getField("ts").as("ts"),
                        message.getField("xid").as("xid"),
                        message.getField("xoffset").as("xoffset"),
                        timestamp_seconds(message.getField("ts")).as("change_time"),
                        message.getField("data").as("data"),
                        message.getField("old").as("old"),
                        col("value").cast("string").as("raw")))
                .withColumn("ingested_at", current_timestamp());
        return KafkaMessages.firstDelivery(changes, "change_id");
    }

    /**
     * The row changes of one source table as rows of its mirror: the row as the change left it, the
     * change's version, and is_deleted for a delete (whose data is the deleted row, binlog_row_image=FULL).
     * Only the newest change per id is kept; the MERGE then applies it only if it is newer than the
     * mirror's row.
     */
    public static Dataset<Row> mirrorRows(Dataset<Row> changes, String database, MirrorTable mirror) {
        Dataset<Row> rows = changes
                .where(col("database_name").equalTo(database)
                        .and(col("table_name").equalTo(mirror.sourceTable()))
                        .and(col("change_type").isin(MaxwellParser.INSERT, MaxwellParser.UPDATE,
                                MaxwellParser.DELETE, MaxwellParser.BOOTSTRAP_INSERT)))
                .withColumn("row", from_json(col("data"), mirror.sourceSchema(), MAXWELL_TIME_FORMAT))
                .select(col("row.*"),
                        col("ts").as("change_ts"),
                        coalesce(col("xid"), lit(ChangeVersion.BOOTSTRAP_XID)).as("change_xid"),
                        coalesce(col("xoffset"), lit(ChangeVersion.LAST_IN_TRANSACTION)).as("change_xoffset"),
                        col("change_type").equalTo(MaxwellParser.DELETE).as("is_deleted"),
                        col("change_time").as("changed_at"));
        if (mirror.partitionedByCreateDate()) {
            rows = rows.withColumn("dt", to_date(col("create_time")));
        }
        return ChangeVersion.latestPerRow(rows);
    }
}
