package com.example.lakehouse.dev.generate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Writes a deterministic gmall shop into the source database over JDBC: the catalogue and first users
 * ({@link #seedCatalogue}), then days of orders with the changes a live shop makes while they happen
 * ({@link #generateOrders}): new users, payments and completions (some several per transaction), profile
 * edits (some editing one row twice in a transaction), price changes, a trademark rename, deleted
 * orders and deleted users. Every order satisfies original_total_amount = sum(order_price * sku_num)
 * and total_amount = original - activity - coupon + freight. Gender and birthday are never changed.
 */
public final class OrderGenerator {
    /** Tables written before Maxwell starts, so they reach Kafka only through Maxwell's bootstrap. */

    private static final String[][] REGIONS = {{"1", "North China"}, {"2", "East China"}, {"3", "South China"},
            {"4", "Southwest China"}};
    // id, name, region, area code, iso code, iso 3166-2
    private static final String[][] PROVINCES = {{"1", "Beijing", "1", "110000", "CN-11", "CN-BJ"},
            {"2", "Tianjin", "1", "120000", "CN-12", "CN-TJ"}, {"3", "Shanghai", "2", "310000", "CN-31", "CN-SH"},
            {"4", "Jiangsu", "2", "320000", "CN-32", "CN-JS"}, {"5", "Zhejiang", "2", "330000", "CN-33", "CN-ZJ"},
            {"6", "Guangdong", "3", "440000", "CN-44", "CN-GD"}, {"7", "Fujian", "3", "350000", "CN-35", "CN-FJ"},
            {"8", "Sichuan", "4", "510000", "CN-51", "CN-SC"}, {"9", "Chongqing", "4", "500000", "CN-50", "CN-CQ"},
            {"10", "Yunnan", "4", "530000", "CN-53", "CN-YN"}};
    private static final String[] TRADEMARKS = {"Xiaomi", "Apple", "Huawei", "OPPO", "vivo", "Lenovo", "Haier", "Midea"};
    private static final String[] CATEGORY1 = {"Phones", "Computers", "Appliances"};
    private static final int SPUS = 16;
    private static final BigDecimal FREE_SHIPPING_FROM = new BigDecimal("99.00");
    private static final BigDecimal FREIGHT = new BigDecimal("8.00");

    /**
     * How much to generate; the same settings on the same database state give the same rows. Nothing
     * is created or changed later than {@code until}, so a run that includes today stops at the present.
     */
    public record Settings(int users, int days, int ordersPerDay, LocalDate startDate, long seed, LocalDateTime until) {
        public Settings(int users, int days, int ordersPerDay, LocalDate startDate, long seed) {
            this(users, days, ordersPerDay, startDate, seed, LocalDateTime.MAX);
        }

        public Settings {
            if (users < 1 || days < 1 || ordersPerDay < 1) {
                throw new IllegalArgumentException("users, days and orders per day must be at least 1");
            }
        }
    }

    /** What one run wrote, for the person who started it. */
    public record Summary(int newUsers, int orders, int orderLines, int statusUpdates, int profileUpdates,
                          int priceChanges, int deletedOrders, int deletedUsers) {
        @Override
        public String toString() {
            return orders + " orders (" + orderLines + " lines), " + newUsers + " new users, " + statusUpdates
                    + " status updates, " + profileUpdates + " profile updates, " + priceChanges + " price changes, "
                    + deletedOrders + " deleted orders, " + deletedUsers + " deleted users";
        }
    }

    private final Connection db;
    private final Settings settings;
    private final Random random;
    private final Map<Long, BigDecimal> skuPrices = new HashMap<>();
    private final Map<Long, String> skuNames = new HashMap<>();

    private OrderGenerator(Connection db, Settings settings) {
        this.db = db;
        this.settings = settings;
        this.random = new Random(settings.seed());
    }

    /** Regions, provinces, trademarks, categories, SPUs, SKUs and the first users; skipped if present. */
    public static void seedCatalogue(Connection db, Settings settings) throws SQLException {
        new OrderGenerator(db, settings).writeCatalogue();
    }

    /** Days of orders from settings.startDate(), with the shop's changes in between. */
    public static Summary generateOrders(Connection db, Settings settings) throws SQLException {
        OrderGenerator generator = new OrderGenerator(db, settings);
        generator.writeCatalogue();
        return generator.writeOrders();
    }

    private void writeCatalogue() throws SQLException {
        if (count("SELECT count(*) FROM sku_info") > 0) {
            return;
        }
        db.setAutoCommit(false);
        for (String[] region : REGIONS) {
            execute("INSERT INTO base_region VALUES (?, ?)", Long.parseLong(region[0]), region[1]);
        }
        for (String[] province : PROVINCES) {
            execute("INSERT INTO base_province VALUES (?, ?, ?, ?, ?, ?)", Long.parseLong(province[0]), province[1],
                    Long.parseLong(province[2]), province[3], province[4], province[5]);
        }
        for (int i = 0; i < TRADEMARKS.length; i++) {
            execute("INSERT INTO base_trademark VALUES (?, ?, ?)", i + 1L, TRADEMARKS[i], "/logo/" + (i + 1) + ".png");
        }
        for (int c1 = 0; c1 < CATEGORY1.length; c1++) {
            execute("INSERT INTO base_category1 VALUES (?, ?)", c1 + 1L, CATEGORY1[c1]);
            for (int c2 = 0; c2 < 2; c2++) {
                long category2 = c1 * 2L + c2 + 1;
                execute("INSERT INTO base_category2 VALUES (?, ?, ?)", category2, CATEGORY1[c1] + " group " + (c2 + 1), c1 + 1L);
                for (int c3 = 0; c3 < 2; c3++) {
                    long category3 = (category2 - 1) * 2 + c3 + 1;
                    execute("INSERT INTO base_category3 VALUES (?, ?, ?)", category3,
                            CATEGORY1[c1] + " kind " + category3, category2);
                }
            }
        }
        long skuId = 1;
        for (long spu = 1; spu <= SPUS; spu++) {
            long trademark = 1 + random.nextInt(TRADEMARKS.length);
            long category3 = 1 + random.nextInt(12);
            String spuName = TRADEMARKS[(int) trademark - 1] + " model " + spu;
            execute("INSERT INTO spu_info VALUES (?, ?, ?, ?, ?)", spu, spuName, "the " + spuName, category3, trademark);
            int variants = 2 + random.nextInt(2);
            for (int v = 0; v < variants; v++, skuId++) {
                BigDecimal price = BigDecimal.valueOf(990 + random.nextInt(600_000), 2);
                execute("INSERT INTO sku_info VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", skuId, spu, price,
                        spuName + " variant " + (v + 1), "variant " + (v + 1) + " of " + spuName,
                        BigDecimal.valueOf(10 + random.nextInt(500), 2), trademark, category3,
                        settings.startDate().minusDays(60).atTime(9, 0));
            }
        }
        for (int i = 0; i < settings.users(); i++) {
            insertUser(settings.startDate().minusDays(1 + random.nextInt(300)).atTime(random.nextInt(24), random.nextInt(60)));
        }
        db.commit();
        db.setAutoCommit(true);
    }

    private Summary writeOrders() throws SQLException {
        loadSkus();
        db.setAutoCommit(false);
        long orderId = count("SELECT coalesce(max(id), 0) FROM order_info") + 1;
        long lineId = count("SELECT coalesce(max(id), 0) FROM order_detail") + 1;
        int newUsers = 0;
        int lines = 0;
        int statusUpdates = 0;
        int profileUpdates = 0;
        int priceChanges = 0;
        int deletedOrders = 0;
        List<Long> allOrders = new ArrayList<>();
        for (int day = 0; day < settings.days(); day++) {
            LocalDate date = settings.startDate().plusDays(day);
            for (int i = 0; i < Math.max(1, settings.users() / 20); i++) {
                LocalDateTime registered = date.atTime(random.nextInt(12), random.nextInt(60));
                if (registered.isAfter(settings.until())) {
                    continue;
                }
                insertUser(registered);
                newUsers++;
                db.commit();
            }
            List<Long> userIds = ids("SELECT id FROM user_info ORDER BY id");
            List<Long> todaysOrders = new ArrayList<>();
            for (int i = 0; i < settings.ordersPerDay(); i++, orderId++) {
                // a few heavy buyers, so users order several times, sometimes on one day
                long userId = random.nextInt(4) == 0 ? userIds.get(random.nextInt(Math.min(5, userIds.size())))
                        : userIds.get(random.nextInt(userIds.size()));
                LocalDateTime created = date.atTime(random.nextInt(24), random.nextInt(60), random.nextInt(60));
                if (created.isAfter(settings.until())) {
                    continue;
                }
                int orderLines = insertOrder(orderId, lineId, userId, created);
                lines += orderLines;
                lineId += orderLines;
                todaysOrders.add(orderId);
                db.commit();
                if (random.nextInt(10) == 0) {
                    priceChanges += changePrice();
                    db.commit();
                }
            }
            // payments at the end of the day: several orders paid in one transaction
            boolean dayOver = !date.atTime(23, 59, 59).isAfter(settings.until());
            for (int i = 0; dayOver && i < todaysOrders.size(); i += 3) {
                for (long paid : todaysOrders.subList(i, Math.min(i + 3, todaysOrders.size()))) {
                    if (random.nextInt(10) < 7) {
                        statusUpdates += execute("UPDATE order_info SET order_status = '1002', operate_time = ? WHERE id = ?",
                                date.atTime(23, 59, 59), paid);
                        if (random.nextBoolean()) {
                            statusUpdates += execute("UPDATE order_info SET order_status = '1004' WHERE id = ?", paid);
                        }
                    }
                }
                db.commit();
            }
            for (long userId : userIds) {
                if (random.nextInt(10) == 0 && !date.atTime(12, 0).isAfter(settings.until())) {
                    profileUpdates += execute("UPDATE user_info SET nick_name = ?, user_level = ?, operate_time = ? WHERE id = ?",
                            "nick " + random.nextInt(10_000), String.valueOf(1 + random.nextInt(3)), date.atTime(12, 0), userId);
                    if (random.nextBoolean()) { // the same row changed twice in one transaction
                        profileUpdates += execute("UPDATE user_info SET phone_num = ? WHERE id = ?",
                                "139" + (10_000_000 + random.nextInt(89_999_999)), userId);
                    }
                    db.commit();
                }
            }
            allOrders.addAll(todaysOrders);
        }
        for (long cancelled : allOrders) {
            if (random.nextInt(20) == 0) {
                execute("DELETE FROM order_detail WHERE order_id = ?", cancelled);
                deletedOrders += execute("DELETE FROM order_info WHERE id = ?", cancelled);
                db.commit();
            }
        }
        execute("UPDATE base_trademark SET tm_name = concat(tm_name, ' Global') WHERE id = ?", 1 + random.nextInt(TRADEMARKS.length));
        int deletedUsers = execute("DELETE FROM user_info WHERE id NOT IN (SELECT user_id FROM order_info) ORDER BY id LIMIT 2");
        db.commit();
        db.setAutoCommit(true);
        return new Summary(newUsers, allOrders.size(), lines, statusUpdates, profileUpdates, priceChanges,
                deletedOrders, deletedUsers);
    }

    /** One order with 1-4 distinct SKUs at their current price; returns the number of lines. */
    private int insertOrder(long orderId, long firstLineId, long userId, LocalDateTime created) throws SQLException {
        List<Long> skuIds = new ArrayList<>(skuPrices.keySet());
        skuIds.sort(Long::compare);
        Set<Long> chosen = new LinkedHashSet<>();
        int lineCount = 1 + random.nextInt(4);
        while (chosen.size() < lineCount) {
            chosen.add(skuIds.get(random.nextInt(skuIds.size())));
        }
        BigDecimal original = BigDecimal.ZERO.setScale(2);
        long lineId = firstLineId;
        for (long skuId : chosen) {
            int quantity = 1 + random.nextInt(3);
            BigDecimal price = skuPrices.get(skuId);
            original = original.add(price.multiply(BigDecimal.valueOf(quantity)));
            execute("INSERT INTO order_detail VALUES (?, ?, ?, ?, ?, ?, ?, ?)", lineId++, orderId, skuId,
                    skuNames.get(skuId), price, (long) quantity, random.nextBoolean() ? "search" : "promotion", created);
        }
        BigDecimal activity = random.nextInt(10) < 3
                ? original.multiply(new BigDecimal("0.07")).setScale(2, RoundingMode.DOWN) : BigDecimal.ZERO.setScale(2);
        BigDecimal coupon = random.nextInt(10) < 2 && original.subtract(activity).compareTo(new BigDecimal("20")) > 0
                ? new BigDecimal(random.nextBoolean() ? "5.00" : "10.01") : BigDecimal.ZERO.setScale(2);
        BigDecimal freight = original.compareTo(FREE_SHIPPING_FROM) < 0 ? FREIGHT : BigDecimal.ZERO.setScale(2);
        BigDecimal total = original.subtract(activity).subtract(coupon).add(freight);
        execute("INSERT INTO order_info VALUES (?, ?, ?, ?, ?, '1001', ?, ?, ?, ?, ?, ?, ?, ?, NULL)", orderId,
                "consignee " + userId, "138" + (10_000_000 + random.nextInt(89_999_999)), userId,
                Long.parseLong(PROVINCES[random.nextInt(PROVINCES.length)][0]), random.nextBoolean() ? "alipay" : "wechat",
                "trade-" + orderId, original, activity, coupon, freight, total, created);
        return chosen.size();
    }

    private int changePrice() throws SQLException {
        List<Long> skuIds = new ArrayList<>(skuPrices.keySet());
        skuIds.sort(Long::compare);
        long skuId = skuIds.get(random.nextInt(skuIds.size()));
        BigDecimal price = skuPrices.get(skuId).multiply(new BigDecimal("0.95")).setScale(2, RoundingMode.HALF_UP);
        skuPrices.put(skuId, price);
        return execute("UPDATE sku_info SET price = ? WHERE id = ?", price, skuId);
    }

    private void insertUser(LocalDateTime created) throws SQLException {
        long id = count("SELECT coalesce(max(id), 0) FROM user_info") + 1;
        LocalDate birthday = LocalDate.of(1960 + random.nextInt(48), 1 + random.nextInt(12), 1 + random.nextInt(28));
        execute("INSERT INTO user_info VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)", id, "user" + id, "nick" + id,
                "name " + id, "137" + (10_000_000 + random.nextInt(89_999_999)), "user" + id + "@example.com",
                String.valueOf(1 + random.nextInt(3)), birthday, random.nextBoolean() ? "F" : "M", created);
    }

    private void loadSkus() throws SQLException {
        try (Statement statement = db.createStatement();
             ResultSet skus = statement.executeQuery("SELECT id, price, sku_name FROM sku_info")) {
            while (skus.next()) {
                skuPrices.put(skus.getLong(1), skus.getBigDecimal(2));
                skuNames.put(skus.getLong(1), skus.getString(3));
            }
        }
    }

    private int execute(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }

    private long count(String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private List<Long> ids(String sql) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Statement statement = db.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                ids.add(result.getLong(1));
            }
        }
        return ids;
    }
}
