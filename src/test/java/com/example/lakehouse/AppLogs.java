package com.example.lakehouse;

/** Hand-written app-log messages for tests. */
public final class AppLogs {
    private AppLogs() {
    }

    public static String common(String mid) {
        return "{\"ar\":\"110000\",\"ba\":\"Xiaomi\",\"ch\":\"xiaomi\",\"is_new\":\"1\",\"md\":\"Xiaomi 9\",\"mid\":\""
                + mid + "\",\"os\":\"Android 11.0\",\"uid\":\"42\",\"vc\":\"v2.1.134\"}";
    }

    public static String start(String mid, long ts) {
        return "{\"common\":" + common(mid) + ",\"start\":{\"entry\":\"icon\",\"loading_time\":1200,\"open_ad_id\":7,"
                + "\"open_ad_ms\":3000,\"open_ad_skip_ms\":0},\"ts\":" + ts + "}";
    }

    /** A page view; {@code lastPageId} null means it opens a session. */
    public static String page(String mid, long ts, String pageId, String lastPageId) {
        String last = lastPageId == null ? "" : ",\"last_page_id\":\"" + lastPageId + "\"";
        return "{\"common\":" + common(mid) + ",\"page\":{\"during_time\":5000,\"page_id\":\"" + pageId + "\"" + last
                + "},\"displays\":[{\"display_type\":\"query\",\"item\":\"3\",\"item_type\":\"sku_id\",\"order\":1,\"pos_id\":2}],"
                + "\"actions\":[{\"action_id\":\"cart_add\",\"item\":\"3\",\"item_type\":\"sku_id\",\"ts\":" + (ts + 100) + "}],"
                + "\"ts\":" + ts + "}";
    }
}
