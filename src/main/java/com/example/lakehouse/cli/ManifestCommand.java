package com.example.lakehouse.cli;

import java.util.concurrent.Callable;

import com.example.lakehouse.table.TableManifest;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "manifest", description = "Print every table with the tables it reads, its pipeline and checks, as JSON"
        + " (for tools outside the JVM; the build also writes it to target/lakehouse-manifest.json).")
final class ManifestCommand implements Callable<Integer> {
    @ParentCommand
    LakehouseCli cli;

    @Override
    public Integer call() {
        System.out.print(TableManifest.json(cli.tables()));
        return 0;
    }
}
