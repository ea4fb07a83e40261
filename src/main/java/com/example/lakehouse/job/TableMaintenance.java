package com.example.lakehouse.job;

import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.lakehouse.sink.DeltaConflicts;
import com.example.lakehouse.table.TableDef;

/**
 * Delta housekeeping. OPTIMIZE bin-packs the small files that micro-batches and daily overwrites leave
 * (readers, Trino included, then open fewer files); VACUUM deletes data files that no table version
 * within the retention needs. Neither changes what any query returns. Both are safe beside the running
 * streams: OPTIMIZE and the streams' keyed writes retry on each other's conflicting commits
 * ({@link DeltaConflicts}).
 */
public final class TableMaintenance {
    /** Delta's own default (delta.deletedFileRetentionDuration = 7 days); Delta refuses less unless told to. */
    public static final int MIN_RETAIN_HOURS = 168;
    private static final Logger LOG = LoggerFactory.getLogger(TableMaintenance.class);

    private TableMaintenance() {
    }

    public static void optimize(SparkSession spark, TableDef table) {
        long started = System.nanoTime();
        DeltaConflicts.retry("OPTIMIZE " + table.name(), () -> spark.sql("OPTIMIZE " + table.qualifiedName()).collectAsList());
        LOG.info("{} optimized in {} ms", table.name(), (System.nanoTime() - started) / 1_000_000);
    }

    public static void vacuum(SparkSession spark, TableDef table, int retainHours) {
        if (retainHours < MIN_RETAIN_HOURS) {
            throw new IllegalArgumentException("retention " + retainHours + " h is below " + MIN_RETAIN_HOURS + " h");
        }
        long started = System.nanoTime();
        spark.sql("VACUUM " + table.qualifiedName() + " RETAIN " + retainHours + " HOURS").collectAsList();
        LOG.info("{} vacuumed (retain {} h) in {} ms", table.name(), retainHours, (System.nanoTime() - started) / 1_000_000);
    }
}
