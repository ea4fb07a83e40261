package com.example.lakehouse.cli;

import java.util.List;

/**
 * Commands that come with the developer tooling (demo, generate, bench) when it is on the classpath, as it
 * is for bin/lakehouse and the tests. Found with {@link java.util.ServiceLoader}, so the production and
 * cluster jars, which leave the tooling out, run without them.
 */
public interface ExtraCommands {
    /** picocli command objects, each added under its own @Command name. */
    List<Object> commands();
}
