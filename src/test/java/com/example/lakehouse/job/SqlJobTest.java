package com.example.lakehouse.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import com.example.lakehouse.table.Tables;

class SqlJobTest {
    @Test
    void substitutesTheDate() {
        assertThat(SqlJob.render("SELECT * FROM t WHERE dt = DATE'${dt}' OR dt = date_sub(DATE'${dt}', 1)",
                LocalDate.of(2024, 2, 29)))
                .isEqualTo("SELECT * FROM t WHERE dt = DATE'2024-02-29' OR dt = date_sub(DATE'2024-02-29', 1)");
    }

    @Test
    void rejectsAnUnknownParameter() {
        assertThatThrownBy(() -> SqlJob.render("SELECT ${hour}", LocalDate.of(2024, 1, 1)))
                .hasMessageContaining("${hour}");
    }

    @Test
    void everyDerivedTableHasItsSqlFileAndEveryDailyOneReadsItsDate() {
        Tables.builtBySql().forEach(table -> {
            String sql = SqlJob.loadSql(table);
            assertThat(sql).as(table.sqlResource()).startsWith("-- " + table.name() + ":");
            if (table.isDaily()) {
                assertThat(sql).as(table.sqlResource()).contains("${dt}");
            }
        });
    }
}
