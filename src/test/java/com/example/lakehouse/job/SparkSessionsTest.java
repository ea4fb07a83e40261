package com.example.lakehouse.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapred.JobConf;
import org.junit.jupiter.api.Test;

import com.example.lakehouse.SparkTestBase;

class SparkSessionsTest extends SparkTestBase {

    @Test
    void aLocalSessionShipsHadoopsDefaultsButYarnsToItsTasks() {
        String path = workDir.resolve("written").toString();
        spark.range(3).write().format("delta").save(path); // loads the Parquet, MapReduce and file system classes
        assertThat(spark.read().format("delta").load(path).count()).isEqualTo(3);

        new JobConf(false); // a plain Hadoop configuration, with every default resource a JVM that wrote Parquet has
        Configuration plain = new Configuration();
        Set<String> yarnDefaults = keysFrom(plain, "yarn-default.xml");
        Set<String> otherDefaults = keysFrom(plain, "core-default.xml");
        otherDefaults.addAll(keysFrom(plain, "mapred-default.xml"));
        Configuration shipped = spark.sessionState().newHadoopConf(); // what a write or a scan serialises

        assertThat(yarnDefaults).hasSizeGreaterThan(500);
        assertThat(yarnDefaults).allSatisfy(key -> assertThat(shipped.getRaw(key)).as(key).isNull());
        // present, with Hadoop's value or the one Spark or the session set
        assertThat(otherDefaults).hasSizeGreaterThan(500)
                .allSatisfy(key -> assertThat(shipped.getRaw(key)).as(key).isNotNull());
    }

    /** The keys of {@code conf} that only {@code resource} set. */
    private static Set<String> keysFrom(Configuration conf, String resource) {
        Set<String> keys = new HashSet<>();
        conf.forEach(entry -> {
            String[] sources = conf.getPropertySources(entry.getKey());
            if (sources != null && List.of(sources).equals(List.of(resource))) {
                keys.add(entry.getKey());
            }
        });
        return keys;
    }
}
