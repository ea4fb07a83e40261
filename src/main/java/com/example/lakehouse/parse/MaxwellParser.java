package com.example.lakehouse.parse;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.stream.Collectors;

import com.example.lakehouse.table.MirrorTable;
import com.example.lakehouse.table.Tables;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Decides whether one Maxwell message can be accepted, and if not, says why. The contract is Maxwell's
 * JSON (DESIGN.md): database, table, type, ts in epoch seconds, xid/xoffset for binlog changes, and a
 * {@code data} object with the row's {@code id} for every row change.
 */
public final class MaxwellParser {
    public static final String INSERT = "insert";
    public static final String UPDATE = "update";
    public static final String DELETE = "delete";
    public static final String BOOTSTRAP_START = "bootstrap-start";
    public static final String BOOTSTRAP_INSERT = "bootstrap-insert";
    public static final String BOOTSTRAP_COMPLETE = "bootstrap-complete";
    /** Every captured gmall table has a single-column primary key named id. */
    public static final String ROW_KEY = "id";

    // epoch-second bounds that catch milliseconds sent by mistake and garbage numbers
    private static final long EARLIEST_TS = 946_684_800L;   // 2000-01-01
    private static final long LATEST_TS = 4_102_444_800L;   // 2100-01-01
    private static final Set<String> NUMERIC_FIELDS = Set.of("xid", "xoffset");
    /**
     * Source tables whose mirror is partitioned by the date of create_time (order_info, order_detail): a
     * row without a readable create_time has no partition, and would fail the whole batch's MERGE.
     */
    private static final Set<String> DATED_TABLES = Tables.MIRRORS.stream()
            .filter(MirrorTable::partitionedByCreateDate).map(MirrorTable::sourceTable).collect(Collectors.toSet());
    /** How Maxwell writes a DATETIME column. */
    private static final DateTimeFormatter MAXWELL_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private MaxwellParser() {
    }

    /** Null when the message is valid, otherwise the reason it is rejected. */
    public static String problemWith(byte[] message) {
        JsonMessage json = JsonMessage.read(message);
        if (json.problem() != null) {
            return json.problem();
        }
        JsonNode root = json.root();
        for (String field : new String[] {"database", "table", "type"}) {
            if (!root.path(field).isTextual() || root.path(field).asText().isBlank()) {
                return "missing " + field;
            }
        }
        JsonNode ts = root.path("ts");
        if (!ts.isIntegralNumber()) {
            return "missing or non-integer ts";
        }
        if (ts.asLong() < EARLIEST_TS || ts.asLong() >= LATEST_TS) {
            return "ts " + ts.asLong() + " is not epoch seconds between 2000 and 2100";
        }
        for (String field : NUMERIC_FIELDS) {
            if (root.has(field) && !root.get(field).isIntegralNumber()) {
                return field + " is not an integer";
            }
        }
        String type = root.get("type").asText();
        return switch (type) {
            case INSERT, UPDATE, DELETE -> root.has("xid") ? rowProblem(root) : "binlog change without xid";
            case BOOTSTRAP_INSERT -> rowProblem(root);
            case BOOTSTRAP_START, BOOTSTRAP_COMPLETE -> null;
            default -> "unknown type '" + type + "'";
        };
    }

    private static String rowProblem(JsonNode root) {
        JsonNode data = root.path("data");
        if (!data.isObject()) {
            return "missing data object";
        }
        if (!data.path(ROW_KEY).isIntegralNumber()) {
            return "data." + ROW_KEY + " missing or not an integer";
        }
        if (DATED_TABLES.contains(root.get("table").asText())) {
            return createTimeProblem(data.path("create_time"));
        }
        return null;
    }

    private static String createTimeProblem(JsonNode createTime) {
        if (!createTime.isTextual()) {
            return "data.create_time missing (the mirror is partitioned by its date)";
        }
        try {
            LocalDateTime.parse(createTime.asText(), MAXWELL_DATETIME);
            return null;
        } catch (DateTimeParseException e) {
            return "data.create_time '" + createTime.asText() + "' is not yyyy-MM-dd HH:mm:ss";
        }
    }
}
