package com.example.lakehouse.serve;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.serve.RefreshingAnswers.Question;
import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.Tables;
import com.example.lakehouse.trino.QueryResultPrinter;
import com.example.lakehouse.trino.TrinoClient;

/**
 * The figures the API publishes, read through Trino from tables; no metric is derived here. Today's come
 * from the tables the streams keep current: devices from {@code dws_dau_device_live}, orders and GMV from
 * {@code dws_order_hour_live} (the CDC ingest's hours of the order mirror, by the rule its entry and
 * ads_order_daily share). Trademarks and user groups come from the nightly tables. Every value put into SQL
 * here is a parsed date, a number or one of a fixed set of names, never a caller's text.
 */
public final class LiveFigures {
    /** The figures of {@code /realtime-hour}. */
    public enum HourlyFigure { dau, order_amount }

    /** The groups of {@code /stats-by-item}, each a column of dwd_order_wide. */
    public enum Item {
        gender("user_gender"), age("user_age_group");

        private final String column;

        Item(String column) {
            this.column = column;
        }
    }

    public record Total(String id, String name, Object value) {
    }

    public record TrademarkAmount(long trademark_id, String trademark_name, BigDecimal amount) {
    }

    public record ItemAmount(String name, BigDecimal value) {
    }

    public record Day(String date, long dau, long order_count, BigDecimal order_amount) {
    }

    private final LakehouseConfig config;
    private final ZoneId zone;
    private final TableDef live;
    /** The live table's current rows (its earliest row per device and day), as a relation of a FROM clause. */
    private final String liveDevices;
    private final TableDef orderHours;
    private final TableDef trademarkGmv;
    private final TableDef orderWide;
    private final TableDef rejected;

    /** The figures read through {@code config}'s Trino, from the live tables of {@code tables}. */
    public LiveFigures(LakehouseConfig config, Tables tables) {
        this.config = config;
        this.zone = config.timeZone();
        this.live = tables.dwsDauDeviceLive();
        this.liveDevices = "(" + live.currentRows(live.name()) + ") live_devices";
        this.orderHours = tables.dwsOrderHourLive();
        this.trademarkGmv = tables.byName("ads_trademark_gmv");
        this.orderWide = tables.byName("dwd_order_wide");
        this.rejected = tables.odsRejected();
    }

    public LocalDate today() {
        return LocalDate.now(zone);
    }

    /** Active devices, new devices and GMV of a day, as the lineage's publisher names them. */
    Question total(LocalDate date) {
        // the devices' current rows read once for both of their figures
        String sql = "SELECT devices.dau, devices.new_mid, orders.amount FROM"
                + " (SELECT count(*) AS dau, count_if(is_new) AS new_mid FROM " + liveDevices + " WHERE dt = " + literal(date) + ") devices"
                + " CROSS JOIN (SELECT coalesce(sum(gmv), 0) AS amount FROM " + orderHours.name() + " WHERE dt = " + literal(date)
                + ") orders";
        return question("total " + date, List.of(live, orderHours), sql, rows -> {
            rows.next();
            return List.of(new Total("dau", "新增日活", rows.getLong(1)),
                    new Total("new_mid", "新增设备", rows.getLong(2)),
                    new Total("order_amount", "新增交易额", rows.getBigDecimal(3)));
        });
    }

    /**
     * A figure by hour of the day (in the configured zone), for the day and the day before: devices by
     * the hour of their first activity, or GMV by the hour the orders were created. Hours with nothing
     * are left out, as the lineage's publisher does.
     */
    Question byHour(HourlyFigure figure, LocalDate date) {
        String sql = switch (figure) {
            case dau -> "SELECT dt, hour(first_event_time AT TIME ZONE '" + zone.getId() + "'), count(*)"
                    + " FROM " + liveDevices + " WHERE dt IN (" + literal(date) + ", " + literal(date.minusDays(1)) + ")"
                    + " GROUP BY 1, 2";
            case order_amount -> "SELECT dt, order_hour, gmv FROM " + orderHours.name()
                    + " WHERE dt IN (" + literal(date) + ", " + literal(date.minusDays(1)) + ")";
        };
        List<TableDef> reads = List.of(figure == HourlyFigure.dau ? live : orderHours);
        return question("hour " + figure + " " + date, reads, sql, rows -> {
            Map<String, Object> today = new TreeMap<>();
            Map<String, Object> yesterday = new TreeMap<>();
            while (rows.next()) {
                Map<String, Object> day = LocalDate.parse(rows.getString(1)).equals(date) ? today : yesterday;
                day.put(String.format("%02d", rows.getInt(2)), rows.getObject(3));
            }
            Map<String, Map<String, Object>> both = new LinkedHashMap<>();
            both.put("today", today);
            both.put("yesterday", yesterday);
            return both;
        });
    }

    /** The trademarks with the highest GMV over a range of days, highest first. */
    Question trademarks(LocalDate start, LocalDate end, int top) {
        String sql = "SELECT tm_id, max(tm_name), sum(gmv) FROM " + trademarkGmv.name()
                + " WHERE dt BETWEEN " + literal(start) + " AND " + literal(end)
                + " GROUP BY tm_id ORDER BY 3 DESC, 1 LIMIT " + top;
        return question("trademarks " + start + " " + end + " " + top, List.of(trademarkGmv), sql, rows -> {
            List<TrademarkAmount> trademarks = new ArrayList<>();
            while (rows.next()) {
                trademarks.add(new TrademarkAmount(rows.getLong(1), rows.getString(2), rows.getBigDecimal(3)));
            }
            return trademarks;
        });
    }

    /** A day's GMV by the buyers' gender or age group (from the apportioned order lines). */
    Question byItem(LocalDate date, Item item) {
        String sql = "SELECT " + item.column + ", sum(split_total_amount) FROM " + orderWide.name()
                + " WHERE dt = " + literal(date) + " GROUP BY 1 ORDER BY 1";
        return question("item " + item + " " + date, List.of(orderWide), sql, rows -> {
            List<ItemAmount> amounts = new ArrayList<>();
            while (rows.next()) {
                amounts.add(new ItemAmount(rows.getString(1), rows.getBigDecimal(2)));
            }
            return amounts;
        });
    }

    /** Active devices, orders and GMV per day for {@code days} days up to {@code end}, every day listed. */
    Question daily(LocalDate end, int days) {
        LocalDate start = end.minusDays(days - 1L);
        String range = " WHERE dt BETWEEN " + literal(start) + " AND " + literal(end);
        String sql = "SELECT day.dt, coalesce(devices.dau, 0), coalesce(orders.orders, 0), coalesce(orders.amount, 0)"
                + " FROM UNNEST(sequence(" + literal(start) + ", " + literal(end) + ")) AS day(dt)"
                + " LEFT JOIN (SELECT dt, count(*) AS dau FROM " + liveDevices + range + " GROUP BY dt) devices"
                + " ON devices.dt = day.dt"
                + " LEFT JOIN (SELECT dt, sum(order_count) AS orders, sum(gmv) AS amount FROM " + orderHours.name() + range
                + " GROUP BY dt) orders ON orders.dt = day.dt"
                + " ORDER BY 1";
        return question("daily " + end + " " + days, List.of(live, orderHours), sql, rows -> {
            List<Day> daily = new ArrayList<>();
            while (rows.next()) {
                daily.add(new Day(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getBigDecimal(4)));
            }
            return daily;
        });
    }

    /** The messages quarantined so far, by source (app_log, maxwell): distinct messages, as ods_rejected keeps them. */
    Question rejectedBySource() {
        return question("rejected", List.of(rejected), "SELECT source, count(*) FROM " + rejected.name() + " GROUP BY 1", rows -> {
            Map<String, Long> rejected = new TreeMap<>();
            while (rows.next()) {
                rejected.put(rows.getString(1), rows.getLong(2));
            }
            return rejected;
        });
    }

    /** The least question, which reads no table: whether Trino answers. */
    Question ping() {
        return question("trino answers", List.of(), "SELECT 1", ResultSet::next);
    }

    /** One line on why Trino could not answer. */
    public String describe(SQLException error) {
        return QueryResultPrinter.describe(error, config);
    }

    private interface RowsReader {
        Object read(ResultSet rows) throws SQLException;
    }

    /** The question {@code key}, which reads {@code tables}, answered by {@code sql}'s rows as {@code reader} reads them. */
    private Question question(String key, List<TableDef> tables, String sql, RowsReader reader) {
        return new Question(key, tables, () -> {
            try (Connection connection = TrinoClient.connect(config);
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(sql)) {
                return reader.read(rows);
            }
        });
    }

    private static String literal(LocalDate date) {
        return "DATE '" + date + "'";
    }
}
