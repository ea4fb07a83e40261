package com.example.lakehouse.format.maxwell;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_keys;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.udf;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import com.example.lakehouse.format.KafkaMessages;
import com.example.lakehouse.table.MirrorTable;

/**
 * Pure functions from Kafka records of the maxwell topic to the rows of ods_maxwell, and from those
 * changes to the rows of each source table's mirror. No I/O: the CDC ingest and the unit tests call
 * the same functions. Each message is read once, by a {@link MaxwellParser} of the captured tables' mirrors, into
 * the {@code message} column; everything after is a projection of it.
 */
public final class CdcTransforms {
    /** Source name written to ods_rejected for Maxwell messages. */
    public static final String SOURCE = "maxwell";

    private static final DataType MESSAGE_TYPE = DataType.fromDDL(MaxwellMessage.SPARK_TYPE);
    private static final Column MESSAGE = col("message");

    private CdcTransforms() {
    }

    /** {@code parser} as a function of a message's bytes, which Spark's tasks run. */
    private static UserDefinedFunction parse(MaxwellParser parser) {
        return udf((UDF1<byte[], Row>) value -> RowFactory.create(parser.parse(value).sparkFields()), MESSAGE_TYPE);
    }

    /**
     * Adds message (the message as {@code parser} reads it), message_id (SHA-256 of the bytes) and problem (null for
     * a valid message).
     */
    public static Dataset<Row> validate(Dataset<Row> kafkaRecords, MaxwellParser parser) {
        return KafkaMessages.validate(kafkaRecords.withColumn("message", parse(parser).apply(col("value"))),
                MESSAGE.getField("problem"));
    }

    /**
     * Valid messages as ods_maxwell rows, one per change. The natural key (database, table, row id, ts,
     * xid, xoffset) is spelt out in change_id; a change Maxwell sent twice, or a replayed topic, has the
     * same change_id. data and old keep Maxwell's numbers exactly.
     */
    public static Dataset<Row> acceptedChanges(Dataset<Row> validated) {
        Dataset<Row> changes = validated
                .where(col("problem").isNull())
                .select(KafkaMessages.withKafkaPosition(
                        MESSAGE.getField("change_id").as("change_id"),
                        to_date(timestamp_seconds(MESSAGE.getField("ts"))).as("dt"),
                        MESSAGE.getField("database").as("database_name"),
                        MESSAGE.getField("table").as("table_name"),
                        MESSAGE.getField("row_id").as("row_id"),
                        MESSAGE.getField("type").as("change_type"),
                        MESSAGE.getField("ts").as("ts"),
                        MESSAGE.getField("xid").as("xid"),
                        MESSAGE.getField("xoffset").as("xoffset"),
                        timestamp_seconds(MESSAGE.getField("ts")).as("change_time"),
                        MESSAGE.getField("data").as("data"),
                        MESSAGE.getField("old").as("old"),
                        col("value").cast("string").as("raw")))
                .withColumn("ingested_at", KafkaMessages.takenInAt());
        return KafkaMessages.firstDelivery(changes, "change_id");
    }

    /**
     * Rows of ods_maxwell parsed again into the {@code message} column, as {@link #validate} left them:
     * {@code raw} holds the message's bytes (valid messages are UTF-8 JSON, so the text gives them back exactly).
     */
    public static Dataset<Row> parseCaptured(Dataset<Row> odsMaxwellRows, MaxwellParser parser) {
        return odsMaxwellRows.select(parse(parser).apply(col("raw").cast("binary")).as("message"))
                .withColumn("problem", MESSAGE.getField("problem"));
    }

    /** (table_name, column_name): the columns that the valid row changes of {@code database} carry, table by table. */
    public static Dataset<Row> changedColumns(Dataset<Row> validated, String database) {
        return rowChanges(validated, database)
                .select(MESSAGE.getField("table").as("table_name"),
                        explode(map_keys(MESSAGE.getField("values"))).as("column_name"))
                .distinct();
    }

    /**
     * The row changes of one source table as rows of its mirror: the row as the change left it (read with
     * {@code rowSchema}, the mirror's source columns including any it gained), the change's version, and
     * is_deleted for a delete (whose data is the deleted row, binlog_row_image=FULL). Only the newest
     * change per id is kept; the upsert then applies it only if it is newer than the mirror's row.
     */
    public static Dataset<Row> mirrorRows(Dataset<Row> validated, String database, MirrorTable mirror,
                                          StructType rowSchema) {
        List<Column> columns = new ArrayList<>();
        for (StructField field : rowSchema.fields()) {
            columns.add(typed(MESSAGE.getField("values").getItem(field.name()), field.dataType()).as(field.name()));
        }
        columns.add(MESSAGE.getField("ts").as("change_ts"));
        columns.add(coalesce(MESSAGE.getField("xid"), lit(ChangeVersion.BOOTSTRAP_XID)).as("change_xid"));
        columns.add(coalesce(MESSAGE.getField("xoffset"), lit(ChangeVersion.LAST_IN_TRANSACTION)).as("change_xoffset"));
        columns.add(MESSAGE.getField("type").equalTo(MaxwellParser.DELETE).as("is_deleted"));
        columns.add(timestamp_seconds(MESSAGE.getField("ts")).as("changed_at"));
        Dataset<Row> rows = rowChanges(validated, database)
                .where(MESSAGE.getField("table").equalTo(mirror.sourceTable()))
                .select(columns.toArray(Column[]::new));
        if (mirror.partitionedByCreateDate()) {
            rows = rows.withColumn("dt", to_date(col("create_time")));
        }
        return ChangeVersion.latestPerRow(rows);
    }

    private static Dataset<Row> rowChanges(Dataset<Row> validated, String database) {
        return validated.where(col("problem").isNull()
                .and(MESSAGE.getField("database").equalTo(database))
                .and(MESSAGE.getField("type").isin(MaxwellParser.INSERT, MaxwellParser.UPDATE,
                        MaxwellParser.DELETE, MaxwellParser.BOOTSTRAP_INSERT)));
    }

    /** A value's text as the column's type; the parser has checked that it reads exactly. */
    private static Column typed(Column text, DataType type) {
        return type.equals(DataTypes.TimestampType)
                ? to_timestamp(text, MaxwellParser.DATETIME_PATTERN)
                : text.cast(type);
    }
}
