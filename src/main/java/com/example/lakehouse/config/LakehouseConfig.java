package com.example.lakehouse.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.spark.sql.streaming.Trigger;

/**
 * Everything a job needs to know about its environment: Kafka, where tables and checkpoints live, the
 * time zone of event dates and the streaming trigger. Built from the defaults on the classpath, then an
 * optional properties file, then LAKEHOUSE_* environment variables; every value is checked here, so a
 * bad one fails at start-up with a message that names the key.
 */
public final class LakehouseConfig {
    public static final String ENV_PREFIX = "LAKEHOUSE_";
    private static final String DEFAULTS = "lakehouse-defaults.properties";

    private final Map<String, String> values;
    private final ZoneId timeZone;
    private final Trigger trigger;

    private LakehouseConfig(Map<String, String> values) {
        this.values = Map.copyOf(values);
        this.timeZone = parseZone(require("lakehouse.time-zone"));
        this.trigger = parseTrigger(require("ingest.trigger"));
        positiveLong("kafka.max-offsets-per-trigger");
        positiveLong("jobs.stop-timeout-seconds");
        require("kafka.bootstrap.servers");
        require("kafka.topic.app-log");
        require("kafka.topic.maxwell");
        require("source.db.host");
        require("source.db.database");
        require("source.db.user");
        positiveLong("source.db.port");
        positiveLong("trino.port");
        positiveLong("serve.port");
        require("serve.host");
        require("trino.host");
        require("trino.catalog");
        require("trino.user");
        require("lakehouse.table-root");
        require("lakehouse.checkpoint-root");
        require("lakehouse.run-dir");
        checkS3Settings();
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

    /** A copy with some keys replaced, checked like a loaded config. */
    public LakehouseConfig with(Map<String, String> overrides) {
        Map<String, String> merged = new TreeMap<>(values);
        merged.putAll(overrides);
        return new LakehouseConfig(merged);
    }

    public String kafkaBootstrapServers() {
        return values.get("kafka.bootstrap.servers");
    }

    public String appLogTopic() {
        return values.get("kafka.topic.app-log");
    }

    public String maxwellTopic() {
        return values.get("kafka.topic.maxwell");
    }

    /** The business database Maxwell captures; changes of other databases stay in ods_maxwell only. */
    public String sourceDatabase() {
        return values.get("source.db.database");
    }

    public String sourceDbHost() {
        return values.get("source.db.host");
    }

    public int sourceDbPort() {
        return Integer.parseInt(values.get("source.db.port"));
    }

    public String sourceDbUser() {
        return values.get("source.db.user");
    }

    public String sourceDbPassword() {
        return values.getOrDefault("source.db.password", "");
    }

    /** JDBC URL of the source database (MariaDB or MySQL). */
    public String sourceJdbcUrl() {
        return "jdbc:mariadb://" + sourceDbHost() + ":" + sourceDbPort() + "/" + sourceDatabase();
    }

    public String trinoHost() {
        return values.get("trino.host");
    }

    public int trinoPort() {
        return Integer.parseInt(values.get("trino.port"));
    }

    /** Trino catalog whose delta_lake connector reads the table root. */
    public String trinoCatalog() {
        return values.get("trino.catalog");
    }

    public String trinoUser() {
        return values.get("trino.user");
    }

    /** Interface `lakehouse serve` listens on: 127.0.0.1, or 0.0.0.0 for every interface. */
    public String serveHost() {
        return values.get("serve.host");
    }

    public int servePort() {
        return Integer.parseInt(values.get("serve.port"));
    }

    /** JDK the local Trino server runs on (Trino needs a newer Java than Spark). */
    public String trinoJavaHome() {
        return values.get("trino.java-home");
    }

    /** The S3 endpoint of s3a:// roots; empty for AWS S3 itself. */
    public Optional<URI> s3Endpoint() {
        String endpoint = values.getOrDefault("s3.endpoint", "");
        return endpoint.isBlank() ? Optional.empty() : Optional.of(URI.create(endpoint.trim()));
    }

    /**
     * The region to sign S3 requests for: s3.region, else us-east-1 where an s3.endpoint is set (an
     * S3-compatible server takes any), else empty for the AWS default (environment, profile, instance).
     */
    public Optional<String> s3Region() {
        String region = values.getOrDefault("s3.region", "");
        if (!region.isBlank()) {
            return Optional.of(region);
        }
        return s3Endpoint().map(endpoint -> "us-east-1");
    }

    /** Bucket in the path rather than in the host name; false unless s3.path-style-access says true. */
    public boolean s3PathStyleAccess() {
        return Boolean.parseBoolean(values.getOrDefault("s3.path-style-access", ""));
    }

    /** Access key and secret key; empty for the default AWS credential chain. */
    public Optional<Map.Entry<String, String>> s3Keys() {
        String accessKey = values.getOrDefault("s3.access-key", "");
        return accessKey.isBlank() ? Optional.empty() : Optional.of(Map.entry(accessKey, values.get("s3.secret-key")));
    }

    /**
     * The s3. settings as Hadoop's s3a options (fs.s3a.*), which the Spark session gets as spark.hadoop.*.
     * Only what is set is passed, so an empty s3. section leaves s3a to its own defaults and to the
     * cluster's core-site.xml.
     */
    public Map<String, String> s3aOptions() {
        Map<String, String> options = new TreeMap<>();
        s3Region().ifPresent(region -> options.put("fs.s3a.endpoint.region", region));
        s3Endpoint().ifPresent(endpoint -> {
            options.put("fs.s3a.endpoint", endpoint.toString());
            options.put("fs.s3a.connection.ssl.enabled", String.valueOf(endpoint.getScheme().equals("https")));
        });
        if (!values.getOrDefault("s3.path-style-access", "").isBlank()) {
            options.put("fs.s3a.path.style.access", String.valueOf(s3PathStyleAccess()));
        }
        s3Keys().ifPresent(keys -> {
            options.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
            options.put("fs.s3a.access.key", keys.getKey());
            options.put("fs.s3a.secret.key", keys.getValue());
        });
        return options;
    }

    public long maxOffsetsPerTrigger() {
        return Long.parseLong(values.get("kafka.max-offsets-per-trigger"));
    }

    /** Table root as a URI string without a trailing slash ({@code file:/...} or {@code s3a://...}). */
    public String tableRoot() {
        return toUri(values.get("lakehouse.table-root"));
    }

    public String checkpointRoot() {
        return toUri(values.get("lakehouse.checkpoint-root"));
    }

    public Path runDir() {
        return Path.of(values.get("lakehouse.run-dir")).toAbsolutePath();
    }

    public ZoneId timeZone() {
        return timeZone;
    }

    public Trigger trigger() {
        return trigger;
    }

    public long stopTimeoutSeconds() {
        return Long.parseLong(values.get("jobs.stop-timeout-seconds"));
    }

    /** The {@code spark.*} entries, handed to the SparkSession builder. */
    public Map<String, String> sparkConf() {
        Map<String, String> spark = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith("spark.")) {
                spark.put(key, value);
            }
        });
        return spark;
    }

    /** All entries, for passing this exact configuration on to a child process. */
    public Map<String, String> asMap() {
        return values;
    }

    private String require(String key) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new ConfigException("config key '" + key + "' is missing or empty");
        }
        return value.trim();
    }

    private void positiveLong(String key) {
        String value = require(key);
        try {
            if (Long.parseLong(value) > 0) {
                return;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException("config key '" + key + "' must be a positive whole number, got '" + value + "'");
    }

    private void checkS3Settings() {
        String endpoint = values.getOrDefault("s3.endpoint", "").trim();
        if (!endpoint.isEmpty()) {
            URI uri;
            try {
                uri = URI.create(endpoint);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new ConfigException("config key 's3.endpoint' must be an http:// or https:// URL such as"
                        + " http://127.0.0.1:9000, got '" + endpoint + "'");
            }
        }
        String pathStyle = values.getOrDefault("s3.path-style-access", "").trim();
        if (!pathStyle.isEmpty() && !pathStyle.equals("true") && !pathStyle.equals("false")) {
            throw new ConfigException("config key 's3.path-style-access' must be true or false, got '" + pathStyle + "'");
        }
        boolean accessKey = !values.getOrDefault("s3.access-key", "").isBlank();
        boolean secretKey = !values.getOrDefault("s3.secret-key", "").isBlank();
        if (accessKey != secretKey) {
            throw new ConfigException("config keys 's3.access-key' and 's3.secret-key' go together: set both or neither");
        }
    }

    private static ZoneId parseZone(String zone) {
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new ConfigException("config key 'lakehouse.time-zone': unknown time zone '" + zone + "'");
        }
    }

    private static Trigger parseTrigger(String trigger) {
        if (trigger.equalsIgnoreCase("available-now")) {
            return Trigger.AvailableNow();
        }
        try {
            return Trigger.ProcessingTime(trigger);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config key 'ingest.trigger' must be 'available-now' or an interval such as"
                    + " '10 seconds', got '" + trigger + "'");
        }
    }

    private static String toUri(String location) {
        String trimmed = location.trim().replaceAll("/+$", "");
        if (URI.create(trimmed.replace(" ", "%20")).getScheme() != null) {
            return trimmed;
        }
        return Path.of(trimmed).toAbsolutePath().normalize().toUri().toString().replaceAll("/+$", "");
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
