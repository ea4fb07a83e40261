package com.example.lakehouse.sink;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.actions.AddFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import com.example.lakehouse.SparkTestBase;
import com.example.lakehouse.dev.generate.AppLogGenerator;
import com.example.lakehouse.dev.generate.GeneratedMessage;
import com.example.lakehouse.job.AppLogIngestJob;
import com.example.lakehouse.table.TableDef;
import com.fasterxml.jackson.databind.ObjectMapper;

import scala.Option;

/**
 * A keyed write into ods_app_log reads only the files whose key times meet the batch's, also where it lists the
 * files itself, from the version's checksum (a table of at most a few dozen files: a day's partition between two
 * compactions, or compacted into a few large files, which every batch of the day would otherwise read whole).
 * Its own class, so no other test's writes or compactions run beside the reads it counts.
 */
class KeyTimeRangesTest extends SparkTestBase {
    /** Four batches of a day in send order, each a file of its own times, then the first again. */
    @Test
    void aBatchReadsOnlyTheFilesWhoseTimesMeetItsOwn() throws Throwable {
        spark.conf().set(DeltaSinkTest.FILES_IN_CHECKSUM_THRESHOLD, "10000");
        List<GeneratedMessage> day = AppLogGenerator.generate(new AppLogGenerator.Settings(200, 1,
                LocalDate.of(2024, 4, 1), ZoneId.of("Asia/Shanghai"), 12, 0, 0, 0));
        AppLogIngestJob ingest = AppLogIngestJob.intoDelta(spark, config, tables);
        int quarter = (day.size() + 3) / 4;
        for (int from = 0; from < day.size(); from += quarter) {
            ingest.writeBatch(kafkaRecordBytes(from, values(day.subList(from, Math.min(day.size(), from + quarter)))));
        }
        long rowsOfTheDay = spark.table("ods_app_log").count();

        long rowsRead = rowsReadWhile(() -> ingest.writeBatch(kafkaRecordBytes(0, values(day.subList(0, quarter)))));

        assertThat(rowsOfTheDay).isEqualTo(day.size());
        assertThat(rowsRead).as("the first batch's file, and at most the next one, which may share its last minute")
                .isBetween((long) quarter, 2L * quarter);
        assertThat(spark.table("ods_app_log").count()).isEqualTo(rowsOfTheDay);
        assertThat(spark.table("ods_app_log").where(col("dt").notEqual("2024-04-01")).isEmpty()).isTrue();
        assertThat(statisticsColumnsOf(tables.odsAppLog())).as("the files' statistics are of the entry's stats_columns")
                .containsExactlyInAnyOrderElementsOf(tables.odsAppLog().statsColumns());
    }

    /** The columns of which the table's files carry a minimum. */
    private static Set<String> statisticsColumnsOf(TableDef table) throws IOException {
        Set<String> columns = new TreeSet<>();
        for (AddFile file : DeltaLog.forTable(spark, table.location(config.storage().tableRoot()))
                .update(false, Option.empty(), Option.empty()).allFiles().collectAsList()) {
            new ObjectMapper().readTree(file.stats()).path("minValues").fieldNames().forEachRemaining(columns::add);
        }
        return columns;
    }

    private static List<byte[]> values(List<GeneratedMessage> messages) {
        return messages.stream().map(GeneratedMessage::value).toList();
    }

    /** The rows Spark's tasks read from files while {@code action} ran. */
    private static long rowsReadWhile(Executable action) throws Throwable {
        LongAdder rows = new LongAdder();
        listening(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd task) {
                if (task.taskMetrics() != null) {
                    rows.add(task.taskMetrics().inputMetrics().recordsRead());
                }
            }
        }, action);
        return rows.sum();
    }
}
