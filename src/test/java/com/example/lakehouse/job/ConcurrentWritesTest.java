package com.example.lakehouse.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.Test;

import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.Tables;

class ConcurrentWritesTest {
    private static final Tables tables = Tables.load();
    /** d waits for b, e for d: b starts the longest chain, so it goes first, then d, then the rest. */
    private static final Map<String, List<String>> WAITS_FOR = Map.of(
            "a", List.of(), "b", List.of(), "c", List.of(), "d", List.of("b"), "e", List.of("d", "a"));

    @Test
    void startsTheLongestChainFirstAndNeverBeforeWhatItWaitsFor() {
        assertThat(ConcurrentWrites.longestChainFirst(List.of("a", "b", "c", "d", "e"), WAITS_FOR::get))
                .containsExactly("b", "a", "d", "c", "e");
    }

    @Test
    void buildsTheDauTablesThatOthersReadBeforeTheLeaves() {
        List<TableDef> order = ConcurrentWrites.longestChainFirst(tables.builtBySql(Tables.DAU), tables::upstream);
        for (TableDef table : order) {
            for (TableDef read : tables.upstream(table)) {
                if (order.contains(read)) {
                    assertThat(order.indexOf(read)).as(table.name() + " after " + read.name())
                            .isLessThan(order.indexOf(table));
                }
            }
        }
        // the ads tables read dws_dau_device_day, and nothing reads the dwd tables: it starts first
        assertThat(order.get(0).name()).isEqualTo("dws_dau_device_day");
    }

    @Test
    void writesEachTargetOnceAfterWhatItWaitsForAndRethrowsTheFirstFailure() {
        ConcurrentLinkedQueue<String> written = new ConcurrentLinkedQueue<>();
        ConcurrentWrites.run(List.of("a", "b", "c", "d", "e"), WAITS_FOR::get, written::add);
        List<String> order = List.copyOf(written);
        assertThat(order).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
        assertThat(order.indexOf("b")).isLessThan(order.indexOf("d"));
        assertThat(order.indexOf("d")).isLessThan(order.indexOf("e"));
        assertThat(order.indexOf("a")).isLessThan(order.indexOf("e"));

        IllegalStateException failure = new IllegalStateException("d failed");
        assertThatThrownBy(() -> ConcurrentWrites.run(List.of("a", "b", "c", "d", "e"), WAITS_FOR::get, target -> {
            if (target.equals("d")) {
                throw failure;
            }
        })).isSameAs(failure);
    }
}
