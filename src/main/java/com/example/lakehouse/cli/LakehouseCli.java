package com.example.lakehouse.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ServiceLoader;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.stack.LocalMaxwell;
import com.example.lakehouse.stack.LocalStack;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/** `bin/lakehouse <command>`: the one entry point for people, Airflow and spark-submit. */
// help and version are inherited, so `lakehouse trino start --help` works on every subcommand
@Command(name = "lakehouse", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "dau-lakehouse 0.1.0",
        description = "DAU and e-commerce lakehouse: Kafka -> Delta (idempotent MERGE) -> SQL jobs.",
        subcommands = {QueryCommand.class, RegisterTablesCommand.class, IngestCommand.class,
                RunCommand.class, MaintainCommand.class, DashboardCommand.class, JobControlCommands.Start.class, JobControlCommands.Stop.class,
                JobControlCommands.Status.class, ServeCommand.class, ManifestCommand.class})
public final class LakehouseCli {
    @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:LAKEHOUSE_CONFIG}",
            description = "properties file over the built-in defaults (default: $LAKEHOUSE_CONFIG)")
    Path configFile;

    private LakehouseConfig config;

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

    /**
     * Every command: those declared above, `<server> start|stop|status` for each local server, and the
     * developer tooling's commands where it is on the classpath.
     */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new LakehouseCli());
        ServiceLoader.load(ExtraCommands.class).forEach(extra -> extra.commands().forEach(cli::addSubcommand));
        for (LocalStack.Server server : LocalStack.SERVERS) {
            CommandLine command = new CommandLine(new ServerCommand(server));
            command.getCommandSpec().usageMessage().description("Start, stop or check " + server.description() + ".");
            if (server.name().equals(LocalMaxwell.NAME)) {
                command.addSubcommand(new ServerExtras.MaxwellBootstrap());
            }
            cli.addSubcommand(server.name(), command);
        }
        return cli;
    }

    /** The configuration: defaults, then --config, then LAKEHOUSE_* variables. */
    public LakehouseConfig config() {
        if (config == null) {
            config = LakehouseConfig.load(configFile, System.getenv());
        }
        return config;
    }

    private static LocalDate parseDate(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a date of the form yyyy-MM-dd");
        }
    }
}
