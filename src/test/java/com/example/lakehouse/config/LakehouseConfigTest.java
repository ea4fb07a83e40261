package com.example.lakehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;

import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakehouseConfigTest {
    @Test
    void fileOverridesDefaultsAndEnvironmentOverridesFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("lakehouse.properties");
        Files.writeString(file, "kafka.bootstrap.servers=broker:9092\nlakehouse.time-zone=UTC\n");
        LakehouseConfig config = LakehouseConfig.load(file, Map.of("LAKEHOUSE_LAKEHOUSE_TIME_ZONE", "Europe/Berlin",
                "LAKEHOUSE_LAKEHOUSE_TABLE_ROOT", "s3a://bucket/lake/"));

        assertThat(config.kafka().bootstrapServers()).isEqualTo("broker:9092");
        assertThat(config.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(config.storage().tableRoot()).isEqualTo("s3a://bucket/lake");
        assertThat(config.kafka().appLogTopic()).isEqualTo("app_log");
        assertThat(config.sparkConf()).containsKey("spark.sql.shuffle.partitions");
    }

    @Test
    void theIngestsSparkSettingsGoOverTheOthersForTheIngestsOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("lakehouse.properties");
        Files.writeString(file, "spark.sql.shuffle.partitions=8\ningest.spark.sql.shuffle.partitions=2\n"
                + "ingest.spark.sql.codegen.factoryMode=FALLBACK\n");
        LakehouseConfig config = LakehouseConfig.load(file, Map.of());

        assertThat(config.sparkConf()).containsEntry("spark.sql.shuffle.partitions", "8")
                .doesNotContainKey("spark.sql.codegen.factoryMode")
                .allSatisfy((key, value) -> assertThat(key).startsWith("spark."));
        assertThat(config.ingestSparkConf()).containsEntry("spark.sql.shuffle.partitions", "2")
                .containsEntry("spark.sql.codegen.factoryMode", "FALLBACK")
                .containsEntry("spark.sql.codegen.wholeStage", "false")
                .containsEntry("spark.master", config.sparkConf().get("spark.master"))
                .allSatisfy((key, value) -> assertThat(key).startsWith("spark."));
    }

    @Test
    void localTableRootBecomesAnAbsoluteFileUri() {
        assertThat(LakehouseConfig.defaultConfig().storage().tableRoot()).startsWith("file:/").endsWith("/var/lakehouse/tables");
    }

    @Test
    void relativePathsAreTakenFromTheProjectFolder(@TempDir Path project) {
        String before = System.getProperty(ProjectHome.PROPERTY);
        System.setProperty(ProjectHome.PROPERTY, project.toString());
        try {
            StorageSettings storage = LakehouseConfig.defaultConfig().storage();
            assertThat(storage.tableRoot()).isEqualTo(project.resolve("var/lakehouse/tables").toUri().toString().replaceAll("/$", ""));
            assertThat(storage.runDir()).isEqualTo(project.resolve("var/run"));
        } finally {
            if (before == null) {
                System.clearProperty(ProjectHome.PROPERTY);
            } else {
                System.setProperty(ProjectHome.PROPERTY, before);
            }
        }
    }

    @Test
    void sectionsAreTyped() {
        LakehouseConfig config = LakehouseConfig.defaultConfig().toBuilder().maxOffsetsPerTrigger(90).sourceDbPort(3307)
                .set("jobs.stop-timeout-seconds", "5").build();
        assertThat(config.kafka().maxOffsetsPerTrigger()).isEqualTo(90L);
        assertThat(config.sourceDb().jdbcUrl()).isEqualTo("jdbc:mariadb://127.0.0.1:3307/gmall");
        assertThat(config.ingest().stopTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> config.toBuilder().set("trino.port", "70000").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("'trino.port' must be a port number");
    }

    @Test
    void writesItselfForAChildProcessExactly(@TempDir Path dir) {
        LakehouseConfig config = LakehouseConfig.defaultConfig().toBuilder().tableRoot(dir.resolve("tables"))
                .set("spark.sql.warehouse.dir", "C:\\temp\\warehouse = x").build();
        Path file = dir.resolve("child.properties");
        config.writeTo(file);
        assertThat(LakehouseConfig.load(file, Map.of()).asMap()).isEqualTo(config.asMap());
    }

    @Test
    void triggerIsAvailableNowOrAnInterval() {
        assertThat(LakehouseConfig.defaultConfig().toBuilder().trigger("available-now").build().ingest().trigger())
                .isEqualTo(Trigger.AvailableNow());
        assertThat(LakehouseConfig.defaultConfig().toBuilder().trigger("5 seconds").build().ingest().trigger())
                .isEqualTo(Trigger.ProcessingTime("5 seconds"));
        assertThat(LakehouseConfig.defaultConfig().ingest().mirrorTrigger()).isEqualTo(Trigger.ProcessingTime("5 seconds"));
        assertThat(LakehouseConfig.defaultConfig().ingest().liveTrigger()).isEqualTo(Trigger.ProcessingTime("1 second"));
        // the mirrors and the live query follow a running ingest; a drain runs them to its end by itself
        assertThatThrownBy(() -> LakehouseConfig.defaultConfig().toBuilder().set("ingest.mirror-trigger", "available-now").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("'ingest.mirror-trigger' must be an interval");
        assertThatThrownBy(() -> LakehouseConfig.defaultConfig().toBuilder().set("ingest.live-trigger", "soon").build())
                .isInstanceOf(ConfigException.class).hasMessage("config key 'ingest.live-trigger' must be an interval such as '5 seconds', got 'soon'");
    }

    @Test
    void badValuesNameTheKey(@TempDir Path dir) {
        LakehouseConfig defaults = LakehouseConfig.defaultConfig();
        assertThatThrownBy(() -> defaults.toBuilder().set("lakehouse.time-zone", "Asia/Shangai").build())
                .isInstanceOf(ConfigException.class).hasMessage("config key 'lakehouse.time-zone': unknown time zone 'Asia/Shangai'");
        assertThatThrownBy(() -> defaults.toBuilder().trigger("often").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("'ingest.trigger'");
        assertThatThrownBy(() -> defaults.toBuilder().set("kafka.max-offsets-per-trigger", "-1").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("'kafka.max-offsets-per-trigger' must be a positive");
        assertThatThrownBy(() -> defaults.toBuilder().set("kafka.bootstrap.servers", " ").build())
                .isInstanceOf(ConfigException.class).hasMessage("config key 'kafka.bootstrap.servers' is missing or empty");
        assertThatThrownBy(() -> defaults.toBuilder().set("s3.endpoint", "127.0.0.1:9000").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("'s3.endpoint' must be an http:// or https:// URL");
        assertThatThrownBy(() -> defaults.toBuilder().set("s3.path-style-access", "yes").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("'s3.path-style-access' must be true or false");
        assertThatThrownBy(() -> defaults.toBuilder().set("s3.access-key", "lakehouse").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("set both or neither");
        assertThatThrownBy(() -> LakehouseConfig.load(dir.resolve("missing.properties"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageEndingWith("missing.properties does not exist");
    }

    @Test
    void theApiTokenComesFromItsKeyOrAFileAndIsNeverEchoed(@TempDir Path dir) throws IOException {
        LakehouseConfig defaults = LakehouseConfig.defaultConfig();
        assertThat(defaults.serve().token()).isEmpty();
        assertThat(LakehouseConfig.load(null, Map.of("LAKEHOUSE_SERVE_TOKEN", "from-env")).serve().token()).hasValue("from-env");
        Path file = Files.writeString(dir.resolve("token"), "from-file\n");
        LakehouseConfig fromFile = defaults.toBuilder().set("serve.token-file", file.toString()).build();
        assertThat(fromFile.serve().token()).hasValue("from-file");
        assertThat(fromFile.serve().toString()).doesNotContain("from-file").contains("token=(set)");
        assertThatThrownBy(() -> defaults.toBuilder().set("serve.token", "t0ken").set("serve.token-file", file.toString()).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("both set").hasMessageNotContaining("t0ken");
        Path missing = dir.resolve("none");
        assertThatThrownBy(() -> defaults.toBuilder().set("serve.token-file", missing.toString()).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("config key 'serve.token-file': " + missing + " does not exist");
        Path empty = Files.writeString(dir.resolve("empty"), " \n");
        assertThatThrownBy(() -> defaults.toBuilder().set("serve.token-file", empty.toString()).build())
                .isInstanceOf(ConfigException.class).hasMessage("config key 'serve.token-file': " + empty + " is empty");
        Path twoLines = Files.writeString(dir.resolve("two-lines"), "from-file\nsecond-line\n");
        assertThatThrownBy(() -> defaults.toBuilder().set("serve.token-file", twoLines.toString()).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("printable ASCII")
                .hasMessageNotContaining("second-line");
        assertThatThrownBy(() -> LakehouseConfig.load(null, Map.of("LAKEHOUSE_SERVE_TOKEN", "toute-finée")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("config key 'serve.token' ")
                .hasMessageNotContaining("toute");
    }

    @Test
    void theDatabasePasswordAndTheS3SecretKeyAreNeverPrinted() {
        LakehouseConfig config = LakehouseConfig.defaultConfig().toBuilder().set("source.db.password", "db-secret")
                .s3Keys("lakehouse", "s3-secret").build();

        assertThat(config.sourceDb().toString()).doesNotContain("db-secret").contains("password=(set)");
        assertThat(config.s3().toString()).doesNotContain("s3-secret").contains("accessKey=lakehouse", "secretKey=(set)");
    }

    @Test
    void aRelativeTokenFileIsTakenFromTheProjectFolder(@TempDir Path project) throws IOException {
        Files.writeString(project.resolve("serve.token"), "in-the-project\n");
        String before = System.getProperty(ProjectHome.PROPERTY);
        System.setProperty(ProjectHome.PROPERTY, project.toString());
        try {
            LakehouseConfig config = LakehouseConfig.defaultConfig().toBuilder().set("serve.token-file", "serve.token").build();
            assertThat(config.serve().token()).hasValue("in-the-project");
        } finally {
            if (before == null) {
                System.clearProperty(ProjectHome.PROPERTY);
            } else {
                System.setProperty(ProjectHome.PROPERTY, before);
            }
        }
    }

    @Test
    void s3SettingsBecomeS3aOptionsOnlyWhereSet() {
        assertThat(LakehouseConfig.defaultConfig().s3().s3aOptions()).as("left to core-site.xml and AWS").isEmpty();
        assertThat(LakehouseConfig.defaultConfig().toBuilder().set("s3.region", "eu-west-1").build().s3().s3aOptions())
                .containsExactly(Map.entry("fs.s3a.endpoint.region", "eu-west-1"));
        assertThat(LakehouseConfig.defaultConfig().toBuilder()
                .s3Endpoint(URI.create("http://127.0.0.1:9000")).s3PathStyleAccess(true).s3Keys("id", "secret").build().s3().s3aOptions())
                .containsEntry("fs.s3a.endpoint", "http://127.0.0.1:9000")
                .containsEntry("fs.s3a.endpoint.region", "us-east-1")
                .containsEntry("fs.s3a.connection.ssl.enabled", "false")
                .containsEntry("fs.s3a.path.style.access", "true")
                .containsEntry("fs.s3a.access.key", "id")
                .containsEntry("fs.s3a.secret.key", "secret")
                .containsEntry("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    }

    @Test
    void trinoPasswordComesFromTheEnvironmentOrAFileAndIsNeverPrinted(@TempDir Path dir) throws Exception {
        LakehouseConfig fromEnvironment = LakehouseConfig.load(null, Map.of("LAKEHOUSE_TRINO_PASSWORD", "pw-from-env",
                "LAKEHOUSE_TRINO_HTTPS", "true"));
        assertThat(fromEnvironment.trino().password()).contains("pw-from-env");
        assertThat(fromEnvironment.trino().https()).isTrue();
        assertThat(fromEnvironment.trino().sslVerification()).isEqualTo(TrinoSettings.SslVerification.FULL);
        assertThat(fromEnvironment.trino().toString()).doesNotContain("pw-from-env").contains("password=(set)");

        Path passwordFile = Files.writeString(dir.resolve("trino-password"), "pw-from-file\n");
        Path trustStore = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        TrinoSettings fromFile = LakehouseConfig.defaultConfig().toBuilder().set("trino.https", "true")
                .set("trino.password-file", passwordFile.toString()).set("trino.truststore", trustStore.toString())
                .set("trino.truststore-password", "store-pw").set("trino.ssl-verification", "CA").build().trino();
        assertThat(fromFile.password()).contains("pw-from-file");
        assertThat(fromFile.trustStore()).contains(trustStore);
        assertThat(fromFile.sslVerification()).isEqualTo(TrinoSettings.SslVerification.CA);
        assertThat(fromFile.toString()).doesNotContain("pw-from-file").doesNotContain("store-pw");
    }

    @Test
    void aTrinoPasswordNeedsHttpsAndBadTrinoSecuritySettingsNameTheirKey(@TempDir Path dir) throws Exception {
        LakehouseConfig.Builder https = LakehouseConfig.defaultConfig().toBuilder().set("trino.https", "true");
        assertThatThrownBy(() -> LakehouseConfig.defaultConfig().toBuilder().set("trino.password", "secret").build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("config key 'trino.password' needs 'trino.https=true': Trino takes a password only over HTTPS");
        Path passwordFile = Files.writeString(dir.resolve("trino-password"), "secret");
        assertThatThrownBy(() -> LakehouseConfig.defaultConfig().toBuilder().set("trino.password-file", passwordFile.toString()).build())
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("config key 'trino.password-file' needs 'trino.https=true'");
        assertThatThrownBy(() -> LakehouseConfig.defaultConfig().toBuilder().set("trino.https", "yes").build())
                .isInstanceOf(ConfigException.class).hasMessage("config key 'trino.https' must be true or false, got 'yes'");
        assertThatThrownBy(() -> https.set("trino.password", "secret").set("trino.password-file", passwordFile.toString()).build())
                .isInstanceOf(ConfigException.class).hasMessage("config keys 'trino.password' and 'trino.password-file' are both set; set one");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> https.set("trino.password", "").set("trino.password-file", empty.toString()).build())
                .isInstanceOf(ConfigException.class).hasMessage("config key 'trino.password-file': " + empty + " is empty");
        assertThatThrownBy(() -> https.set("trino.password-file", dir.resolve("missing").toString()).build())
                .isInstanceOf(ConfigException.class).hasMessage("config key 'trino.password-file': " + dir.resolve("missing") + " does not exist");
        assertThatThrownBy(() -> https.set("trino.password-file", "").set("trino.truststore", dir.resolve("missing.p12").toString()).build())
                .isInstanceOf(ConfigException.class).hasMessage("config key 'trino.truststore': no readable file at " + dir.resolve("missing.p12"));
        assertThatThrownBy(() -> https.set("trino.truststore", "").set("trino.truststore-password", "x").build())
                .isInstanceOf(ConfigException.class).hasMessage("config key 'trino.truststore-password' is set without 'trino.truststore'");
        assertThatThrownBy(() -> LakehouseConfig.defaultConfig().toBuilder().set("trino.truststore", passwordFile.toString()).build())
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("config key 'trino.truststore' is set but 'trino.https' is not true");
        assertThatThrownBy(() -> https.set("trino.truststore-password", "").set("trino.ssl-verification", "NONE").build())
                .isInstanceOf(ConfigException.class).hasMessage("config key 'trino.ssl-verification' must be FULL or CA, got 'NONE'");
    }
}
