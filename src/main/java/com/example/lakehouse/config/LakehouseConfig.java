package com.example.lakehouse.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Everything a job needs to know about its environment, one typed record per section: Kafka, the source
 * database, Trino, the API server, storage, the streams, S3, plus the spark.* entries. Built from the
 * defaults on the classpath, then an optional properties file, then LAKEHOUSE_* environment variables;
 * every value is checked here, so a bad one fails at start-up with a message that names the key.
 */
public final class LakehouseConfig {
    public static final String ENV_PREFIX = "LAKEHOUSE_";
    private static final String DEFAULTS = "lakehouse-defaults.properties";

    private final Map<String, String> values;
    private final KafkaSettings kafka;
    private final SourceDbSettings sourceDb;
    private final TrinoSettings trino;
    private final ServeSettings serve;
    private final StorageSettings storage;
    private final ZoneId timeZone;
    private final IngestSettings ingest;
    private final S3Settings s3;
    private final int restateHorizonDays;
    private final long largeRunInputBytes;

    private LakehouseConfig(Map<String, String> values) {
        this.values = Map.copyOf(values);
        ConfigValues checked = new ConfigValues(this.values);
        this.timeZone = parseZone(checked.required(ConfigKeys.TIME_ZONE));
        this.ingest = IngestSettings.from(checked);
        this.kafka = KafkaSettings.from(checked);
        this.sourceDb = SourceDbSettings.from(checked);
        this.trino = TrinoSettings.from(checked);
        this.serve = ServeSettings.from(checked);
        this.storage = StorageSettings.from(checked);
        this.s3 = S3Settings.from(checked);
        this.restateHorizonDays = Math.toIntExact(checked.positiveLong(ConfigKeys.RUN_RESTATE_HORIZON_DAYS));
        this.largeRunInputBytes = checked.positiveLong(ConfigKeys.RUN_LARGE_INPUT_BYTES);
    }

    /** Defaults, then {@code file} (if not null), then the environment. */
    public static LakehouseConfig load(Path file, Map<String, String> environment) {
        Map<String, String> merged = new TreeMap<>(defaults());
        if (file != null) {
            merged.putAll(readFile(file));
        }
        merged.putAll(fromEnvironment(merged, environment));
        return new LakehouseConfig(merged);
    }

    /** The defaults alone; what tests and the demo start from. */
    public static LakehouseConfig defaultConfig() {
        return new LakehouseConfig(defaults());
    }

    /** A builder of a copy with some values replaced, checked like a loaded config when built. */
    public Builder toBuilder() {
        return new Builder(values);
    }

    public KafkaSettings kafka() {
        return kafka;
    }

    public SourceDbSettings sourceDb() {
        return sourceDb;
    }

    public TrinoSettings trino() {
        return trino;
    }

    public ServeSettings serve() {
        return serve;
    }

    public StorageSettings storage() {
        return storage;
    }

    /** The zone event dates (dt) and hours are computed in. */
    public ZoneId timeZone() {
        return timeZone;
    }

    public IngestSettings ingest() {
        return ingest;
    }

    public S3Settings s3() {
        return s3;
    }

    /**
     * How many days before the day it builds a scheduled run looks for days whose inputs changed since they
     * were built, and builds them again; older ones are named, and left to an explicit {@code run --from --to}.
     */
    public int restateHorizonDays() {
        return restateHorizonDays;
    }

    /**
     * From how many bytes of the tables a run of the SQL jobs reads (and does not build) it runs with the {@code spark.*}
     * settings; a run reading less runs with the ingests' small-batch settings ({@link #ingestSparkOverrides}).
     */
    public long largeRunInputBytes() {
        return largeRunInputBytes;
    }

    /** The {@code spark.*} entries, handed to the SparkSession builder. */
    public Map<String, String> sparkConf() {
        return entriesUnder(ConfigKeys.SPARK_PREFIX, ConfigKeys.SPARK_PREFIX);
    }

    /** The streaming ingests' Spark settings: {@link #sparkConf}, with {@link #ingestSparkOverrides} over it. */
    public Map<String, String> ingestSparkConf() {
        Map<String, String> spark = sparkConf();
        spark.putAll(ingestSparkOverrides());
        return spark;
    }

    /** The {@code ingest.spark.*} entries, keyed without "ingest.": where the ingests' settings differ from the SQL jobs'. */
    public Map<String, String> ingestSparkOverrides() {
        return entriesUnder(ConfigKeys.INGEST_SPARK_PREFIX, ConfigKeys.SPARK_PREFIX);
    }

    /** The entries whose key starts with {@code prefix}, keyed by {@code replacement} and the rest of the key. */
    private Map<String, String> entriesUnder(String prefix, String replacement) {
        Map<String, String> entries = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                entries.put(replacement + key.substring(prefix.length()), value);
            }
        });
        return entries;
    }

    /** All entries, for passing this exact configuration on to a child process. */
    public Map<String, String> asMap() {
        return values;
    }

    /** This exact configuration as a properties file, for a child process's --config (Properties escapes the values). */
    public void writeTo(Path file) {
        Properties properties = new Properties();
        properties.putAll(values);
        try (Writer writer = Files.newBufferedWriter(file)) {
            properties.store(writer, null);
        } catch (IOException e) {
            throw new ConfigException("cannot write the configuration to " + file + ": " + e.getMessage());
        }
    }

    /**
     * Typed overrides for the demo, the benchmarks and the tests, e.g.
     * {@code config.toBuilder().kafkaBootstrapServers(bootstrap).tableRoot(dir).build()}.
     */
    public static final class Builder {
        private final Map<String, String> values;

        private Builder(Map<String, String> values) {
            this.values = new TreeMap<>(values);
        }

        /** One key as a file would set it, for keys without a typed setter (spark.*) and for testing the checks. */
        public Builder set(String key, String value) {
            values.put(key, value);
            return this;
        }

        public Builder kafkaBootstrapServers(String bootstrapServers) {
            return set(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, bootstrapServers);
        }

        public Builder appLogTopic(String topic) {
            return set(ConfigKeys.KAFKA_TOPIC_APP_LOG, topic);
        }

        public Builder maxOffsetsPerTrigger(long records) {
            return set(ConfigKeys.KAFKA_MAX_OFFSETS_PER_TRIGGER, String.valueOf(records));
        }

        public Builder sourceDbHost(String host) {
            return set(ConfigKeys.SOURCE_DB_HOST, host);
        }

        public Builder sourceDbPort(int port) {
            return set(ConfigKeys.SOURCE_DB_PORT, String.valueOf(port));
        }

        public Builder trinoPort(int port) {
            return set(ConfigKeys.TRINO_PORT, String.valueOf(port));
        }

        /** A local folder; a relative one is taken from the project folder, as in a config file. */
        public Builder tableRoot(Path dir) {
            return set(ConfigKeys.TABLE_ROOT, dir.toString());
        }

        /** A root on an object store, e.g. s3a://bucket/tables. */
        public Builder tableRoot(URI root) {
            return set(ConfigKeys.TABLE_ROOT, root.toString());
        }

        public Builder checkpointRoot(Path dir) {
            return set(ConfigKeys.CHECKPOINT_ROOT, dir.toString());
        }

        public Builder checkpointRoot(URI root) {
            return set(ConfigKeys.CHECKPOINT_ROOT, root.toString());
        }

        public Builder runDir(Path dir) {
            return set(ConfigKeys.RUN_DIR, dir.toString());
        }

        /** 'available-now' or an interval such as '5 seconds'. */
        public Builder trigger(String trigger) {
            return set(ConfigKeys.INGEST_TRIGGER, trigger);
        }

        public Builder s3Endpoint(URI endpoint) {
            return set(ConfigKeys.S3_ENDPOINT, endpoint.toString());
        }

        public Builder s3PathStyleAccess(boolean pathStyle) {
            return set(ConfigKeys.S3_PATH_STYLE_ACCESS, String.valueOf(pathStyle));
        }

        public Builder s3Keys(String accessKey, String secretKey) {
            return set(ConfigKeys.S3_ACCESS_KEY, accessKey).set(ConfigKeys.S3_SECRET_KEY, secretKey);
        }

        public LakehouseConfig build() {
            return new LakehouseConfig(values);
        }
    }

    private static ZoneId parseZone(String zone) {
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new ConfigException("config key '" + ConfigKeys.TIME_ZONE + "': unknown time zone '" + zone + "'");
        }
    }

    private static Map<String, String> defaults() {
        try (InputStream in = LakehouseConfig.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
            Properties properties = new Properties();
            properties.load(in);
            return toMap(properties);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the jar lacks " + DEFAULTS, e);
        }
    }

    private static Map<String, String> readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " does not exist");
        }
        try (Reader reader = Files.newBufferedReader(file)) {
            Properties properties = new Properties();
            properties.load(reader);
            return toMap(properties);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
        }
    }

    /** LAKEHOUSE_KAFKA_BOOTSTRAP_SERVERS overrides kafka.bootstrap.servers; unknown variables are ignored. */
    private static Map<String, String> fromEnvironment(Map<String, String> known, Map<String, String> environment) {
        Map<String, String> overrides = new TreeMap<>();
        for (String key : known.keySet()) {
            String variable = ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
            String value = environment.get(variable);
            if (value != null) {
                overrides.put(key, value);
            }
        }
        return overrides;
    }

    private static Map<String, String> toMap(Properties properties) {
        Map<String, String> map = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name).trim()));
        return map;
    }
}
