package com.example.lakehouse.config;

/**
 * The name of every configuration key, in one place. The defaults file, a --config file and the LAKEHOUSE_*
 * variables (the key in upper case, '.' and '-' as '_') all use these names.
 */
public final class ConfigKeys {
    public static final String KAFKA_BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String KAFKA_TOPIC_APP_LOG = "kafka.topic.app-log";
    public static final String KAFKA_TOPIC_MAXWELL = "kafka.topic.maxwell";
    public static final String KAFKA_MAX_OFFSETS_PER_TRIGGER = "kafka.max-offsets-per-trigger";

    public static final String SOURCE_DB_HOST = "source.db.host";
    public static final String SOURCE_DB_PORT = "source.db.port";
    public static final String SOURCE_DB_DATABASE = "source.db.database";
    public static final String SOURCE_DB_USER = "source.db.user";
    public static final String SOURCE_DB_PASSWORD = "source.db.password";

    public static final String TRINO_HOST = "trino.host";
    public static final String TRINO_PORT = "trino.port";
    public static final String TRINO_CATALOG = "trino.catalog";
    public static final String TRINO_USER = "trino.user";
    public static final String TRINO_JAVA_HOME = "trino.java-home";
    public static final String TRINO_PASSWORD = "trino.password";
    public static final String TRINO_PASSWORD_FILE = "trino.password-file";
    public static final String TRINO_HTTPS = "trino.https";
    public static final String TRINO_TRUSTSTORE = "trino.truststore";
    public static final String TRINO_TRUSTSTORE_PASSWORD = "trino.truststore-password";
    public static final String TRINO_SSL_VERIFICATION = "trino.ssl-verification";

    public static final String SERVE_HOST = "serve.host";
    public static final String SERVE_PORT = "serve.port";
    public static final String SERVE_REFRESH_MILLIS = "serve.refresh-millis";
    public static final String SERVE_TOKEN = "serve.token";
    public static final String SERVE_TOKEN_FILE = "serve.token-file";

    public static final String TABLE_ROOT = "lakehouse.table-root";
    public static final String CHECKPOINT_ROOT = "lakehouse.checkpoint-root";
    public static final String RUN_DIR = "lakehouse.run-dir";
    public static final String TIME_ZONE = "lakehouse.time-zone";

    public static final String INGEST_TRIGGER = "ingest.trigger";
    public static final String INGEST_LIVE_TRIGGER = "ingest.live-trigger";
    public static final String INGEST_MIRROR_TRIGGER = "ingest.mirror-trigger";
    public static final String INGEST_TODAY_TRIGGER = "ingest.today-trigger";
    public static final String INGEST_LARGE_BATCH_RECORDS = "ingest.large-batch-records";
    public static final String JOBS_STOP_TIMEOUT_SECONDS = "jobs.stop-timeout-seconds";
    public static final String RUN_RESTATE_HORIZON_DAYS = "run.restate-horizon-days";
    public static final String RUN_LARGE_INPUT_BYTES = "run.large-input-bytes";

    public static final String S3_ENDPOINT = "s3.endpoint";
    public static final String S3_REGION = "s3.region";
    public static final String S3_PATH_STYLE_ACCESS = "s3.path-style-access";
    public static final String S3_ACCESS_KEY = "s3.access-key";
    public static final String S3_SECRET_KEY = "s3.secret-key";

    /** Keys with this prefix go to the SparkSession as they are. */
    public static final String SPARK_PREFIX = "spark.";
    /**
     * Keys with this prefix go, without "ingest.", to the streaming ingests' SparkSessions only, over the
     * {@link #SPARK_PREFIX} key of the same name: settings for micro-batches of seconds, not for the SQL jobs.
     */
    public static final String INGEST_SPARK_PREFIX = "ingest." + SPARK_PREFIX;

    private ConfigKeys() {
    }
}
