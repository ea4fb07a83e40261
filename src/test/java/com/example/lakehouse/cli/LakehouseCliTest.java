package com.example.lakehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;


/** Bad arguments end with exit code 2 and one line naming the problem, before any Spark session or server starts. */
class LakehouseCliTest {
    @Test
    void refusesAVacuumRetentionBelowSevenDays() {
        CliRun run = CliRun.of("maintain", "all", "--retain-hours", "1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().startsWith("lakehouse: ").contains("168");
    }

    @Test
    void refusesAnUnknownTableAJobAndADate() {
        assertThat(CliRun.of("run", "no_such_table", "--date", "2024-03-01"))
                .satisfies(run -> assertThat(run.exitCode()).isEqualTo(2))
                .satisfies(run -> assertThat(run.err()).startsWith("lakehouse: ").contains("no_such_table"));
        assertThat(CliRun.of("run", "dwd_start_log", "ods_app_log", "--date", "2024-03-01"))
                .satisfies(run -> assertThat(run.exitCode()).isEqualTo(2))
                .satisfies(run -> assertThat(run.err()).startsWith("lakehouse: ods_app_log is written by streaming ingest"));
        assertThat(CliRun.of("stop", "no_such_job"))
                .satisfies(run -> assertThat(run.exitCode()).isEqualTo(2))
                .satisfies(run -> assertThat(run.err()).startsWith("lakehouse: ").contains("no_such_job"));
        assertThat(CliRun.of("run", "all", "--date", "2024-13-01"))
                .satisfies(run -> assertThat(run.exitCode()).isEqualTo(2))
                .satisfies(run -> assertThat(run.err()).contains("'2024-13-01' is not a date of the form yyyy-MM-dd"));
    }

    @Test
    void everyCommandAnswersHelp() {
        List<List<String>> commands = commandPaths(LakehouseCli.commandLine(), List.of()).toList();
        assertThat(commands).contains(List.of("trino", "start"), List.of("run"), List.of("register-tables"), List.of("bench", "cdc"));
        for (List<String> command : commands) {
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.exitCode()).as("%s --help", command).isZero();
            assertThat(run.out()).as("%s --help", command).startsWith("Usage: lakehouse " + String.join(" ", command));
        }
    }

    private static Stream<List<String>> commandPaths(picocli.CommandLine command, List<String> path) {
        return command.getSubcommands().entrySet().stream().flatMap(sub -> {
            List<String> subPath = new ArrayList<>(path);
            subPath.add(sub.getKey());
            return Stream.concat(Stream.of(subPath), commandPaths(sub.getValue(), subPath));
        });
    }
}
