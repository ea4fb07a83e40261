package com.example.lakehouse.cli;

import com.example.lakehouse.stack.LocalServer;
import com.example.lakehouse.stack.LocalStack;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * `lakehouse <server> start|stop|status`, one shape for every local server of {@link LocalStack#SERVERS};
 * the server runs in the background with its pid, data and log under lakehouse.run-dir.
 */
@Command
final class ServerCommand {
    @ParentCommand
    LakehouseCli cli;

    private final LocalStack.Server server;

    ServerCommand(LocalStack.Server server) {
        this.server = server;
    }

    @Command(name = "start", description = "Start it in the background and wait until it serves.")
    int start() {
        LocalServer local = local();
        String address = local.start(cli.config());
        ProcessHandle process = local.running().orElseThrow(() -> new IllegalStateException(server.name()
                + " exited right after it started; see " + local.logFile()));
        System.out.println(server.name() + " running on " + address + " (pid " + process.pid() + ", log " + local.logFile() + ")");
        return 0;
    }

    @Command(name = "stop", description = "Stop it (SIGTERM, then kill after 30 s); its data stays under the run directory.")
    int stop() {
        JobControlCommands.printStopped(server.name(), local().stop());
        return 0;
    }

    @Command(name = "status", description = "Exit 0 if it runs, 3 if not.")
    int status() {
        return JobControlCommands.report(server.name(), local().running());
    }

    LocalServer local() {
        return server.at().apply(cli.config().storage().runDir());
    }
}
