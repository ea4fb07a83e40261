package com.example.lakehouse.cli;

import java.util.List;
import java.util.ServiceLoader;

/**
 * Commands that come with the developer tooling (demo, generate, bench, and the local servers' start, stop
 * and status) when it is on the classpath, as it is for bin/lakehouse and the tests. Found with
 * {@link ServiceLoader}, so the production and cluster jars, which leave the tooling out, run without them.
 */
public interface ExtraCommands {
    /** The implementations on the classpath; none in the production and cluster jars. */
    static List<ExtraCommands> onClasspath() {
        return ServiceLoader.load(ExtraCommands.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    /**
     * picocli command objects, each added under its own @Command name, or CommandLines, each added under the
     * name of its spec (for commands made at run time, one per local server).
     */
    List<Object> commands();

    /** The local servers the tooling runs under lakehouse.run-dir, by name, for `status` to report. */
    List<String> localServers();
}
