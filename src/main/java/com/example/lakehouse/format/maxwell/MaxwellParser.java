package com.example.lakehouse.format.maxwell;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import com.example.lakehouse.format.JsonMessage;
import com.example.lakehouse.table.MirrorTable;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads one Maxwell message and decides whether it can be accepted, and if not, says why. The contract
 * is Maxwell's JSON: database, table, type, ts in epoch seconds, xid/xoffset for binlog changes, and a
 * {@code data} object with the row's {@code id} for every row change. For a captured table every value
 * must fit its mirror's column: a value that would not (an amount wider than the column's DECIMAL, a
 * date Spark cannot read) is rejected here rather than stored as NULL. A column the mirror does not
 * know yet is accepted; the ingest adds it to the mirror. A parser is made for the mirrors it checks against, and
 * is serializable, since Spark's tasks run it (a UDF) and take it along.
 */
public final class MaxwellParser implements Serializable {
    private static final long serialVersionUID = 1L;

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
    /** How Maxwell writes a DATETIME or TIMESTAMP column, and how the mirrors read it. */
    public static final String DATETIME_PATTERN = "yyyy-MM-dd HH:mm:ss";
    // strict, as Spark's parse is: 2024-02-30 is no date, not the 29th
    private static final DateTimeFormatter MAXWELL_DATETIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);

    /** What a captured table's values are checked against: its mirror's name and columns. */
    private record Mirror(String table, StructType sourceSchema, boolean partitionedByCreateDate) implements Serializable {
    }

    /** The mirrors by source table. */
    private final Map<String, Mirror> mirrors;

    /** A parser checking the rows of the source tables of {@code mirrors} against their columns. */
    public MaxwellParser(List<MirrorTable> mirrors) {
        this.mirrors = mirrors.stream().collect(Collectors.toMap(MirrorTable::sourceTable, mirror -> new Mirror(
                mirror.table().name(), mirror.sourceSchema(), mirror.partitionedByCreateDate())));
    }

    /** Null when the message is valid, otherwise the reason it is rejected. */
    public String problemWith(byte[] message) {
        return parse(message).problem();
    }

    /** The message read, or the reason it is rejected; never throws, so one odd message cannot stop a batch. */
    public MaxwellMessage parse(byte[] message) {
        try {
            JsonMessage json = JsonMessage.read(message);
            return json.problem() != null ? MaxwellMessage.rejected(json.problem()) : read(json.root());
        } catch (RuntimeException e) {
            return MaxwellMessage.rejected("unreadable message: " + e);
        }
    }

    private MaxwellMessage read(JsonNode root) {
        for (String field : new String[] {"database", "table", "type"}) {
            if (!root.path(field).isTextual() || root.path(field).asText().isBlank()) {
                return MaxwellMessage.rejected("missing " + field);
            }
        }
        JsonNode ts = root.path("ts");
        if (!ts.isIntegralNumber() || !ts.canConvertToLong()) {
            return MaxwellMessage.rejected("missing or non-integer ts");
        }
        if (ts.asLong() < EARLIEST_TS || ts.asLong() >= LATEST_TS) {
            return MaxwellMessage.rejected("ts " + ts.asLong() + " is not epoch seconds between 2000 and 2100");
        }
        for (String field : NUMERIC_FIELDS) {
            if (root.has(field) && !(root.get(field).isIntegralNumber() && root.get(field).canConvertToLong())) {
                return MaxwellMessage.rejected(field + " is not an integer");
            }
        }
        String type = root.get("type").asText();
        String problem = switch (type) {
            case INSERT, UPDATE, DELETE -> root.has("xid") ? rowProblem(root) : "binlog change without xid";
            case BOOTSTRAP_INSERT -> rowProblem(root);
            case BOOTSTRAP_START, BOOTSTRAP_COMPLETE -> null;
            default -> "unknown type '" + type + "'";
        };
        if (problem != null) {
            return MaxwellMessage.rejected(problem);
        }
        JsonNode data = root.path("data");
        Long xid = root.has("xid") ? root.get("xid").asLong() : null;
        Long xoffset = root.has("xoffset") ? root.get("xoffset").asLong() : null;
        String rowId = data.has(ROW_KEY) ? data.get(ROW_KEY).asText() : null;
        // a marker has no row: its type keeps a bootstrap's start and complete of the same second apart
        String changeId = String.join("/", root.get("database").asText(), root.get("table").asText(),
                rowId != null ? rowId : type, Long.toString(ts.asLong()),
                xid != null ? xid.toString() : "", xoffset != null ? xoffset.toString() : "");
        return new MaxwellMessage(null, changeId, root.get("database").asText(), root.get("table").asText(), type,
                ts.asLong(), xid, xoffset, rowId, jsonOrNull(data), jsonOrNull(root.path("old")), values(data));
    }

    private String rowProblem(JsonNode root) {
        JsonNode data = root.path("data");
        if (!data.isObject()) {
            return "missing data object";
        }
        if (!data.path(ROW_KEY).isIntegralNumber() || !data.path(ROW_KEY).canConvertToLong()) {
            return "data." + ROW_KEY + " missing or not an integer";
        }
        Mirror mirror = mirrors.get(root.get("table").asText());
        if (mirror == null) {
            return null;
        }
        if (mirror.partitionedByCreateDate()
                && (data.path("create_time").isMissingNode() || data.path("create_time").isNull())) {
            return "data.create_time missing (the mirror is partitioned by its date)";
        }
        for (StructField column : mirror.sourceSchema().fields()) {
            String problem = valueProblem(data.path(column.name()), column.dataType());
            if (problem != null) {
                return "data." + column.name() + " " + problem + " (" + mirror.table() + "."
                        + column.name() + " is " + column.dataType().sql() + ")";
            }
        }
        return null;
    }

    /** Why {@code value} would not read as {@code type}, or null if it reads exactly (a missing or null value always does). */
    static String valueProblem(JsonNode value, DataType type) {
        if (value.isMissingNode() || value.isNull() || type.equals(DataTypes.StringType)) {
            return null;
        }
        if (type.equals(DataTypes.LongType) || type.equals(DataTypes.IntegerType)) {
            boolean fits = value.isIntegralNumber()
                    && (type.equals(DataTypes.LongType) ? value.canConvertToLong() : value.canConvertToInt());
            return fits ? null : "value " + value + " is not a " + type.sql();
        }
        if (type instanceof DecimalType decimal) {
            if (!value.isNumber()) {
                return "value " + value + " is not a number";
            }
            BigDecimal exact = value.decimalValue().stripTrailingZeros();
            int scale = Math.max(exact.scale(), 0);
            int integerDigits = exact.precision() - exact.scale();
            boolean fits = scale <= decimal.scale() && integerDigits <= decimal.precision() - decimal.scale();
            return fits ? null : "value " + value.decimalValue().toPlainString() + " does not fit";
        }
        if (type.equals(DataTypes.DateType) || type.equals(DataTypes.TimestampType)) {
            String pattern = type.equals(DataTypes.DateType) ? "yyyy-MM-dd" : DATETIME_PATTERN;
            try {
                if (!value.isTextual()) {
                    return "'" + value + "' is not " + pattern;
                }
                if (type.equals(DataTypes.DateType)) {
                    LocalDate.parse(value.asText());
                } else {
                    LocalDateTime.parse(value.asText(), MAXWELL_DATETIME);
                }
                return null;
            } catch (DateTimeParseException e) {
                return "'" + value.asText() + "' is not " + pattern;
            }
        }
        throw new IllegalStateException("no reading rule for mirror column type " + type.sql());
    }

    private static String jsonOrNull(JsonNode node) {
        return node.isObject() ? JsonMessage.write(node) : null;
    }

    private static Map<String, String> values(JsonNode data) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = data.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            values.put(field.getKey(), value.isNull() ? null
                    : value.isTextual() ? value.asText()
                    : value.isNumber() ? value.numberValue() instanceof BigDecimal exact ? exact.toPlainString() : value.asText()
                    : JsonMessage.write(value));
        }
        return values;
    }
}
