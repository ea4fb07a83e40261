package com.example.lakehouse.dev.cli;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.example.lakehouse.cli.LakehouseCli;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.demo.Demo;
import com.example.lakehouse.dev.generate.AppLogGenerator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** `lakehouse demo`: parses the generator options and runs {@link Demo}. */
@Command(name = "demo", description = "Run the pipeline end to end on local servers and generated data, then print DAU and GMV.")
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    LakehouseCli cli;

    @Mixin
    GenerateCommand.LogGenerationOptions generation;

    @Mixin
    GenerateCommand.OrderGenerationOptions orders;

    @Option(names = "--skip-orders", description = "run only the app-log (DAU) path")
    boolean skipOrders;

    @Override
    public Integer call() throws Exception {
        LakehouseConfig config = cli.config();
        AppLogGenerator.Settings logs = generation.settingsUntilNow(config.timeZone(), Instant.now());
        new Demo(config, cli.tables()).run(logs, skipOrders ? Optional.empty() : Optional.of(orders.settings(logs)));
        return 0;
    }
}
