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

/** A sink that fails before writing one table, as an ingest killed between two writes of a batch. */
public record StoppingSink(TableDef stoppedBefore, TableSink sink) implements TableSink {
    @Override
    public void createMissing(List<TableDef> tables) {
        sink.createMissing(tables);
    }

    @Override
    public void insertNew(TableDef table, Dataset<Row> rows) {
        stopAt(table);
        sink.insertNew(table, rows);
    }

    @Override
    public void upsertNewer(TableDef table, Dataset<Row> rows, BiFunction<String, String, Column> sourceIsNewer) {
        stopAt(table);
        sink.upsertNewer(table, rows, sourceIsNewer);
    }

    @Override
    public void appendCandidates(TableDef table, Dataset<Row> rows, Optional<StreamBatch> batch) {
        stopAt(table);
        sink.appendCandidates(table, rows, batch);
    }

    @Override
    public void replaceDays(TableDef table, Dataset<Row> rows, Collection<LocalDate> days) {
        stopAt(table);
        sink.replaceDays(table, rows, days);
    }

    @Override
    public Dataset<Row> rowsOfDays(TableDef table, Collection<LocalDate> days) {
        return sink.rowsOfDays(table, days);
    }

    @Override
    public StructType evolveMirror(MirrorTable mirror, Collection<String> sourceColumns) {
        return sink.evolveMirror(mirror, sourceColumns);
    }

    private void stopAt(TableDef table) {
        if (table.equals(stoppedBefore)) {
            throw new IllegalStateException("stopped before writing " + table.name());
        }
    }
}
