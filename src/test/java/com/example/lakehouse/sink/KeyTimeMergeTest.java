package com.example.lakehouse.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import com.example.lakehouse.ExpectedDau;
import com.example.lakehouse.SparkTestBase;
import com.example.lakehouse.dev.generate.AppLogGenerator;
import com.example.lakehouse.dev.generate.GeneratedMessage;
import com.example.lakehouse.job.AppLogIngestJob;

/**
 * ods_app_log's keyed insert reads only the files whose event_time range meets the batch's times. That must
 * change nothing: a duplicate arriving hours after its original, among messages of other times, is still
 * recognised, whether it comes in the day's own order or in a shuffled replay.
 */
class KeyTimeMergeTest extends SparkTestBase {
    @Test
    void aDayInSendOrderThenShuffledReplaysLeaveEachDistinctMessageOnce() {
        List<GeneratedMessage> day = AppLogGenerator.generate(new AppLogGenerator.Settings(400, 1, LocalDate.of(2024, 3, 1),
                ZoneId.of("Asia/Shanghai"), 11, 0.3, 0.05, 0.02));
        AppLogIngestJob ingest = AppLogIngestJob.intoDelta(spark, config, tables);

        long offset = deliverInBatches(ingest, day, 300, 0); // as production: consecutive slices of the send order
        List<GeneratedMessage> replay = new ArrayList<>(day);
        Collections.shuffle(replay, new Random(5)); // each batch now spans the day: late duplicates everywhere
        offset = deliverInBatches(ingest, replay, 500, offset);
        deliverInBatches(ingest, replay.subList(0, 40), 40, offset); // a small batch of scattered times

        assertThat(distinctKeys(spark, "ods_app_log", "log_id")).isEqualTo(ExpectedDau.ids(day, true));
    }

    @Test
    void rangesCoverEveryMinuteOfTheBatchAndOnlyWidenWhenThereAreTooMany() {
        List<Timestamp> times = new ArrayList<>();
        for (long minute = 0; minute < 300; minute++) {
            times.add(new Timestamp(minute * 60_000)); // a minute's first and last millisecond
            times.add(new Timestamp(minute * 60_000 + 59_999));
        }
        var frame = spark.createDataset(times, Encoders.TIMESTAMP()).toDF("t");

        long[] scattered = {0, 1, 2, 10, 200, 201};
        List<Row> kept = frame.where(KeyTimeRanges.ofMinutes("t", scattered).condition()).collectAsList();
        assertThat(kept).extracting(row -> row.getTimestamp(0).getTime() / 60_000)
                .containsExactly(0L, 0L, 1L, 1L, 2L, 2L, 10L, 10L, 200L, 200L, 201L, 201L);

        long[] everyOther = new long[150]; // 150 one-minute ranges, more than the 64 allowed
        for (int i = 0; i < everyOther.length; i++) {
            everyOther[i] = 2L * i;
        }
        List<Long> widened = frame.where(KeyTimeRanges.ofMinutes("t", everyOther).condition()).collectAsList().stream()
                .map(row -> row.getTimestamp(0).getTime() / 60_000).toList();
        assertThat(widened).as("every minute of the batch is still inside").containsAll(
                java.util.Arrays.stream(everyOther).boxed().toList());
    }

    private static long deliverInBatches(AppLogIngestJob ingest, List<GeneratedMessage> messages, int size, long firstOffset) {
        long offset = firstOffset;
        for (int from = 0; from < messages.size(); from += size) {
            List<byte[]> batch = messages.subList(from, Math.min(messages.size(), from + size)).stream()
                    .map(GeneratedMessage::value).toList();
            ingest.writeBoth(kafkaRecordBytes(offset, batch));
            offset += batch.size();
        }
        return offset;
    }
}
