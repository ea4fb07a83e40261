package com.example.lakehouse.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.table.Tables;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/** `bin/lakehouse <command>`: the one entry point for people, Airflow and spark-submit. */
// help and version are inherited, so `lakehouse trino start --help` works on every subcommand
@Command(name = "lakehouse", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "dau-lakehouse 0.1.0",
        description = "DAU and e-commerce lakehouse: Kafka -> Delta (idempotent writes on natural keys) -> SQL jobs.",
        subcommands = {QueryCommand.class, RegisterTablesCommand.class, IngestCommand.class,
                RunCommand.class, MaintainCommand.class, DashboardCommand.class, JobControlCommands.Start.class, JobControlCommands.Stop.class,
                JobControlCommands.Status.class, ServeCommand.class, ManifestCommand.class})
public final class LakehouseCli {
    @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:LAKEHOUSE_CONFIG}",
            description = "properties file over the built-in defaults (default: $LAKEHOUSE_CONFIG)")
    Path configFile;

    private LakehouseConfig config;
    private Tables tables;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns the exit code: 0 ok, 2 for a usage or configuration error. */
    public static int execute(String... args) {
        CommandLine cli = commandLine();
        cli.registerConverter(LocalDate.class, LakehouseCli::parseDate);
        cli.setParameterExceptionHandler((error, ignored) -> {
            error.getCommandLine().getErr().println("lakehouse: " + error.getMessage()
                    + " (see '" + error.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        cli.setExecutionExceptionHandler((error, commandLine, parseResult) -> {
            if (error instanceof ConfigException) {
                commandLine.getErr().println("lakehouse: " + error.getMessage());
                return 2;
            }
            if (error instanceof IllegalStateException) { // a server or job that failed says why and where its log is
                commandLine.getErr().println("lakehouse: " + error.getMessage());
                return 1;
            }
            throw error;
        });
        return cli.execute(args);
    }

    /** Every command: those declared above, and the developer tooling's where it is on the classpath. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new LakehouseCli());
        ExtraCommands.onClasspath().forEach(extra -> extra.commands().forEach(cli::addSubcommand));
        return cli;
    }

    /** The configuration: defaults, then --config, then LAKEHOUSE_* variables. */
    public LakehouseConfig config() {
        if (config == null) {
            config = LakehouseConfig.load(configFile, System.getenv());
        }
        return config;
    }

    /**
     * The tables of the entries under sql/, read once, by the first command that needs them: a mistake in an entry
     * is then one line naming its file, as a configuration error is.
     */
    public Tables tables() {
        if (tables == null) {
            tables = Tables.load();
        }
        return tables;
    }

    private static LocalDate parseDate(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a date of the form yyyy-MM-dd");
        }
    }
}
