package com.example.lakehouse.sink;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.function.BiFunction;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import com.example.lakehouse.table.TableDef;

import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * What an upsert ({@link TableSink#upsertNewer}) keeps, written once: the incoming rows with a key the table
 * lacks or newer than the table's row of their key. {@link DeltaSink} writes by it; {@link #after} computes
 * by it what the upsert leaves, without writing, so rows derived from those partitions can be computed while
 * the upsert runs.
 */
public final class Upserts {
    private static final String SOURCE = "s";
    private static final String TARGET = "t";
    private static final String MATCHED = "matched_table_row";

    private Upserts() {
    }

    /**
     * The rows of {@code rows} an upsert keeps over {@code current} (a table's rows), each beside
     * {@code current}'s column {@code carried} of the row it replaces: null for a new key, so {@code carried}
     * must never be null in {@code current}. {@code sourceIsNewer} is given the aliases of the incoming row
     * and the table's row, in that order.
     */
    static Dataset<Row> kept(TableDef table, Dataset<Row> current, String carried, Dataset<Row> rows,
                             BiFunction<String, String, Column> sourceIsNewer) {
        Column sameKey = table.key().stream().map(key -> col(TARGET + "." + key).equalTo(col(SOURCE + "." + key)))
                .reduce(Column::and).orElseThrow();
        return rows.as(SOURCE).join(current.as(TARGET), sameKey, "left")
                .where(col(TARGET + "." + carried).isNull().or(sourceIsNewer.apply(SOURCE, TARGET)))
                .select(col(SOURCE + ".*"), col(TARGET + "." + carried));
    }

    /**
     * {@code current} (a table's rows, or some of its partitions') as an upsert of {@code rows} leaves it: the
     * rows kept over it, in place of its rows of their keys.
     */
    public static Dataset<Row> after(TableDef table, Dataset<Row> current, Dataset<Row> rows,
                                     BiFunction<String, String, Column> sourceIsNewer) {
        Dataset<Row> kept = kept(table, current.withColumn(MATCHED, lit(true)), MATCHED, rows, sourceIsNewer).drop(MATCHED);
        return current.join(kept, joinKeys(table), "left_anti").unionByName(kept);
    }

    /** The table's key columns, as a join on them takes them. */
    static Seq<String> joinKeys(TableDef table) {
        return CollectionConverters.asScala(table.key()).toSeq();
    }
}
