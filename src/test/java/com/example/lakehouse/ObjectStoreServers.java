package com.example.lakehouse;

import java.net.URI;
import java.nio.file.Path;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.stack.LocalStack;

/** The object-store tests' servers: a real S3-compatible server and a Kafka broker, with the tables in their bucket. */
public final class ObjectStoreServers {
    public static final String ACCESS_KEY = "lakehouse";
    public static final String SECRET_KEY = "lakehouse-secret";

    private ObjectStoreServers() {
    }

    /**
     * Starts both on free ports under {@code workDir}; the stack's config puts tables and checkpoints on
     * s3a://lakehouse, and the ingest reads at most {@code maxOffsetsPerTrigger} messages per micro-batch.
     */
    public static LocalStack start(Path workDir, int maxOffsetsPerTrigger) {
        LakehouseConfig base = SparkTestBase.localConfig(workDir).toBuilder()
                .tableRoot(URI.create("s3a://lakehouse/tables"))
                .checkpointRoot(URI.create("s3a://lakehouse/checkpoints"))
                .maxOffsetsPerTrigger(maxOffsetsPerTrigger)
                .build();
        return new LocalStack(base.storage().runDir(), base).startS3(ACCESS_KEY, SECRET_KEY).startKafka();
    }
}
