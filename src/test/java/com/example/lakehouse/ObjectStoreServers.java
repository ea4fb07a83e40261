package com.example.lakehouse;

import java.net.URI;
import java.nio.file.Path;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.stack.LocalKafkaBroker;
import com.example.lakehouse.stack.LocalServer;
import com.example.lakehouse.stack.LocalS3Server;

/**
 * A real S3-compatible server and Kafka broker for one test class, on free ports under {@code workDir},
 * and the configuration that puts the tables and checkpoints in their bucket ({@code s3a://lakehouse}).
 */
public final class ObjectStoreServers implements AutoCloseable {
    public static final String ACCESS_KEY = "lakehouse";
    public static final String SECRET_KEY = "lakehouse-secret";

    private final LocalS3Server s3;
    private final LocalKafkaBroker broker;
    private final LakehouseConfig config;

    private ObjectStoreServers(LocalS3Server s3, LocalKafkaBroker broker, LakehouseConfig config) {
        this.s3 = s3;
        this.broker = broker;
        this.config = config;
    }

    /** Starts both; the ingest reads at most {@code maxOffsetsPerTrigger} messages per micro-batch. */
    public static ObjectStoreServers start(Path workDir, int maxOffsetsPerTrigger) {
        LakehouseConfig s3Config = SparkTestBase.localConfig(workDir).toBuilder()
                .s3Endpoint(URI.create("http://127.0.0.1:" + LocalServer.freePort()))
                .s3PathStyleAccess(true)
                .s3Keys(ACCESS_KEY, SECRET_KEY)
                .tableRoot(URI.create("s3a://lakehouse/tables"))
                .checkpointRoot(URI.create("s3a://lakehouse/checkpoints"))
                .build();
        LocalS3Server s3 = new LocalS3Server(s3Config.storage().runDir());
        s3.start(s3Config);
        LocalKafkaBroker broker = new LocalKafkaBroker(s3Config.storage().runDir());
        try {
            LakehouseConfig config = s3Config.toBuilder().kafkaBootstrapServers(broker.start(LocalServer.freePort()))
                    .maxOffsetsPerTrigger(maxOffsetsPerTrigger).build();
            return new ObjectStoreServers(s3, broker, config);
        } catch (RuntimeException e) {
            s3.stop();
            throw e;
        }
    }

    /** Tables and checkpoints on s3a://lakehouse, Kafka on the broker. */
    public LakehouseConfig config() {
        return config;
    }

    @Override
    public void close() {
        broker.stop();
        s3.stop();
    }
}
