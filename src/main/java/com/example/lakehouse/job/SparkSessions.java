package com.example.lakehouse.job;

import java.util.Collection;
import java.util.Map;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.table.SessionTables;
import com.example.lakehouse.table.TableDef;

/**
 * Builds the SparkSession every job uses: Delta enabled, the configured time zone and object store, the
 * tables that exist registered (all of them, or those a job names).
 */
public final class SparkSessions {
    private SparkSessions() {
    }

    /**
     * A session with those of {@code tables} that exist registered: all of them, or only those a job reads, so it
     * starts sooner.
     */
    public static SparkSession create(LakehouseConfig config, String appName, Collection<TableDef> tables) {
        return create(config, appName, tables, config.sparkConf());
    }

    /**
     * {@link #create}, with the streaming ingests' Spark settings ({@link LakehouseConfig#ingestSparkConf}): for the
     * ingests and for the benchmarks that time their micro-batches.
     */
    public static SparkSession createForIngest(LakehouseConfig config, String appName, Collection<TableDef> tables) {
        return create(config, appName, tables, config.ingestSparkConf());
    }

    private static SparkSession create(LakehouseConfig config, String appName, Collection<TableDef> tables,
                                       Map<String, String> sparkConf) {
        // spark-submit passes spark.master as a system property; only a plain `java` run gets the configured one
        boolean launchedBySparkSubmit = new SparkConf().contains("spark.master");
        SparkSession.Builder builder = SparkSession.builder().appName(appName);
        // an explicit spark.hadoop.fs.s3a.* key in the configuration wins over the one made from s3.*
        config.s3().s3aOptions().forEach((key, value) -> builder.config("spark.hadoop." + key, value));
        sparkConf.forEach((key, value) -> {
            if (!(launchedBySparkSubmit && key.equals("spark.master"))) {
                builder.config(key, value);
            }
        });
        SparkSession spark = builder
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.sql.session.timeZone", config.timeZone().getId())
                .getOrCreate();
        SessionTables.registerExisting(spark, config.storage().tableRoot(), tables);
        return spark;
    }
}
