package com.example.lakehouse.dev.cli;

import java.util.ArrayList;
import java.util.List;

import com.example.lakehouse.cli.ExtraCommands;
import com.example.lakehouse.dev.stack.LocalStack;

/** The developer tooling's commands: the demo, the data generators, the benchmarks and the local servers. */
public final class DevCommands implements ExtraCommands {
    @Override
    public List<Object> commands() {
        List<Object> commands = new ArrayList<>(List.of(new DemoCommand(), new GenerateCommand(), new BenchCommand()));
        LocalStack.SERVERS.forEach(server -> commands.add(ServerCommand.commandLine(server)));
        return commands;
    }

    @Override
    public List<String> localServers() {
        return LocalStack.SERVERS.stream().map(LocalStack.Server::name).toList();
    }
}
