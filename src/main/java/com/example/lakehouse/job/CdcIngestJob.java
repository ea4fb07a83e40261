package com.example.lakehouse.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.format.KafkaMessages;
import com.example.lakehouse.format.maxwell.CdcTransforms;
import com.example.lakehouse.format.maxwell.ChangeVersion;
import com.example.lakehouse.sink.DeltaMergeSink;
import com.example.lakehouse.sink.TableSink;
import com.example.lakehouse.table.MirrorTable;
import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.Tables;

/**
 * Streaming ingest of Maxwell's topic: every change into ods_maxwell, then each captured table's
 * changes applied to its mirror (ods_user_info, ods_order_info, ...), the role of the seed's
 * BaseDBMaxwellApp. Bad messages go to ods_rejected.
 */
public final class CdcIngestJob extends KafkaIngestJob {
    public static final String QUERY_NAME = "ingest_cdc";
    /** The tables the ingest writes. */
    public static final List<TableDef> TABLES = Stream.concat(Stream.of(Tables.ODS_MAXWELL, Tables.ODS_REJECTED),
            Tables.MIRRORS.stream().map(MirrorTable::table)).toList();
    /** Partitions of the topic when the ingest (or the demo) creates it. */
    public static final int TOPIC_PARTITIONS = 3;

    private final String database;

    /**
     * A job applying the changes of the source {@code database}, read from {@code topic}, through {@code sink};
     * tests may pass their own sink.
     */
    public CdcIngestJob(String database, String topic, TableSink sink) {
        super(sink, QUERY_NAME, topic, TOPIC_PARTITIONS, TABLES);
        this.database = database;
    }

    /** The production job: the configured source database's changes into Delta tables under the configured root. */
    public static CdcIngestJob intoDelta(SparkSession spark, LakehouseConfig config) {
        return new CdcIngestJob(config.sourceDb().database(), config.kafka().maxwellTopic(),
                new DeltaMergeSink(spark, config.storage().tableRoot()));
    }

    /** Runs until stopped, or until Kafka is drained when the trigger is available-now. */
    public static void run(LakehouseConfig config, Trigger trigger) throws Exception {
        run(config, trigger, QUERY_NAME, CdcIngestJob::intoDelta);
    }

    /**
     * One micro-batch; the validated records are cached because several writes read them. The writes go
     * to different tables and run at the same time. Every write is idempotent, so a batch cut off half
     * way is simply run again: ods_maxwell and ods_rejected take only keys they lack, and a mirror row
     * changes only for a newer change. A mirror first gains any column its source table has gained.
     */
    @Override
    public void writeBatch(Dataset<Row> kafkaRecords) {
        Dataset<Row> validated = CdcTransforms.validate(kafkaRecords).persist();
        try {
            Map<String, Set<String>> columnsByTable = CdcTransforms.changedColumns(validated, database)
                    .collectAsList().stream().collect(Collectors.groupingBy(row -> row.getString(0),
                            Collectors.mapping(row -> row.getString(1), Collectors.toSet())));
            List<Runnable> writes = new ArrayList<>();
            writes.add(() -> sink.insertNew(Tables.ODS_MAXWELL, CdcTransforms.acceptedChanges(validated)));
            writes.add(() -> sink.insertNew(Tables.ODS_REJECTED,
                    KafkaMessages.rejectedMessages(validated, CdcTransforms.SOURCE)));
            for (MirrorTable mirror : Tables.MIRRORS) {
                Set<String> columns = columnsByTable.get(mirror.sourceTable());
                if (columns != null) {
                    writes.add(() -> {
                        StructType rowSchema = sink.evolveMirror(mirror, columns);
                        sink.upsertNewer(mirror.table(),
                                CdcTransforms.mirrorRows(validated, database, mirror, rowSchema), ChangeVersion::isNewer);
                    });
                }
            }
            ConcurrentWrites.run(writes, Runnable::run);
        } finally {
            validated.unpersist();
        }
    }
}
