package com.example.lakehouse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.concurrent.Callable;

import com.example.lakehouse.serve.LiveFigures;
import com.example.lakehouse.serve.LivePageExport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Writes the live page for one day as a file that needs no server, its figures read through Trino as the API reads them. */
@Command(name = "dashboard", description = "Write the live page of a day as one self-contained HTML file (the figures of"
        + " `serve` at this moment, read through Trino), for embedding or mailing without a server.")
final class DashboardCommand implements Callable<Integer> {
    @ParentCommand
    LakehouseCli cli;

    @Option(names = "--date", description = "the day, yyyy-MM-dd (default: today in lakehouse.time-zone)")
    LocalDate date;

    @Option(names = "--out", defaultValue = "reports/dashboard.html", description = "output file (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws IOException {
        LiveFigures figures = new LiveFigures(cli.config(), cli.tables());
        LocalDate day = date != null ? date : figures.today();
        String page;
        try {
            page = LivePageExport.render(figures, day);
        } catch (SQLException e) {
            System.err.println("lakehouse: " + figures.describe(e));
            return 1;
        }
        Path target = out.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Files.writeString(target, page);
        System.out.println("the live page of " + day + " written to " + target);
        return 0;
    }
}
