package com.example.lakehouse.cli;

import java.time.Duration;
import java.util.List;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.generate.OrderGenerator;
import com.example.lakehouse.kafka.KafkaTopics;
import com.example.lakehouse.stack.LocalMaxwell;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/** Maxwell on the local MariaDB, producing the source database's changes to the maxwell topic. */
@Command(name = "maxwell", description = "Start, stop or check Maxwell (binlog -> Kafka) on the local MariaDB, or bootstrap tables.")
final class MaxwellCommand {
    @ParentCommand
    LakehouseCli cli;

    @Command(name = "start", description = "Start Maxwell in the background (resolves it from Maven Central the first time).")
    int start() {
        LakehouseConfig config = cli.config();
        MariaDbCommand.requireLocal(config);
        KafkaTopics.ensure(config.kafka().bootstrapServers(), config.kafka().maxwellTopic(), 3);
        LocalMaxwell maxwell = maxwell();
        maxwell.start(config.sourceDb().port(), config.sourceDb().database(), config.kafka().bootstrapServers(), config.kafka().maxwellTopic());
        System.out.println("maxwell running (pid " + maxwell.running().orElseThrow().pid() + ", log " + maxwell.logFile() + ")");
        return 0;
    }

    @Command(name = "bootstrap", description = "Send every existing row of the tables as bootstrap-insert; waits until done.")
    int bootstrap(@Parameters(paramLabel = "TABLE", arity = "0..*",
            description = "source tables (default: the catalogue and users)") List<String> tables) {
        LakehouseConfig config = cli.config();
        List<String> chosen = tables == null || tables.isEmpty() ? OrderGenerator.CATALOGUE_TABLES : tables;
        maxwell().bootstrap(config.sourceDb().port(), config.sourceDb().database(), chosen, Duration.ofMinutes(10));
        System.out.println("bootstrapped " + String.join(", ", chosen));
        return 0;
    }

    @Command(name = "stop", description = "Stop Maxwell; it resumes from its stored binlog position when started again.")
    int stop() {
        return JobControlCommands.stop(maxwell());
    }

    @Command(name = "status", description = "Exit 0 if Maxwell runs, 3 if not.")
    int status() {
        return JobControlCommands.report(maxwell());
    }

    private LocalMaxwell maxwell() {
        return new LocalMaxwell(cli.config().storage().runDir());
    }
}
