package com.example.lakehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Bad arguments end with exit code 2 before any Spark session or server is started. */
class LakehouseCliTest {
    @Test
    void refusesAVacuumRetentionBelowSevenDays() {
        assertThat(LakehouseCli.execute("maintain", "all", "--retain-hours", "1")).isEqualTo(2);
    }

    @Test
    void refusesAnUnknownTableAndAnUnknownJob() {
        assertThat(LakehouseCli.execute("run", "no_such_table", "--date", "2024-03-01")).isEqualTo(2);
        assertThat(LakehouseCli.execute("stop", "no_such_job")).isEqualTo(2);
        assertThat(LakehouseCli.execute("run", "all", "--date", "2024-13-01")).isEqualTo(2);
    }
}
