package com.example.lakehouse.format.maxwell;

import java.util.Map;

/**
 * One Maxwell message as {@link MaxwellParser} read it: the envelope, the row's values as exact text,
 * and {@code problem}, the reason it is rejected (null for a valid message, which alone has the rest).
 *
 * @param changeId the natural key spelt out: database/table/row id (or the type of a marker)/ts/xid/xoffset
 * @param data     the {@code data} object as JSON text, numbers exactly as Maxwell wrote them
 * @param old      the {@code old} object (previous values of an update's changed columns), likewise
 * @param values   each column of {@code data} as text: a string as is, a number exactly as written, a
 *                 nested JSON value as JSON, SQL NULL as null; Spark casts it to the mirror's type
 */
public record MaxwellMessage(String problem, String changeId, String database, String table, String type,
                             Long ts, Long xid, Long xoffset, String rowId, String data, String old,
                             Map<String, String> values) {

    /** The message's columns as a Spark struct, in the order of the record's components. */
    public static final String SPARK_TYPE = "STRUCT<problem: STRING, change_id: STRING, database: STRING,"
            + " table: STRING, type: STRING, ts: BIGINT, xid: BIGINT, xoffset: BIGINT, row_id: STRING,"
            + " data: STRING, old: STRING, values: MAP<STRING, STRING>>";

    static MaxwellMessage rejected(String problem) {
        return new MaxwellMessage(problem, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The values of {@link #SPARK_TYPE}'s fields, for a Spark row. */
    public Object[] sparkFields() {
        return new Object[] {problem, changeId, database, table, type, ts, xid, xoffset, rowId, data, old, values};
    }
}
