package com.example.lakehouse.serve;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The live page as one self-contained file, for embedding or mailing without a server: the page {@code serve} shows,
 * its chart library inlined, and the answers of the API calls it makes for one day carried in the file, so the same
 * code draws the same tiles and charts once instead of every few seconds.
 */
public final class LivePageExport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHART_LIBRARY = "<script src=\"echarts.min.js\"></script>";

    private LivePageExport() {
    }

    /** The page for {@code date}, with the answers {@code figures} gives now. */
    public static String render(LiveFigures figures, LocalDate date) throws SQLException {
        // keyed as the page asks: the call's path and parameters, the date being the file's own
        Map<String, Object> answers = new LinkedHashMap<>();
        answers.put("realtime-total?", figures.total(date).query().run());
        answers.put("realtime-hour?id=dau", figures.byHour(LiveFigures.HourlyFigure.dau, date).query().run());
        answers.put("realtime-hour?id=order_amount", figures.byHour(LiveFigures.HourlyFigure.order_amount, date).query().run());
        answers.put("daily?days=30", figures.daily(date, 30).query().run());
        String page = resource(ApiServer.LIVE_PAGE);
        if (!page.contains(CHART_LIBRARY)) {
            throw new IllegalStateException(ApiServer.LIVE_PAGE + " no longer loads " + CHART_LIBRARY);
        }
        return page.replace(CHART_LIBRARY, "<script>" + resource(ApiServer.echartsResource()) + "</script>\n"
                + "<script>window.LAKEHOUSE_SNAPSHOT = " + scriptSafe(Map.of("taken_at", Instant.now().toString(),
                "answers", answers)) + ";</script>");
    }

    /** JSON that cannot end the script element it sits in. */
    private static String scriptSafe(Object value) {
        try {
            return JSON.writeValueAsString(value).replace("</", "<\\/");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resource(String name) {
        return new String(ApiServer.resourceBytes(name), StandardCharsets.UTF_8);
    }
}
