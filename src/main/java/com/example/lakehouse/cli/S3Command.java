package com.example.lakehouse.cli;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.stack.LocalS3Server;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** The local S3-compatible server behind s3a:// table roots on one machine. */
@Command(name = "s3", description = "Start, stop or check a local S3-compatible server (S3Proxy) at s3.endpoint.")
final class S3Command {
    @ParentCommand
    LakehouseCli cli;

    @Command(name = "start", description = "Start the server in the background (downloads it from Maven Central the first time)"
            + " and create the buckets of the s3a:// table and checkpoint roots.")
    int start() {
        LakehouseConfig config = cli.config();
        LocalS3Server server = server();
        server.start(config);
        System.out.println("s3 (S3Proxy " + LocalS3Server.VERSION + ") running on " + config.s3().endpoint().orElseThrow()
                + ", buckets " + LocalS3Server.buckets(config) + " (pid " + server.running().orElseThrow().pid()
                + ", log " + server.logFile() + ")");
        return 0;
    }

    @Command(name = "stop", description = "Stop the server; its objects stay under the run directory.")
    int stop() {
        return JobControlCommands.stop(server());
    }

    @Command(name = "status", description = "Exit 0 if the server runs, 3 if not.")
    int status() {
        return JobControlCommands.report(server());
    }

    private LocalS3Server server() {
        return new LocalS3Server(cli.config().storage().runDir());
    }
}
