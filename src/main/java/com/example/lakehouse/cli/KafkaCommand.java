package com.example.lakehouse.cli;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.stack.LocalKafkaBroker;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** The local single-node broker, on the port of kafka.bootstrap.servers. */
@Command(name = "kafka", description = "Start, stop or check the local Kafka broker (KRaft, 127.0.0.1).")
final class KafkaCommand {
    @ParentCommand
    LakehouseCli cli;

    @Command(name = "start", description = "Start the broker in the background.")
    int start() {
        String bootstrap = cli.config().kafka().bootstrapServers();
        if (!bootstrap.matches("(127\\.0\\.0\\.1|localhost):\\d+")) {
            throw new ConfigException("kafka start runs a local broker, but kafka.bootstrap.servers is '"
                    + bootstrap + "' (expected 127.0.0.1:PORT)");
        }
        LocalKafkaBroker broker = broker();
        broker.start(Integer.parseInt(bootstrap.substring(bootstrap.indexOf(':') + 1)));
        System.out.println("kafka running on " + bootstrap + " (pid " + broker.running().orElseThrow().pid()
                + ", log " + broker.logFile() + ")");
        return 0;
    }

    @Command(name = "stop", description = "Stop the broker (controlled shutdown, then kill after 30 s).")
    int stop() {
        return JobControlCommands.stop(broker());
    }

    @Command(name = "status", description = "Exit 0 if the broker runs, 3 if not.")
    int status() {
        return JobControlCommands.report(broker());
    }

    private LocalKafkaBroker broker() {
        return new LocalKafkaBroker(cli.config().storage().runDir());
    }
}
