package com.example.lakehouse.sink;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

import com.example.lakehouse.table.MirrorTable;
import com.example.lakehouse.table.TableDef;

/**
 * Where the ingest jobs write (and read back the days they replace), and the only four ways they write:
 * insert what is new, replace what is older, append candidates of a table whose row of a key is its
 * earliest, or replace days with rows computed again from the tables they derive from. Each is idempotent
 * on the table's key. {@link DeltaSink} is the one for production.
 */
public interface TableSink {
    /** Creates the tables of the list that do not exist yet. */
    void createMissing(List<TableDef> tables);

    /** Inserts the rows (unique on the table's key) whose key the table lacks; leaves the others alone. */
    void insertNew(TableDef table, Dataset<Row> rows);

    /**
     * Inserts rows with a new key and replaces a table row only where {@code sourceIsNewer} holds, so a
     * duplicate or an older change never overwrites a newer one. {@code sourceIsNewer} is given the names
     * under which the incoming row and the table's row are seen, in that order, and returns the condition.
     */
    void upsertNewer(TableDef table, Dataset<Row> rows, BiFunction<String, String, Column> sourceIsNewer);

    /**
     * Appends {@code rows} to a table that keeps the earliest row per key ({@link TableDef#keepEarliest()}),
     * without reading it: a duplicate or a later row cannot change the table's current rows, so none is
     * looked for. The rows of a micro-batch ({@code batch}) are appended once: a batch run again after its
     * commit adds nothing. The sink may fold a partition to its earliest rows, which changes no current row.
     */
    void appendCandidates(TableDef table, Dataset<Row> rows, Optional<StreamBatch> batch);

    /**
     * Replaces the rows of {@code days} (values of the table's dt) with {@code rows}, which hold those days'
     * rows in full: a result computed again from the tables it derives from, so writing it twice changes nothing.
     */
    void replaceDays(TableDef table, Dataset<Row> rows, Collection<LocalDate> days);

    /** The rows of {@code days} (values of the table's dt) the table holds now. */
    Dataset<Row> rowsOfDays(TableDef table, Collection<LocalDate> days);

    /**
     * The mirror's row schema once it has every one of {@code sourceColumns}: a column new to the source
     * table is added to the mirror first.
     */
    StructType evolveMirror(MirrorTable mirror, Collection<String> sourceColumns);
}
