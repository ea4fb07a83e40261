package com.example.lakehouse.job;

import static com.example.lakehouse.MaxwellMessages.change;
import static com.example.lakehouse.MaxwellMessages.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.example.lakehouse.SparkTestBase;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.generate.GeneratedMessage;
import com.example.lakehouse.dev.generate.KafkaPublisher;
import com.example.lakehouse.dev.stack.LocalStack;
import com.example.lakehouse.kafka.KafkaTopics;

/**
 * OPTIMIZE while the CDC ingest MERGEs into the same mirror, as the weekly maintenance DAG does beside
 * the running streams. Each round inserts users (new small files, which OPTIMIZE compacts) and updates
 * the previous round's (the MERGE reads and rewrites those files), so the two conflict; each retries,
 * the stream survives, and the mirror ends with every user's newest change.
 */
class MaintenanceIT extends SparkTestBase {
    private static final int USERS_PER_ROUND = 10;
    private static final int ROUNDS = 40;
    private static final long T = 1_700_000_000L;

    private static LocalStack servers;
    private static LakehouseConfig kafkaConfig;

    @BeforeAll
    static void startBroker() {
        servers = new LocalStack(workDir.resolve("run"), config.toBuilder().maxOffsetsPerTrigger(90).build()).startKafka();
        kafkaConfig = servers.config();
    }

    @AfterAll
    static void stopBroker() {
        servers.close();
    }

    @Test
    void compactingAMirrorWhileTheStreamUpdatesItLosesNothingAndKillsNothing() throws Exception {
        String topic = kafkaConfig.kafka().maxwellTopic();
        KafkaTopics.ensure(kafkaConfig.kafka().bootstrapServers(), topic, 1);
        CdcIngestJob ingest = CdcIngestJob.intoDelta(spark, kafkaConfig, tables);
        StreamingQuery query = ingest.startCapture(spark, kafkaConfig, Trigger.ProcessingTime("1 second"));
        StreamingQuery mirrors = ingest.startMirrors(spark, kafkaConfig, Trigger.ProcessingTime("1 second"));
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            for (int round = 0; round < ROUNDS; round++) {
                KafkaPublisher.publish(kafkaConfig.kafka().bootstrapServers(), topic, updates(round));
                sleep(1000);
            }
        });
        int rounds = 0;
        while (!producer.isDone() || rounds < 3) {
            TableMaintenance.optimize(spark, tables.mirrorOf("user_info").orElseThrow().table());
            rounds++;
        }
        producer.get();
        query.processAllAvailable();
        mirrors.processAllAvailable();

        assertThat(query.isActive()).as("the capture survived %d OPTIMIZE runs", rounds).isTrue();
        assertThat(mirrors.isActive()).as("the mirror query survived %d OPTIMIZE runs", rounds).isTrue();
        query.stop();
        mirrors.stop();
        Map<Long, String> nickNames = new TreeMap<>();
        spark.table("ods_user_info").collectAsList().forEach(user -> nickNames.put(user.getAs("id"), user.getAs("nick_name")));
        Map<Long, String> expected = new TreeMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (long id : ids(round)) {
                expected.put(id, "round " + Math.min(round + 1, ROUNDS - 1)); // renamed by the next round
            }
        }
        assertThat(nickNames).isEqualTo(expected);
        assertThat(spark.table("ods_maxwell").count()).as("each change once")
                .isEqualTo((long) USERS_PER_ROUND * (2 * ROUNDS - 1));
    }

    /** One transaction per round: inserts this round's users and renames the previous round's. */
    private static List<GeneratedMessage> updates(int round) {
        List<String> changes = new ArrayList<>();
        for (long id : ids(round)) {
            changes.add(change("insert", "user_info", T + round, 1000 + round, (long) changes.size(),
                    row("id", id, "nick_name", "round " + round)));
        }
        if (round > 0) {
            for (long id : ids(round - 1)) {
                changes.add(change("update", "user_info", T + round, 1000 + round, (long) changes.size(),
                        row("id", id, "nick_name", "round " + round)));
            }
        }
        return changes.stream()
                .map(message -> new GeneratedMessage(null, message.getBytes(StandardCharsets.UTF_8), true)).toList();
    }

    private static List<Long> ids(int round) {
        return java.util.stream.LongStream.rangeClosed(1, USERS_PER_ROUND).map(i -> round * USERS_PER_ROUND + i).boxed().toList();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
