package com.example.lakehouse.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.serve.ApiServer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** `lakehouse serve`: the query API and the live page, until stopped (Ctrl-C or SIGTERM). */
@Command(name = "serve", description = "Serve the query API (read through Trino) and the live page until stopped.")
final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    LakehouseCli cli;

    @Option(names = "--port", description = "port (default: the configured serve.port)")
    Integer port;

    @Override
    public Integer call() throws InterruptedException {
        LakehouseConfig config = cli.config();
        ApiServer server = ApiServer.start(config, cli.tables(), config.serve().host(), port != null ? port : config.serve().port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "serve-shutdown"));
        System.out.println("serving the live page at " + server.uri() + " and the API it reads (" + server.uri()
                + "openapi.yaml), through Trino at " + config.trino().host() + ":" + config.trino().port() + "; Ctrl-C stops");
        stopped.await();
        return 0;
    }
}
