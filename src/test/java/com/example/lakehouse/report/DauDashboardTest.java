package com.example.lakehouse.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class DauDashboardTest {
    @Test
    void showsTodayAgainstYesterdayAndOneBarPerDay() {
        List<DauDashboard.Hour> hours = IntStream.range(0, 24)
                .mapToObj(hour -> new DauDashboard.Hour(hour, 5L * (hour + 1), 4L * (hour + 1))).toList();
        List<DauDashboard.Day> days = List.of(new DauDashboard.Day(LocalDate.of(2024, 3, 1), 96),
                new DauDashboard.Day(LocalDate.of(2024, 3, 2), 120));

        String html = DauDashboard.render(LocalDate.of(2024, 3, 2), hours, days);

        assertThat(html).contains("id=\"dau-today\" data-value=\"120\"", "id=\"dau-yesterday\" data-value=\"96\"", "+25.0%")
                .contains("<title>2024-03-01: 96</title>");
        assertThat(html.split("<rect class='bar'", -1)).hasSize(3);
        assertThat(html.split("<polyline", -1)).hasSize(3);
        assertThat(html).doesNotContain("<script", "http://", "https://");
    }

    @Test
    void anEmptyDayRendersWithoutDividingByZero() {
        assertThat(DauDashboard.render(LocalDate.of(2024, 3, 2), List.of(), List.of()))
                .contains("data-value=\"0\"", "<b>n/a</b>");
    }
}
