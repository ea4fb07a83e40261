package com.example.lakehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
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

        assertThat(config.kafkaBootstrapServers()).isEqualTo("broker:9092");
        assertThat(config.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(config.tableRoot()).isEqualTo("s3a://bucket/lake");
        assertThat(config.appLogTopic()).isEqualTo("app_log");
        assertThat(config.sparkConf()).containsKey("spark.sql.shuffle.partitions");
    }

    @Test
    void localTableRootBecomesAnAbsoluteFileUri() {
        assertThat(LakehouseConfig.defaultConfig().tableRoot()).startsWith("file:/").endsWith("/var/lakehouse/tables");
    }

    @Test
    void triggerIsAvailableNowOrAnInterval() {
        assertThat(LakehouseConfig.defaultConfig().with(Map.of("ingest.trigger", "available-now")).trigger())
                .isEqualTo(Trigger.AvailableNow());
        assertThat(LakehouseConfig.defaultConfig().with(Map.of("ingest.trigger", "5 seconds")).trigger())
                .isEqualTo(Trigger.ProcessingTime("5 seconds"));
    }

    @Test
    void badValuesNameTheKey(@TempDir Path dir) {
        LakehouseConfig defaults = LakehouseConfig.defaultConfig();
        assertThatThrownBy(() -> defaults.with(Map.of("lakehouse.time-zone", "Asia/Shangai")))
                .isInstanceOf(ConfigException.class).hasMessage("config key 'lakehouse.time-zone': unknown time zone 'Asia/Shangai'");
        assertThatThrownBy(() -> defaults.with(Map.of("ingest.trigger", "often")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'ingest.trigger'");
        assertThatThrownBy(() -> defaults.with(Map.of("kafka.max-offsets-per-trigger", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'kafka.max-offsets-per-trigger' must be a positive");
        assertThatThrownBy(() -> defaults.with(Map.of("kafka.bootstrap.servers", " ")))
                .isInstanceOf(ConfigException.class).hasMessage("config key 'kafka.bootstrap.servers' is missing or empty");
        assertThatThrownBy(() -> defaults.with(Map.of("s3.endpoint", "127.0.0.1:9000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'s3.endpoint' must be an http:// or https:// URL");
        assertThatThrownBy(() -> defaults.with(Map.of("s3.path-style-access", "yes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'s3.path-style-access' must be true or false");
        assertThatThrownBy(() -> defaults.with(Map.of("s3.access-key", "lakehouse")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("set both or neither");
        assertThatThrownBy(() -> LakehouseConfig.load(dir.resolve("missing.properties"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageEndingWith("missing.properties does not exist");
    }

    @Test
    void s3SettingsBecomeS3aOptionsOnlyWhereSet() {
        assertThat(LakehouseConfig.defaultConfig().s3aOptions()).as("left to core-site.xml and AWS").isEmpty();
        assertThat(LakehouseConfig.defaultConfig().with(Map.of("s3.region", "eu-west-1")).s3aOptions())
                .containsExactly(Map.entry("fs.s3a.endpoint.region", "eu-west-1"));
        assertThat(LakehouseConfig.defaultConfig().with(Map.of("s3.endpoint", "http://127.0.0.1:9000",
                "s3.path-style-access", "true", "s3.access-key", "id", "s3.secret-key", "secret")).s3aOptions())
                .containsEntry("fs.s3a.endpoint", "http://127.0.0.1:9000")
                .containsEntry("fs.s3a.endpoint.region", "us-east-1")
                .containsEntry("fs.s3a.connection.ssl.enabled", "false")
                .containsEntry("fs.s3a.path.style.access", "true")
                .containsEntry("fs.s3a.access.key", "id")
                .containsEntry("fs.s3a.secret.key", "secret")
                .containsEntry("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    }
}
