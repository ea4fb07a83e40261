package com.example.lakehouse.report;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The DAU dashboard as one self-contained HTML page (inline SVG, no scripts, no external files), so any
 * static web server or an iframe can show it: today against yesterday by hour, and the last 30 days.
 */
public final class DauDashboard {
    private static final int WIDTH = 560;
    private static final int HEIGHT = 240;
    private static final int MARGIN = 40;

    /** One hour of ads_dau_hourly. */
    public record Hour(int hour, long cumulativeDau, long yesterdayCumulativeDau) {
    }

    /** One day of ads_dau_daily. */
    public record Day(LocalDate dt, long dau) {
    }

    private DauDashboard() {
    }

    public static String render(LocalDate date, List<Hour> hours, List<Day> days) {
        long today = hours.stream().mapToLong(Hour::cumulativeDau).max().orElse(0);
        long yesterday = hours.stream().mapToLong(Hour::yesterdayCumulativeDau).max().orElse(0);
        String change = yesterday == 0 ? "n/a" : String.format(Locale.ROOT, "%+.1f%%", 100.0 * (today - yesterday) / yesterday);
        long max = Math.max(1, hours.stream().mapToLong(h -> Math.max(h.cumulativeDau(), h.yesterdayCumulativeDau())).max().orElse(1));
        List<Long> todayLine = hours.stream().map(Hour::cumulativeDau).toList();
        List<Long> yesterdayLine = hours.stream().map(Hour::yesterdayCumulativeDau).toList();
        long maxDaily = Math.max(1, days.stream().mapToLong(Day::dau).max().orElse(1));
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>DAU %1$s</title>
                <style>
                body { font-family: sans-serif; margin: 16px; color: #222; background: #fff; }
                .tiles { display: flex; gap: 16px; margin-bottom: 16px; }
                .tile { border: 1px solid #ddd; border-radius: 6px; padding: 8px 16px; }
                .tile b { display: block; font-size: 28px; }
                .charts { display: flex; flex-wrap: wrap; gap: 16px; }
                svg { border: 1px solid #eee; }
                .today { stroke: #1f77b4; } .yesterday { stroke: #ff7f0e; stroke-dasharray: 6 4; }
                .bar { fill: #2ca02c; } text { font-size: 11px; fill: #555; }
                </style></head>
                <body>
                <h1>Daily active devices, %1$s</h1>
                <div class="tiles">
                <div class="tile" id="dau-today" data-value="%2$d">DAU today<b>%2$d</b></div>
                <div class="tile" id="dau-yesterday" data-value="%3$d">yesterday<b>%3$d</b></div>
                <div class="tile">change<b>%4$s</b></div>
                </div>
                <div class="charts">
                <figure><figcaption>Cumulative DAU by hour: today (solid) and yesterday (dashed)</figcaption>
                <svg width="%5$d" height="%6$d" role="img">%7$s%8$s%9$s</svg></figure>
                <figure><figcaption>DAU, last %10$d days</figcaption>
                <svg width="%5$d" height="%6$d" role="img">%11$s</svg></figure>
                </div>
                </body></html>
                """.formatted(date, today, yesterday, change, WIDTH, HEIGHT,
                axes(max, "hour", 24),
                polyline("yesterday", yesterdayLine, max),
                polyline("today", todayLine, max),
                days.size(), bars(days, maxDaily));
    }

    private static String axes(long max, String xLabel, int xCount) {
        return "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#999'/><line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#999'/>"
                .formatted(MARGIN, HEIGHT - MARGIN, WIDTH - 10, HEIGHT - MARGIN, MARGIN, 10, MARGIN, HEIGHT - MARGIN)
                + "<text x='%d' y='%d'>%d</text><text x='%d' y='%d'>0</text><text x='%d' y='%d'>%s 0-%d</text>"
                .formatted(4, 20, max, 20, HEIGHT - MARGIN, WIDTH / 2, HEIGHT - 10, xLabel, xCount - 1);
    }

    private static String polyline(String cssClass, List<Long> values, long max) {
        String points = IntStream.range(0, values.size())
                .mapToObj(i -> x(i, 24) + "," + y(values.get(i), max))
                .collect(Collectors.joining(" "));
        return "<polyline class='" + cssClass + "' fill='none' stroke-width='2' points='" + points + "'/>";
    }

    private static String bars(List<Day> days, long max) {
        StringBuilder svg = new StringBuilder(axes(max, "day", days.size()));
        double slot = (WIDTH - 10.0 - MARGIN) / Math.max(1, days.size());
        for (int i = 0; i < days.size(); i++) {
            Day day = days.get(i);
            int top = y(day.dau(), max);
            svg.append("<rect class='bar' x='%.1f' y='%d' width='%.1f' height='%d'><title>%s: %d</title></rect>"
                    .formatted(MARGIN + i * slot + 1, top, Math.max(1, slot - 2), HEIGHT - MARGIN - top, day.dt(), day.dau()));
        }
        return svg.toString();
    }

    private static int x(int index, int count) {
        return MARGIN + (int) Math.round(index * (WIDTH - 10.0 - MARGIN) / (count - 1));
    }

    private static int y(long value, long max) {
        return HEIGHT - MARGIN - (int) Math.round(value * (HEIGHT - MARGIN - 10.0) / max);
    }
}
