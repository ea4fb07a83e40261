package com.example.lakehouse.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.Tables;

/** What a table's builds come to: the newest day built, and the days whose latest build failed a check. */
class TableBuildsTest {
    private static final Tables tables = Tables.load();
    private static final TableDef DAILY = tables.adsDauDaily();
    private static final TableDef SNAPSHOT = tables.byName("dim_user_info");
    private static final LocalDate DAY = LocalDate.of(2026, 12, 2);
    private static final Instant NOW = Instant.parse("2026-12-03T01:00:00Z");

    /** Day {@code dt} of the daily table built and checked, after {@code before} (null: its first build). */
    private static TableBuilds after(TableBuilds before, LocalDate dt, Optional<String> error, List<String> warnings) {
        return TableBuilds.after(Optional.ofNullable(before), DAILY, dt, error, warnings, NOW, 30);
    }

    @Test
    void restatingAnEarlierDayKeepsTheNewestDayBuilt() {
        TableBuilds built = after(null, DAY, Optional.empty(), List.of());
        TableBuilds restated = after(built, DAY.minusDays(3), Optional.empty(), List.of());

        assertThat(built.lastDayBuilt()).isEqualTo("2026-12-02");
        assertThat(restated.lastDayBuilt()).isEqualTo("2026-12-02");
        assertThat(restated.builtAtMillis()).isEqualTo(NOW.toEpochMilli());
        assertThat(restated.errors()).isEmpty();
        assertThat(restated.warnings()).isEmpty();
    }

    @Test
    void aFailedCheckStaysUntilItsDayIsBuiltAgainWithoutIt() {
        TableBuilds warned = after(null, DAY.minusDays(1), Optional.empty(), List.of("warning: orders without lines"));
        TableBuilds failed = after(warned, DAY, Optional.of("ads_dau_daily dt=2026-12-02: check x failed"), List.of());

        assertThat(failed.warnings()).isEqualTo(Map.of("2026-12-01", List.of("warning: orders without lines")));
        assertThat(failed.errors()).isEqualTo(Map.of("2026-12-02", "ads_dau_daily dt=2026-12-02: check x failed"));

        TableBuilds fixed = after(after(failed, DAY, Optional.empty(), List.of()), DAY.minusDays(1), Optional.empty(), List.of());
        assertThat(fixed.errors()).isEmpty();
        assertThat(fixed.warnings()).isEmpty();
    }

    @Test
    void failuresOlderThanTheHorizonAreDropped() {
        TableBuilds warned = after(null, DAY.minusDays(31), Optional.empty(), List.of("warning: w"));
        TableBuilds stillKept = after(warned, DAY.minusDays(1), Optional.empty(), List.of());
        TableBuilds dropped = after(stillKept, DAY, Optional.empty(), List.of());

        assertThat(stillKept.warnings()).containsOnlyKeys("2026-11-01");
        assertThat(dropped.warnings()).isEmpty();
    }

    @Test
    void aSnapshotTableHasNoDayButItsChecksCount() {
        TableBuilds snapshot = TableBuilds.after(Optional.empty(), SNAPSHOT, DAY, Optional.of("dim_user_info: check key_is_unique failed"),
                List.of(), NOW, 30);

        assertThat(snapshot.lastDayBuilt()).isNull();
        assertThat(snapshot.errors()).containsOnlyKeys(TableBuilds.SNAPSHOT);
    }

    @Test
    void aBuildIsKeptBesideTheTablesAndReadBack(@TempDir Path dir) {
        LakehouseConfig config = LakehouseConfig.defaultConfig().toBuilder().tableRoot(dir.resolve("tables")).build();
        assertThat(TableBuilds.read(config, DAILY)).isEmpty();

        TableBuilds.record(config, DAILY, DAY, Optional.empty(), List.of("warning: w"));
        TableBuilds.record(config, DAILY, DAY.minusDays(1), Optional.empty(), List.of());

        TableBuilds kept = TableBuilds.read(config, DAILY).orElseThrow();
        assertThat(kept.table()).isEqualTo("ads_dau_daily");
        assertThat(kept.lastDayBuilt()).isEqualTo("2026-12-02");
        assertThat(kept.warnings()).isEqualTo(Map.of("2026-12-02", List.of("warning: w")));
        assertThat(dir.resolve("tables/_builds/ads_dau_daily.json")).isRegularFile();
    }
}
