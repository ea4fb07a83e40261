package com.example.lakehouse.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.StreamSupport;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.mapred.JobConf;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.storage.InProcessLocalFileSystem;
import com.example.lakehouse.storage.LocalTableLogStore;
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

    /**
     * Sets {@code session}, which runs an ingest's micro-batch of {@code records}, to the ingests' own settings
     * ({@code ingest.spark.*}) for a batch under {@code ingest.large-batch-records} or of a size not known before
     * it is read, and to the SQL jobs' settings for a larger one. Spark's generated code costs a fixed time that
     * every query of every batch pays again, and saves time on every row: the interpreted expressions the ingests
     * run by default suit the few hundred records of a live batch, generated code the thousands of a replay's or
     * a backlog's. Only settings a running session may change are switched.
     */
    public static void configureForBatch(SparkSession session, LakehouseConfig config, OptionalLong records) {
        switchIngestSettings(session, config, records.orElse(0) < config.ingest().largeBatchRecords());
    }

    /**
     * Sets {@code session}, about to run SQL jobs over tables of {@code inputBytes} that the run does not build, to the
     * ingests' small-batch settings ({@code ingest.spark.*}) under {@code run.large-input-bytes}, and to the SQL jobs'
     * own from there or when the size is not known; returns whether it chose the small-batch settings. The same trade
     * as a micro-batch's: a day of a small shop is a few thousand rows, and a run in a JVM of its own (a DAG task's)
     * spent a good part of its time generating and compiling the code of its queries.
     */
    public static boolean configureForRun(SparkSession session, LakehouseConfig config, OptionalLong inputBytes) {
        boolean small = inputBytes.isPresent() && inputBytes.getAsLong() < config.largeRunInputBytes();
        switchIngestSettings(session, config, small);
        return small;
    }

    /**
     * A session beside an ingest's {@code session}, on the same Spark application, with the SQL jobs' settings: for
     * the work its sink does in the background, compacting a day's files, which is a batch job's size, not a live
     * micro-batch's.
     */
    public static SparkSession forBackgroundWork(SparkSession session, LakehouseConfig config) {
        SparkSession background = session.newSession();
        useSqlJobSettings(background, config);
        return background;
    }

    /** Sets {@code session} to the SQL jobs' settings where the ingests' differ: a plain Spark job's, for comparison. */
    public static void useSqlJobSettings(SparkSession session, LakehouseConfig config) {
        switchIngestSettings(session, config, false);
    }

    private static void switchIngestSettings(SparkSession session, LakehouseConfig config, boolean ingests) {
        Map<String, String> sqlJobs = config.sparkConf();
        config.ingestSparkOverrides().forEach((key, ingestValue) -> {
            if (session.conf().isModifiable(key)) {
                String value = ingests ? ingestValue : sqlJobs.get(key);
                if (value == null) { // no spark.* key of that name: Spark's default
                    session.conf().unset(key);
                } else {
                    session.conf().set(key, value);
                }
            }
        });
    }

    private static SparkSession create(LakehouseConfig config, String appName, Collection<TableDef> tables,
                                       Map<String, String> sparkConf) {
        // spark-submit passes spark.master as a system property; only a plain `java` run gets the configured one
        boolean launchedBySparkSubmit = new SparkConf().contains("spark.master");
        SparkSession.Builder builder = SparkSession.builder().appName(appName);
        String master = launchedBySparkSubmit ? new SparkConf().get("spark.master") : sparkConf.getOrDefault("spark.master", "");
        boolean localMaster = master.startsWith("local"); // executors in this JVM
        if (localMaster) { // before the configured keys, so a user's fs.file.impl wins
            InProcessLocalFileSystem.hadoopSettings().forEach((key, value) -> builder.config("spark.hadoop." + key, value));
        }
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
                .config(LocalTableLogStore.CONFIG_KEY, LocalTableLogStore.class.getName())
                .config("spark.sql.session.timeZone", config.timeZone().getId())
                .getOrCreate();
        if (localMaster) {
            dropYarnDefaults(spark.sparkContext().hadoopConfiguration());
        }
        SessionTables.registerExisting(spark, config.storage().tableRoot(), tables);
        return spark;
    }

    /**
     * Removes from {@code hadoopConf} the 520 entries that Hadoop's yarn-default.xml gives every configuration once
     * MapReduce's {@code JobConf} is loaded (by the first Parquet read or write), about half of a session's 1,088.
     * Spark serialises a session's Hadoop configuration into every write's tasks and every Parquet scan, and each task
     * reads it back: about 4 ms and 2 ms a time, a tenth of a CDC ingest's CPU in small micro-batches
     * (docs/benchmarks.md); without those entries, half that. Nothing in a local Spark reads YARN's settings; a
     * cluster's YARN client does, so this is for a local master only. Should a later class add a default resource,
     * Hadoop reloads every configuration and the entries come back: that time is paid again, nothing else changes.
     */
    private static void dropYarnDefaults(Configuration hadoopConf) {
        // the classes that add Hadoop's default resources, each addition reloading every configuration (which would bring
        // the entries back): MapReduce's JobConf (yarn-default.xml among them) and the file systems' (HDFS's), once per JVM
        new JobConf(false);
        try {
            FileSystem.getLocal(hadoopConf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> yarnDefaults = StreamSupport.stream(hadoopConf.spliterator(), false).map(Map.Entry::getKey)
                .filter(key -> List.of("yarn-default.xml").equals(sourcesOf(hadoopConf, key))).toList();
        yarnDefaults.forEach(hadoopConf::unset);
    }

    private static List<String> sourcesOf(Configuration hadoopConf, String key) {
        String[] sources = hadoopConf.getPropertySources(key);
        return sources == null ? List.of() : List.of(sources);
    }
}
