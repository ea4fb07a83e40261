package com.example.lakehouse.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import com.example.lakehouse.table.TableEntry;
import com.example.lakehouse.table.Tables;

class SqlJobTest {
    private static final Tables tables = Tables.load();

    @Test
    void substitutesTheDate() {
        assertThat(TableEntry.render("SELECT * FROM t WHERE dt = DATE'${dt}' OR dt = date_sub(DATE'${dt}', 1)",
                LocalDate.of(2024, 2, 29)))
                .isEqualTo("SELECT * FROM t WHERE dt = DATE'2024-02-29' OR dt = date_sub(DATE'2024-02-29', 1)");
    }

    @Test
    void rejectsAnUnknownParameter() {
        assertThatThrownBy(() -> TableEntry.render("SELECT ${hour}", LocalDate.of(2024, 1, 1)))
                .hasMessageContaining("${hour}");
    }

    @Test
    void everyDailyTableReadsItsDate() {
        tables.builtBySql().stream().filter(table -> table.isDaily()).forEach(table ->
                assertThat(table.select().orElseThrow()).as(table.sqlResource()).contains("${dt}"));
    }
}
