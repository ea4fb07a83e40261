package com.example.lakehouse.dev.cli;

import com.example.lakehouse.cli.JobControlCommands;
import com.example.lakehouse.cli.LakehouseCli;
import com.example.lakehouse.dev.stack.LocalMaxwell;
import com.example.lakehouse.dev.stack.LocalServer;
import com.example.lakehouse.dev.stack.LocalStack;

import picocli.CommandLine;
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

    private ServerCommand(LocalStack.Server server) {
        this.server = server;
    }

    /** `lakehouse <server>`: one class serves every server, so the command takes its name from the server, not @Command. */
    static CommandLine commandLine(LocalStack.Server server) {
        CommandLine command = new CommandLine(new ServerCommand(server));
        command.getCommandSpec().name(server.name())
                .usageMessage().description("Start, stop or check " + server.description() + ".");
        if (server.name().equals(LocalMaxwell.NAME)) {
            command.addSubcommand(new ServerExtras.MaxwellBootstrap());
        }
        return command;
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
