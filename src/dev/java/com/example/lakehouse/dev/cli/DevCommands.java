package com.example.lakehouse.dev.cli;

import java.util.List;

import com.example.lakehouse.cli.ExtraCommands;

/** The developer tooling's commands: the demo, the data generators and the benchmarks. */
public final class DevCommands implements ExtraCommands {
    @Override
    public List<Object> commands() {
        return List.of(new DemoCommand(), new GenerateCommand(), new BenchCommand());
    }
}
