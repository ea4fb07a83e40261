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
    /** The live table's current rows (its earliest row per device and day), as a relation of a FROM clause. */
    private final String liveDevices;
    private final String orderHours;
    private final String rejected;

    /** The figures read through {@code config}'s Trino, from the live tables of {@code tables}. */
    public LiveFigures(LakehouseConfig config, Tables tables) {
        this.config = config;
        this.zone = config.timeZone();
        TableDef live = tables.dwsDauDeviceLive();
        this.liveDevices = "(" + live.currentRows(live.name()) + ") live_devices";
        this.orderHours = tables.dwsOrderHourLive().name();
        this.rejected = tables.odsRejected().name();
    }

    public LocalDate today() {
        return LocalDate.now(zone);
    }

    /** Active devices, new devices and GMV of a day, as the lineage's publisher names them. */
    public List<Total> total(LocalDate date) throws SQLException {
        // the devices' current rows read once for both of their figures
        String sql = "SELECT devices.dau, devices.new_mid, orders.amount FROM"
                + " (SELECT count(*) AS dau, count_if(is_new) AS new_mid FROM " + liveDevices + " WHERE dt = " + literal(date) + ") devices"
                + " CROSS JOIN (SELECT coalesce(sum(gmv), 0) AS amount FROM " + orderHours + " WHERE dt = " + literal(date)
                + ") orders";
        return query(sql, rows -> {
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
    public Map<String, Map<String, Object>> byHour(HourlyFigure figure, LocalDate date) throws SQLException {
        String sql = switch (figure) {
            case dau -> "SELECT dt, hour(first_event_time AT TIME ZONE '" + zone.getId() + "'), count(*)"
                    + " FROM " + liveDevices + " WHERE dt IN (" + literal(date) + ", " + literal(date.minusDays(1)) + ")"
                    + " GROUP BY 1, 2";
            case order_amount -> "SELECT dt, order_hour, gmv FROM " + orderHours
                    + " WHERE dt IN (" + literal(date) + ", " + literal(date.minusDays(1)) + ")";
        };
        return query(sql, rows -> {
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
    public List<TrademarkAmount> trademarks(LocalDate start, LocalDate end, int top) throws SQLException {
        String sql = "SELECT tm_id, max(tm_name), sum(gmv) FROM ads_trademark_gmv"
                + " WHERE dt BETWEEN " + literal(start) + " AND " + literal(end)
                + " GROUP BY tm_id ORDER BY 3 DESC, 1 LIMIT " + top;
        return query(sql, rows -> {
            List<TrademarkAmount> trademarks = new ArrayList<>();
            while (rows.next()) {
                trademarks.add(new TrademarkAmount(rows.getLong(1), rows.getString(2), rows.getBigDecimal(3)));
            }
            return trademarks;
        });
    }

    /** A day's GMV by the buyers' gender or age group (from the apportioned order lines). */
    public List<ItemAmount> byItem(LocalDate date, Item item) throws SQLException {
        String sql = "SELECT " + item.column + ", sum(split_total_amount) FROM dwd_order_wide"
                + " WHERE dt = " + literal(date) + " GROUP BY 1 ORDER BY 1";
        return query(sql, rows -> {
            List<ItemAmount> amounts = new ArrayList<>();
            while (rows.next()) {
                amounts.add(new ItemAmount(rows.getString(1), rows.getBigDecimal(2)));
            }
            return amounts;
        });
    }

    /** Active devices, orders and GMV per day for {@code days} days up to {@code end}, every day listed. */
    public List<Day> daily(LocalDate end, int days) throws SQLException {
        LocalDate start = end.minusDays(days - 1L);
        String range = " WHERE dt BETWEEN " + literal(start) + " AND " + literal(end);
        String sql = "SELECT day.dt, coalesce(devices.dau, 0), coalesce(orders.orders, 0), coalesce(orders.amount, 0)"
                + " FROM UNNEST(sequence(" + literal(start) + ", " + literal(end) + ")) AS day(dt)"
                + " LEFT JOIN (SELECT dt, count(*) AS dau FROM " + liveDevices + range + " GROUP BY dt) devices"
                + " ON devices.dt = day.dt"
                + " LEFT JOIN (SELECT dt, sum(order_count) AS orders, sum(gmv) AS amount FROM " + orderHours + range
                + " GROUP BY dt) orders ON orders.dt = day.dt"
                + " ORDER BY 1";
        return query(sql, rows -> {
            List<Day> daily = new ArrayList<>();
            while (rows.next()) {
                daily.add(new Day(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getBigDecimal(4)));
            }
            return daily;
        });
    }

    /** The messages quarantined so far, by source (app_log, maxwell): distinct messages, as ods_rejected keeps them. */
    public Map<String, Long> rejectedBySource() throws SQLException {
        return query("SELECT source, count(*) FROM " + rejected + " GROUP BY 1", rows -> {
            Map<String, Long> rejected = new TreeMap<>();
            while (rows.next()) {
                rejected.put(rows.getString(1), rows.getLong(2));
            }
            return rejected;
        });
    }

    /** Asks Trino the least question; throws if it does not answer. */
    public void ping() throws SQLException {
        query("SELECT 1", rows -> rows.next());
    }

    /** One line on why Trino could not answer. */
    public String describe(SQLException error) {
        return QueryResultPrinter.describe(error, config);
    }

    private interface RowsReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> T query(String sql, RowsReader<T> reader) throws SQLException {
        try (Connection connection = TrinoClient.connect(config);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            return reader.read(rows);
        }
    }

    private static String literal(LocalDate date) {
        return "DATE '" + date + "'";
    }
}
