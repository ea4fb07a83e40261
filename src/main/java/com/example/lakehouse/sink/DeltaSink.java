package com.example.lakehouse.sink;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.delta.DeltaConcurrentModificationException;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.VersionChecksum;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.CommitInfo;
import org.apache.spark.sql.delta.actions.RemoveFile;
import org.apache.spark.sql.delta.actions.SetTransaction;
import org.apache.spark.sql.delta.hooks.AutoCompact$;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.lakehouse.table.MirrorTable;
import com.example.lakehouse.table.SessionTables;
import com.example.lakehouse.table.TableDef;

import scala.Option;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Idempotent writes into Delta: rows whose natural key is already in the table are left alone (or replace
 * an older row, for an upsert), new ones are inserted. Replaying a topic therefore changes nothing, and no
 * dedup state is kept anywhere but in the table itself. Each write is one Delta transaction that reads the
 * table's keys where the batch's keys can be and appends what is new: as exact as a MERGE beside a
 * concurrent writer (the read is recorded, so a conflicting commit fails it and it runs again), without
 * the several seconds of planning and code generation a MERGE costs whatever the batch holds.
 */
public final class DeltaSink implements TableSink {
    private static final Logger LOG = LoggerFactory.getLogger(DeltaSink.class);
    /** An upsert's kept rows name in this column the file holding the table row each replaces (null: a new key). */
    private static final String REPLACED_FILE = "replaced_table_file";
    /**
     * Appends of candidates into one partition before the sink folds it to its earliest rows: at the live
     * query's one-second trigger, about once a minute, so a reader ranks at most a minute of candidates
     * beside one folded file, and the fold's read and rewrite of the day (about a second) is not paid per batch.
     */
    private static final int FOLD_AFTER_APPENDS = 60;
    /**
     * A keyed write of at most this many rows (tens of MB) writes one file a partition: a micro-batch's rows come
     * in as many Spark partitions as the topic has (three files a commit for a few changes), and every file is one
     * more for each later write to list and read ({@link #filesOf}) and for the compaction to rewrite. Larger
     * batches keep their parallelism.
     */
    private static final long ONE_FILE_ROWS = 50_000;
    /** How long a stopping JVM waits for a running fold or upkeep: a compaction of a day's small files takes seconds. */
    private static final long FINISH_BACKGROUND_SECONDS = 20;
    /**
     * Between the ingests' stop, which waits for their micro-batches (priority 100, so the batches' commits are in),
     * and Spark's own shutdown (40 in Hadoop's manager), which would stop the SparkContext under a running fold.
     */
    private static final int FINISH_BACKGROUND_PRIORITY = 70;
    /** The operation a commit that only appends records in the table's history. */
    private static final DeltaOperations.Write APPEND =
            new DeltaOperations.Write(SaveMode.Append, Option.empty(), Option.empty(), Option.empty());
    /** Commits of one insert's files that compactions may overtake before it runs again from its read. */
    private static final int MAX_COMMITS_OF_AN_INSERT = 4;

    /**
     * The FAIR scheduler pool of the folds and upkeeps (fairscheduler.xml): their tasks take a free core in turn with
     * the micro-batches', not before all those of the batches queued after them.
     */
    private static final String BACKGROUND_POOL = "background";

    private final SparkSession spark;
    /** The session the folds and upkeeps run in: see {@link #DeltaSink(SparkSession, SparkSession, String)}. */
    private final SparkSession background;
    private final String tableRoot;
    /** Appends of candidates since this sink last folded each partition (table and partition values). */
    private final Map<List<Object>, Integer> appendsSinceFold = new ConcurrentHashMap<>();
    /**
     * Commits of a table between two of its upkeeps ({@link #upkeep}): the checkpoint Delta would write every
     * tenth commit, and the compaction of the partitions written since the last one.
     */
    public static final int UPKEEP_EVERY_COMMITS = 10;
    /** The version of each table (by location) at its last upkeep, or at this sink's first commit to it. */
    private final Map<String, Long> upkeptAt = new ConcurrentHashMap<>();
    /** The partitions of each table that compacts while written, written since its last upkeep. */
    private final Map<String, Set<Map<String, String>>> writtenSinceUpkeep = new ConcurrentHashMap<>();
    /**
     * One lock a table (by location), held by this sink's writes that rewrite files (upserts, replaced days) and by
     * its compactions: a compaction committed while such a write ran would fail it (its files added and removed
     * where the write read), and the write would run again after a back-off, a second or more and a warning in the
     * log; so the two take turns instead. A keyed insert takes no lock, so it does not wait for a compaction's whole
     * rewrite: one that a compaction's commit overtakes commits what it wrote again ({@link #commitInsert}).
     * Writers in other processes still meet Delta's conflict detection.
     */
    private final Map<String, Lock> tableLocks = new ConcurrentHashMap<>();
    /**
     * Folds and upkeeps of every sink in the JVM, one at a time, beside the writes (two compactions at once would take
     * both cores from the micro-batches); a daemon thread, which a stopping JVM waits for only
     * {@value #FINISH_BACKGROUND_SECONDS} s ({@link #finishBackgroundWork}). It inherits none of Spark's thread-local
     * state from the micro-batch whose commit first needs it: not its query's session, nor its scheduler pool (the
     * live pool, for a live query, where a compaction would take the cores today's figures wait for), nor its job
     * group (stopping that query would cancel the compaction).
     */
    private static final ExecutorService BACKGROUND_THREAD = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(null, task, "delta-sink-upkeep", 0, false);
        thread.setDaemon(true);
        return thread;
    });
    /** Whether {@link #finishBackgroundWork} is registered to run as the JVM stops: once, with the first background task. */
    private static final AtomicBoolean FINISHES_AT_EXIT = new AtomicBoolean();

    /** The Delta tables under {@code tableRoot}, registered in {@code spark}'s catalog; folds and upkeeps run in it too. */
    public DeltaSink(SparkSession spark, String tableRoot) {
        this(spark, spark, tableRoot);
    }

    /**
     * The Delta tables under {@code tableRoot}, registered in {@code spark}'s catalog, written in {@code spark}, folded
     * and compacted in {@code background}: a streaming ingest's session suits its micro-batches of a few hundred rows
     * (interpreted expressions), while a compaction rewrites a day's files, hundreds of thousands of rows, and wants
     * the SQL jobs' settings (generated code).
     */
    public DeltaSink(SparkSession spark, SparkSession background, String tableRoot) {
        this.spark = spark;
        this.background = background;
        this.tableRoot = tableRoot;
    }

    @Override
    public void createMissing(List<TableDef> tables) {
        SessionTables.createMissing(spark, tableRoot, tables);
    }

    @Override
    public StructType evolveMirror(MirrorTable mirror, Collection<String> sourceColumns) {
        return SessionTables.evolveMirror(spark, mirror, sourceColumns);
    }

    /**
     * Appends the rows (unique on the table's key) whose key the table lacks. The table's keys are read, in
     * the same Delta transaction as the append, from only the files that could hold a key of the batch:
     * those of the partition values present in {@code rows} and, for a key-time table, of their time
     * ranges. The transaction records that read, so a concurrent writer that added files to those
     * partitions makes the commit fail and the write run again on the new version
     * ({@link DeltaConflicts}), exactly as a MERGE would; unlike a MERGE, nothing is planned but an
     * anti-join and a write, which saves the seconds of planning and code generation a MERGE costs per batch.
     */
    @Override
    public void insertNew(TableDef table, Dataset<Row> rows) {
        write(table, rows, table.keyTime(), false, (target, batch) -> batch.join(target, Upserts.joinKeys(table), "left_anti"));
    }

    /**
     * Like {@link #insertNew}, for rows that may also replace a table row where {@code sourceIsNewer}
     * holds: the rows with a new key, or newer than the table's row of that key, are kept. Those with a new
     * key are appended; the files holding a row one replaces are rewritten without it, in the same
     * transaction (what a MERGE does, without planning one). Usually nothing is replaced (a device's
     * first activity of the day, a new order) and the write is an append. Not pruned to key-time ranges:
     * an update may move a row's time.
     */
    @Override
    public void upsertNewer(TableDef table, Dataset<Row> rows, BiFunction<String, String, Column> sourceIsNewer) {
        write(table, rows, Optional.empty(), true, (target, batch) -> Upserts.kept(table,
                target.withColumn(REPLACED_FILE, col("_metadata.file_name")), REPLACED_FILE, batch, sourceIsNewer));
    }

    /**
     * One blind append (nothing read, so it never conflicts with another writer's append), carrying the
     * batch's id as Delta's set-transaction action: a batch whose rows a commit of the same query already
     * holds is skipped. Every {@value #FOLD_AFTER_APPENDS} appends into a partition, it is folded, off the
     * caller's thread, so that the batches after this one do not wait for the fold.
     */
    @Override
    public void appendCandidates(TableDef table, Dataset<Row> rows, Optional<StreamBatch> batch) {
        Set<Map<String, String>> appendedTo = new HashSet<>();
        DeltaConflicts.retry("append to " + table.name(), () -> {
            appendedTo.clear();
            DeltaLog log = DeltaLog.forTable(spark, table.location(tableRoot));
            OptimisticTransaction transaction = log.startTransaction(Option.empty(), Option.empty());
            if (batch.isPresent() && committedBatch(transaction, batch.get().queryId()) >= batch.get().batchId()) {
                return;
            }
            // one file a partition: candidates come out of the SELECT's window in spark.sql.shuffle.partitions
            // Spark partitions (four files a day an append), every one more for the fold and for a reader
            // of the day (Trino's live answers) to open; a batch's candidates, a row per device and day, suit one task
            List<Action> actions = new ArrayList<>(CollectionConverters.asJava(transaction.writeFiles(rows.coalesce(1))));
            if (actions.isEmpty()) {
                return;
            }
            appendedTo.addAll(partitionsAdded(actions));
            batch.ifPresent(written -> actions.add(SetTransaction.apply(written.queryId(), written.batchId(),
                    Option.apply(System.currentTimeMillis()))));
            long version = transaction.commit(CollectionConverters.asScala(actions).toSeq(), APPEND);
            committed(table, version, appendedTo);
        });
        for (Map<String, String> partition : appendedTo) {
            List<Object> counted = List.of(table.name(), partition);
            if (appendsSinceFold.merge(counted, 1, Integer::sum) >= FOLD_AFTER_APPENDS) {
                appendsSinceFold.remove(counted);
                inBackground("folding " + table.name() + " " + partition + " failed; its candidates stay until the next fold",
                        () -> foldEarliest(table, partition));
            }
        }
    }

    /**
     * Runs {@code task} on the sinks' background thread, in the {@link #background} session and the scheduler pool
     * {@value #BACKGROUND_POOL}. A failure is logged as {@code failure}: a fold or an upkeep only saves later work, and the next
     * one catches up (Spark's AnalysisException is checked in Java, though not declared, and would end the thread).
     */
    private void inBackground(String failure, Runnable task) {
        if (!finishesAtJvmStop()) { // the JVM is stopping: the next run's commits catch up
            return;
        }
        BACKGROUND_THREAD.execute(() -> {
            // the job has ended, or the JVM is stopping: its next run's commits catch up
            if (spark.sparkContext().isStopped() || ShutdownHookManager.get().isShutdownInProgress()) {
                return;
            }
            SparkSession.setActiveSession(background);
            background.sparkContext().setLocalProperty("spark.scheduler.pool", BACKGROUND_POOL);
            try {
                task.run();
            } catch (Exception e) {
                if (!spark.sparkContext().isStopped()) { // else the session stopped under it, as the job ended
                    LOG.warn(failure, e);
                }
            }
        });
    }

    /**
     * Registers {@link #finishBackgroundWork} to run as the JVM stops, with the first background task; false once the
     * JVM is stopping (a micro-batch that its stop waits for may commit then), when Hadoop adds no hook.
     */
    private static boolean finishesAtJvmStop() {
        try {
            if (FINISHES_AT_EXIT.compareAndSet(false, true)) {
                ShutdownHookManager.get().addShutdownHook(DeltaSink::finishBackgroundWork, FINISH_BACKGROUND_PRIORITY,
                        FINISH_BACKGROUND_SECONDS + 1, TimeUnit.SECONDS);
            }
            return !ShutdownHookManager.get().isShutdownInProgress();
        } catch (IllegalStateException shutdownInProgress) {
            return false;
        }
    }

    /**
     * As the JVM stops: the fold or upkeep running finishes, up to {@value #FINISH_BACKGROUND_SECONDS} s, and none of
     * those queued starts. Without the wait, Spark's shutdown stopped the SparkContext under one still running at the
     * end of a drain or a stop, which then failed with Spark's and Delta's errors in the log, and its work was lost.
     * Called before a session stops otherwise (a test's), the queued ones run too, within the same time: a compaction
     * still writing once the writes that called for it have returned would write into tables their owner may be
     * deleting.
     */
    public static void finishBackgroundWork() {
        try {
            // queued behind the running task; those queued before it return at once while the JVM stops
            BACKGROUND_THREAD.submit(() -> { }).get(FINISH_BACKGROUND_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException stillRunning) {
            LOG.info("a fold or upkeep still runs as the JVM stops; the next run's commits catch up");
        }
    }

    /**
     * After this sink committed {@code version} of {@code table}, into {@code partitions}: every
     * {@value #UPKEEP_EVERY_COMMITS} commits, the table's {@link #upkeep}, off the caller's thread. Delta would run
     * both in the commit that reaches them, so inside a micro-batch: the tables one capture batch writes reached
     * them in the same batch, which made the capture's slowest batches (docs/benchmarks.md).
     */
    private void committed(TableDef table, long version, Collection<Map<String, String>> partitions) {
        if (table.isBuiltBySql()) { // checkpointed by Delta, as the SQL jobs commit it once a run
            return;
        }
        String location = table.location(tableRoot);
        if (table.compactsWhileWritten()) {
            writtenSinceUpkeep.computeIfAbsent(location, any -> ConcurrentHashMap.newKeySet()).addAll(partitions);
        }
        long last = upkeptAt.computeIfAbsent(location, any -> version);
        if (version - last >= UPKEEP_EVERY_COMMITS && upkeptAt.replace(location, last, version)) {
            inBackground("upkeep of " + table.name() + " failed; the next one catches up", () -> upkeep(table, location));
        }
    }

    /**
     * A table's upkeep: the partitions written since the last one compacted, if it compacts while written, by
     * Delta's auto compaction (a partition's files under half of {@code spark.databricks.delta.autoCompact.maxFileSize},
     * when it holds two or more), then a checkpoint of the latest version. Without the compaction, a stream
     * adding a file or three a micro-batch would leave thousands in a day's partition for every later batch to
     * list and read until the weekly OPTIMIZE.
     */
    private void upkeep(TableDef table, String location) {
        Set<Map<String, String>> written = writtenSinceUpkeep.remove(location);
        if (written != null && !written.isEmpty()) {
            List<Expression> where = written.contains(Map.of()) ? List.of() : List.of(resolvedOn(location,
                    expr(written.stream().map(partition -> "(" + partitionWhere(partition) + ")").collect(Collectors.joining(" OR ")))));
            DeltaConflicts.retry("compact " + table.name(), () -> exclusively(location, () -> AutoCompact$.MODULE$.compact(
                    background, DeltaLog.forTable(background, location), Option.empty(), CollectionConverters.asScala(where).toSeq(),
                    AutoCompact$.MODULE$.OP_TYPE(), Option.empty())));
        }
        DeltaLog log = DeltaLog.forTable(background, location);
        log.checkpoint(log.update(false, Option.empty(), Option.empty()), Option.empty());
    }

    /**
     * The last batch of {@code queryId} that the transaction's version holds, -1 for none. Read from the version's
     * checksum, where Delta keeps every commit's set transactions, rather than by {@code txnVersion}, which
     * rebuilds the table's state for each new version, a Spark job that every micro-batch would pay (the one
     * before it made a new version). Without a checksum, {@code txnVersion} it is. The transaction then does
     * not record the read, so two writers of the same batch at once may both append it: duplicate candidates,
     * which change no current row of a table that keeps the earliest.
     */
    private static long committedBatch(OptimisticTransaction transaction, String queryId) {
        Option<VersionChecksum> checksum = transaction.snapshot().checksumOpt();
        if (checksum.isEmpty() || checksum.get().setTransactions().isEmpty()) {
            return transaction.txnVersion(queryId);
        }
        return CollectionConverters.asJava(checksum.get().setTransactions().get()).stream()
                .filter(committed -> committed.appId().equals(queryId)).mapToLong(SetTransaction::version)
                .max().orElse(-1L);
    }

    /**
     * One transaction replacing the days' partitions, as Delta's replaceWhere does: their files are read (as
     * {@link #filesToRead} lists them, without rebuilding the version's state) and removed, {@code rows} are
     * written; a day of {@code days} without rows is emptied. A commit into those days meanwhile (an OPTIMIZE)
     * makes it run again, on rows read again. Rows of a day not in {@code days} fail the write, as replaceWhere's
     * check would.
     */
    @Override
    public void replaceDays(TableDef table, Dataset<Row> rows, Collection<LocalDate> days) {
        if (days.isEmpty()) {
            return;
        }
        requireTypesOf(table, rows);
        String where = daysWhere(days);
        Set<Map<String, String>> partitions = partitionsOf(days);
        String location = table.location(tableRoot);
        Expression daysFilter = resolvedOn(location, expr(where));
        DeltaConflicts.retry("replace " + table.name() + " " + where, () -> exclusively(location, () -> {
            DeltaLog log = DeltaLog.forTable(spark, location);
            OptimisticTransaction transaction = log.startTransaction(Option.empty(), Option.empty());
            Seq<AddFile> replacedFiles = filesToRead(transaction, daysFilter, Optional.of(partitions), Optional.empty());
            List<Action> actions = new ArrayList<>(CollectionConverters.asJava(transaction.writeFiles(rows)));
            for (Action written : actions) {
                Map<String, String> day = CollectionConverters.asJava(((AddFile) written).partitionValues());
                if (!partitions.contains(day)) {
                    throw new IllegalStateException("replacing " + table.name() + " " + where
                            + ": the rows hold day " + day.get("dt") + ", which is not one of them");
                }
            }
            CollectionConverters.asJava(replacedFiles).forEach(file -> actions.add(file.remove()));
            if (!actions.isEmpty()) {
                long version = transaction.commit(CollectionConverters.asScala(actions).toSeq(), new DeltaOperations.Write(
                        SaveMode.Overwrite, Option.empty(), Option.apply(where), Option.empty()));
                committed(table, version, partitions);
            }
        }));
    }

    /**
     * The rows of {@code days} in the table's latest version, its files of those days listed without rebuilding
     * the version's state ({@link #filesOf}).
     */
    @Override
    public Dataset<Row> rowsOfDays(TableDef table, Collection<LocalDate> days) {
        String location = table.location(tableRoot);
        DeltaLog log = DeltaLog.forTable(spark, location);
        Snapshot snapshot = log.update(false, Option.empty(), Option.empty());
        Seq<AddFile> files = filesOf(snapshot, resolvedOn(location, expr(daysWhere(days))), Optional.of(partitionsOf(days)),
                Optional.empty());
        return log.createDataFrame(snapshot, files, false, Option.empty());
    }

    /** {@code dt IN (...)} of {@code days}, in order. */
    private static String daysWhere(Collection<LocalDate> days) {
        return "dt IN (" + days.stream().sorted().map(day -> "DATE'" + day + "'").collect(Collectors.joining(", ")) + ")";
    }

    /** {@code days} as Delta records the partition values of a table partitioned by dt alone. */
    private static Set<Map<String, String>> partitionsOf(Collection<LocalDate> days) {
        return days.stream().map(day -> Map.of("dt", day.toString())).collect(Collectors.toSet());
    }

    /**
     * Fails naming the first column of {@code table} whose type in {@code rows} is not the table's: Delta's
     * transaction writes the rows' types as they are, where a DataFrame write would have refused them.
     */
    private static void requireTypesOf(TableDef table, Dataset<Row> rows) {
        StructType written = rows.schema();
        for (var column : table.schema().fields()) {
            var type = written.apply(column.name()).dataType();
            if (!type.equals(column.dataType())) {
                throw new IllegalStateException("the rows for " + table.name() + " have " + column.name() + " "
                        + type.sql() + " where the table has " + column.dataType().sql());
            }
        }
    }

    /**
     * Rewrites the files a partition of a table that keeps the earliest row per key has now as their current
     * rows, in one transaction that removes them. Folding any set of a key's rows into its earliest leaves
     * the table's current rows as they were, so rows appended meanwhile in other files need not be read:
     * the transaction records no read, and only a concurrent commit removing the same files (another fold,
     * an OPTIMIZE) makes it run again.
     */
    public void foldEarliest(TableDef table, Map<String, String> partition) {
        String location = table.location(tableRoot);
        String where = partitionWhere(partition);
        Expression filesFilter = resolvedOn(location, expr(where));
        DeltaConflicts.retry("fold " + table.name() + " where " + where, () -> {
            DeltaLog log = DeltaLog.forTable(spark, location);
            OptimisticTransaction transaction = log.startTransaction(Option.empty(), Option.empty());
            Seq<AddFile> files = filesOf(transaction.snapshot(), filesFilter, Optional.of(Set.of(partition)), Optional.empty());
            if (files.isEmpty()) {
                return;
            }
            // a view of this fold's own: another fold's files under the same name would be removed unread
            String view = "fold_" + UUID.randomUUID().toString().replace("-", "");
            Dataset<Row> folded = log.createDataFrame(transaction.snapshot(), files, false, Option.empty());
            // the view and its query in the session Delta made the files' rows in, the thread's active one,
            // whichever that is (a caller's thread may have another than this sink's)
            SparkSession session = folded.sparkSession();
            folded.createOrReplaceTempView(view);
            List<Action> actions;
            try {
                actions = new ArrayList<>(CollectionConverters.asJava(transaction.writeFiles(session.sql(table.currentRows(view)))));
            } finally {
                session.catalog().dropTempView(view);
            }
            CollectionConverters.asJava(files).forEach(file -> actions.add(file.remove()));
            long version = transaction.commit(CollectionConverters.asScala(actions).toSeq(), new DeltaOperations.Write(
                    SaveMode.Overwrite, Option.empty(), Option.apply(where), Option.empty()));
            committed(table, version, List.of(partition));
        });
    }

    /**
     * One transaction: the files of {@code table} that could hold a key of {@code rows} are read (and the
     * read recorded), {@code keep} picks the rows to write given the table's rows in those files, and those
     * are appended. For an upsert, {@code keep} also names, in {@value #REPLACED_FILE}, the file holding the
     * table row a kept row replaces; those files are rewritten without the replaced rows, in the same commit.
     * Nothing is committed when nothing is kept, so a batch run again makes no commit. The rows are read
     * twice (for where their keys can be, then by the write), so they are cached for the call unless the
     * caller has cached them already; an upsert's kept rows too (for the files they replace rows in, then
     * the write), so its join runs once. Only an upsert holds the table's lock ({@link #tableLocks}).
     */
    private void write(TableDef table, Dataset<Row> rows, Optional<String> keyTime, boolean upsert,
                       BiFunction<Dataset<Row>, Dataset<Row>, Dataset<Row>> keep) {
        boolean cachedHere = rows.storageLevel().equals(StorageLevel.NONE());
        Dataset<Row> source = cachedHere ? rows.persist() : rows;
        try {
            Optional<KeyPlaces> places = whereKeysCanBe(table, source, keyTime);
            if (places.isEmpty()) {
                return;
            }
            String location = table.location(tableRoot);
            Expression filesFilter = resolvedOn(location, places.get().condition());
            Runnable attempt = () -> {
                DeltaLog log = DeltaLog.forTable(spark, location);
                OptimisticTransaction transaction = log.startTransaction(Option.empty(), Option.empty());
                Seq<AddFile> files = filesToRead(transaction, filesFilter, places.get().partitions(), places.get().keyTimes());
                Dataset<Row> kept = keep.apply(log.createDataFrame(transaction.snapshot(), files, false, Option.empty()), source);
                if (places.get().rows() <= ONE_FILE_ROWS) {
                    kept = kept.coalesce(1);
                }
                if (upsert) {
                    kept = kept.persist();
                }
                try {
                    commitKept(table, log, transaction, files, kept, upsert, () -> {
                        OptimisticTransaction again = log.startTransaction(Option.empty(), Option.empty());
                        filesToRead(again, filesFilter, places.get().partitions(), places.get().keyTimes());
                        return again;
                    });
                } finally {
                    if (upsert) {
                        kept.unpersist();
                    }
                }
            };
            DeltaConflicts.retry("write into " + table.name(), upsert ? () -> exclusively(location, attempt) : attempt);
        } finally {
            if (cachedHere) {
                source.unpersist();
            }
        }
    }

    /**
     * {@link #filesOf} the transaction's version, recorded as read by the transaction as Delta's
     * {@code filterFiles} records its files, so a concurrent commit into them fails this one.
     */
    private static Seq<AddFile> filesToRead(OptimisticTransaction transaction, Expression filter,
                                            Optional<Set<Map<String, String>>> partitions, Optional<KeyTimeRanges> keyTimes) {
        Seq<AddFile> files = filesOf(transaction.snapshot(), filter, partitions, keyTimes);
        transaction.trackReadPredicates(CollectionConverters.asScala(List.of(filter)).toSeq(), false, true);
        transaction.trackFilesRead(files);
        return files;
    }

    /**
     * The files of the version that {@code filter} can match: those of {@code partitions} whose statistics meet
     * {@code keyTimes} ({@link KeyTimeRanges#mayHoldRowsOf}), among the version's files as {@link TableFileLists} knows
     * them without rebuilding the version's state. Delta's scan, which rebuilds it (Spark jobs that every new version
     * pays, so every micro-batch of a table written each batch), when {@code partitions} is empty: the batch's
     * partition values cannot be told as Delta writes them.
     */
    private static Seq<AddFile> filesOf(Snapshot snapshot, Expression filter, Optional<Set<Map<String, String>>> partitions,
                                        Optional<KeyTimeRanges> keyTimes) {
        if (partitions.isEmpty()) {
            return snapshot.filesForScan(CollectionConverters.asScala(List.of(filter)).toSeq(), false).files();
        }
        return CollectionConverters.asScala(TableFileLists.of(snapshot).stream()
                .filter(file -> partitions.get().contains(CollectionConverters.asJava(file.partitionValues())))
                .filter(file -> keyTimes.map(times -> times.mayHoldRowsOf(file)).orElse(true))
                .toList()).toSeq();
    }

    /**
     * Appends {@code kept} and, for an upsert, rewrites the files of the rows it replaces; no commit when there is
     * nothing to do. An insert that only compactions overtook is committed again on {@code readAgain}'s transaction
     * ({@link #commitInsert}).
     */
    private void commitKept(TableDef table, DeltaLog log, OptimisticTransaction transaction, Seq<AddFile> files,
                            Dataset<Row> kept, boolean upsert, Supplier<OptimisticTransaction> readAgain) {
        List<AddFile> rewritten = upsert ? filesNamed(files, kept) : List.of();
        Dataset<Row> written = upsert ? kept.drop(REPLACED_FILE) : kept;
        if (!rewritten.isEmpty()) {
            Dataset<Row> replacedKeys = kept.where(col(REPLACED_FILE).isNotNull()).select(keyColumns(table));
            Dataset<Row> carriedOver = log.createDataFrame(transaction.snapshot(),
                    CollectionConverters.asScala(rewritten).toSeq(), false, Option.empty());
            written = written.unionByName(carriedOver.join(replacedKeys, Upserts.joinKeys(table), "left_anti"));
        }
        List<Action> actions = new ArrayList<>(CollectionConverters.asJava(transaction.writeFiles(written)));
        rewritten.forEach(file -> actions.add(file.remove()));
        if (!actions.isEmpty()) {
            long version = upsert
                    ? transaction.commit(CollectionConverters.asScala(actions).toSeq(),
                            rewritten.isEmpty() ? APPEND : new DeltaOperations.Update(Option.empty()))
                    : commitInsert(log, transaction, actions, readAgain);
            committed(table, version, partitionsAdded(actions));
        }
    }

    /**
     * Commits an insert's appended files. When its commit conflicts and every commit since its read only moved rows
     * between files (a compaction: files removed and added with no data change), the table holds the rows it read,
     * so the rows it kept are still the ones the table lacks: the same files are committed on a new transaction that
     * records the same read at the new version, rather than the whole insert run again after a back-off. Any other
     * conflict is thrown, for {@link DeltaConflicts} to run the insert again.
     */
    static long commitInsert(DeltaLog log, OptimisticTransaction transaction, List<Action> appended,
                             Supplier<OptimisticTransaction> readAgain) {
        Seq<Action> actions = CollectionConverters.asScala(appended).toSeq();
        OptimisticTransaction attempt = transaction;
        for (int commits = 1; ; commits++) {
            try {
                return attempt.commit(actions, APPEND);
            } catch (DeltaConcurrentModificationException conflict) {
                if (commits == MAX_COMMITS_OF_AN_INSERT || !onlyRearrangedSince(log, attempt.readVersion())) {
                    throw conflict;
                }
                LOG.info("an insert into {} overtaken by a compaction: committing the files it wrote again", log.dataPath());
                attempt = readAgain.get();
            }
        }
    }

    /** Whether every commit of the table after {@code version} only moved rows between files, adding or removing none. */
    private static boolean onlyRearrangedSince(DeltaLog log, long version) {
        var changes = log.getChanges(version + 1, false);
        while (changes.hasNext()) {
            for (Action action : CollectionConverters.asJava(changes.next()._2())) {
                boolean rearranged = action instanceof CommitInfo
                        || action instanceof AddFile added && !added.dataChange()
                        || action instanceof RemoveFile removed && !removed.dataChange();
                if (!rearranged) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Those of {@code files} named in the kept rows' {@value #REPLACED_FILE}; one Spark job, which caches the kept rows. */
    private static List<AddFile> filesNamed(Seq<AddFile> files, Dataset<Row> kept) {
        Set<String> names = kept.select(REPLACED_FILE).where(col(REPLACED_FILE).isNotNull()).distinct()
                .collectAsList().stream().map(row -> row.getString(0)).collect(Collectors.toSet());
        return CollectionConverters.asJava(files).stream().filter(file -> names.contains(file.toPath().getName())).toList();
    }

    /** The partition values of the files {@code actions} add, as Delta records them. */
    private static Set<Map<String, String>> partitionsAdded(Collection<Action> actions) {
        return actions.stream().filter(AddFile.class::isInstance)
                .map(added -> CollectionConverters.asJava(((AddFile) added).partitionValues())).collect(Collectors.toSet());
    }

    /** Runs {@code write} holding the table's lock ({@link #tableLocks}). */
    private void exclusively(String location, Runnable write) {
        Lock lock = tableLocks.computeIfAbsent(location, any -> new ReentrantLock());
        lock.lock();
        try {
            write.run();
        } finally {
            lock.unlock();
        }
    }

    /** The condition that holds in {@code partition} (partition values as Delta records them) alone. */
    private static String partitionWhere(Map<String, String> partition) {
        return partition.isEmpty() ? "true" : partition.entrySet().stream()
                .map(value -> value.getValue() == null ? value.getKey() + " IS NULL" : value.getKey() + " = '" + value.getValue() + "'")
                .collect(Collectors.joining(" AND "));
    }

    /**
     * {@code condition} on the table's own columns, resolved against its schema, as Delta's file filters take it.
     * The schema is the one this session last saw: it holds every column a filter names (partition columns and
     * the key time, which a table keeps), and reading the table instead would list its log for the latest version,
     * as each write's transaction does anyway.
     */
    private Expression resolvedOn(String location, Column condition) {
        StructType schema = DeltaLog.forTable(spark, location).unsafeVolatileSnapshot().schema();
        LogicalPlan analyzed = spark.createDataFrame(List.of(), schema).where(condition).queryExecution().analyzed();
        return ((Filter) analyzed).condition();
    }

    /**
     * Where a batch's keys can be in a table.
     *
     * @param partitions the partition values present in the batch, as Delta records a file's; empty when a
     *                   partition column's values are not written as their plain text (not a DATE or a STRING)
     * @param keyTimes   given a key time, the ranges its rows fall in; empty if one has none
     * @param condition  on the table's columns: the partition values and the key time's ranges
     * @param rows       how many rows the batch holds
     */
    private record KeyPlaces(Optional<Set<Map<String, String>>> partitions, Optional<KeyTimeRanges> keyTimes,
                             Column condition, long rows) {
    }

    /**
     * What the batch says about where its keys can be in the table: the partition values present in it,
     * and given a key time, the time ranges its rows fall in ({@link KeyTimeRanges}). Both only narrow the
     * table to rows that could hold a key of the batch, while the files outside them are skipped. One Spark
     * job collects both, with the batch's row count. Empty for an empty batch.
     */
    private static Optional<KeyPlaces> whereKeysCanBe(TableDef table, Dataset<Row> rows, Optional<String> keyTime) {
        List<Column> described = new ArrayList<>(table.partitionedBy().stream().map(functions::col).toList());
        keyTime.ifPresent(time -> described.add(KeyTimeRanges.minuteOf(col(time))));
        if (described.isEmpty()) {
            long count = rows.count();
            return count == 0 ? Optional.empty()
                    : Optional.of(new KeyPlaces(Optional.of(Set.of(Map.of())), Optional.empty(), lit(true), count));
        }
        List<Row> distinct = rows.groupBy(described.toArray(Column[]::new)).count().collectAsList();
        if (distinct.isEmpty()) {
            return Optional.empty();
        }
        int countColumn = described.size();
        long count = distinct.stream().mapToLong(row -> row.getLong(countColumn)).sum();
        Column condition = null;
        for (int i = 0; i < table.partitionedBy().size(); i++) {
            int column = i;
            Object[] values = distinct.stream().map(row -> row.get(column)).distinct().toArray();
            condition = and(condition, col(table.partitionedBy().get(i)).isin(values));
        }
        Optional<KeyTimeRanges> keyTimes = Optional.empty();
        if (keyTime.isPresent()) {
            int column = table.partitionedBy().size();
            // a row without a time could meet a duplicate anywhere: no time ranges then
            if (distinct.stream().noneMatch(row -> row.isNullAt(column))) {
                long[] minutes = distinct.stream().mapToLong(row -> row.getLong(column)).distinct().sorted().toArray();
                keyTimes = Optional.of(KeyTimeRanges.ofMinutes(keyTime.get(), minutes));
                condition = and(condition, keyTimes.get().condition());
            }
        }
        return Optional.of(new KeyPlaces(partitionValues(table, distinct), keyTimes,
                condition == null ? lit(true) : condition, count));
    }

    /**
     * The partitions of {@code rows} (the table's partition columns first) as Delta records a file's partition
     * values: a DATE as yyyy-MM-dd, a STRING as it is, a null as null. Empty for a table partitioned by a column
     * of another type, whose text Delta may write otherwise.
     */
    private static Optional<Set<Map<String, String>>> partitionValues(TableDef table, List<Row> rows) {
        StructType schema = table.schema();
        if (!table.partitionedBy().stream().map(column -> schema.apply(column).dataType())
                .allMatch(type -> type.equals(DataTypes.DateType) || type.equals(DataTypes.StringType))) {
            return Optional.empty();
        }
        Set<Map<String, String>> partitions = new HashSet<>();
        for (Row row : rows) {
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < table.partitionedBy().size(); i++) {
                values.put(table.partitionedBy().get(i), row.isNullAt(i) ? null : row.get(i).toString());
            }
            partitions.add(values);
        }
        return Optional.of(partitions);
    }

    private static Column[] keyColumns(TableDef table) {
        return table.key().stream().map(functions::col).toArray(Column[]::new);
    }

    private static Column and(Column left, Column right) {
        return left == null ? right : left.and(right);
    }
}
