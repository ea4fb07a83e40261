package com.example.lakehouse;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Hand-written Maxwell messages for tests, shaped as Maxwell 1.22 writes them. */
public final class MaxwellMessages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MaxwellMessages() {
    }

    /** A binlog change; {@code xoffset} null is the last row of its transaction ("commit": true). */
    public static String change(String type, String table, long ts, long xid, Long xoffset, Map<String, ?> data) {
        Map<String, Object> message = envelope(table, type, ts);
        message.put("xid", xid);
        if (xoffset == null) {
            message.put("commit", true);
        } else {
            message.put("xoffset", xoffset);
        }
        message.put("data", data);
        return json(message);
    }

    /** A row read by Maxwell's bootstrap: no xid, no xoffset. */
    public static String bootstrapInsert(String table, long ts, Map<String, ?> data) {
        Map<String, Object> message = envelope(table, "bootstrap-insert", ts);
        message.put("data", data);
        return json(message);
    }

    /** Column values in the given order (test rows read better as key, value, key, value...). */
    public static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            row.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return row;
    }

    private static Map<String, Object> envelope(String table, String type, long ts) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("database", "gmall");
        message.put("table", table);
        message.put("type", type);
        message.put("ts", ts);
        return message;
    }

    private static String json(Map<String, Object> message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
