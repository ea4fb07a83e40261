package com.example.lakehouse.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import com.example.lakehouse.table.Layer;
import com.example.lakehouse.table.TableDef;

/**
 * What a restated day changed, in words a reader of the figures understands: for an ads table each figure that
 * moved (ads_dau_daily's {@code dau 195 → 200}, ads_trademark_gmv's {@code tm_id=3: order_count 2 → 1, gmv 10.00 → 7.00}),
 * for any other table its number of rows.
 */
final class DayChanges {
    /** At most this many changed rows of one day are listed; the rest are counted. */
    static final int LISTED = 10;
    private static final String ROWS = "rows";

    private DayChanges() {
    }

    /** The figures of one day's rows ({@code day}) of {@code table}: rows of an ads table, else the row count. */
    static List<Row> figures(TableDef table, Dataset<Row> day) {
        return table.layer() == Layer.ADS ? day.collectAsList() : day.groupBy().count().toDF(ROWS).collectAsList();
    }

    /** The changes from {@code before} to {@code after}, both {@link #figures} of {@code table}'s day. */
    static List<String> between(TableDef table, List<Row> before, List<Row> after) {
        List<String> keys = table.layer() == Layer.ADS
                ? table.key().stream().filter(column -> !column.equals("dt")).toList() : List.of();
        Map<String, Row> old = byKey(keys, before);
        Map<String, Row> now = byKey(keys, after);
        List<String> changes = new ArrayList<>();
        for (String key : new TreeSet<>(union(old, now))) {
            String prefix = key.isEmpty() ? "" : key + ": ";
            Row was = old.get(key);
            Row is = now.get(key);
            if (was == null) {
                changes.add(prefix + "new");
            } else if (is == null) {
                changes.add(prefix + "gone");
            } else {
                List<String> moved = new ArrayList<>();
                for (String column : is.schema().fieldNames()) {
                    Object from = was.getAs(column);
                    Object to = is.getAs(column);
                    if (!keys.contains(column) && !column.equals("dt") && !Objects.equals(from, to)) {
                        moved.add(column + " " + from + " → " + to);
                    }
                }
                if (!moved.isEmpty()) {
                    changes.add(prefix + String.join(", ", moved));
                }
            }
        }
        if (changes.size() <= LISTED) {
            return changes;
        }
        List<String> listed = new ArrayList<>(changes.subList(0, LISTED));
        listed.add("and " + (changes.size() - LISTED) + " more");
        return listed;
    }

    private static Map<String, Row> byKey(List<String> keys, List<Row> rows) {
        Map<String, Row> byKey = new LinkedHashMap<>();
        rows.forEach(row -> byKey.put(keys.stream().map(key -> key + "=" + row.getAs(key))
                .collect(Collectors.joining(", ")), row));
        return byKey;
    }

    private static List<String> union(Map<String, Row> old, Map<String, Row> now) {
        List<String> keys = new ArrayList<>(old.keySet());
        keys.addAll(now.keySet());
        return keys;
    }
}
