package com.example.lakehouse.dev.bench;

import java.lang.management.ManagementFactory;

/**
 * The class data sharing archive `bin/lakehouse` gives the JVMs it starts once the first `demo` or `run` after a
 * build has written it: a benchmark timing a JVM's start measures it as users have it only when it is in use.
 */
final class ClassArchive {
    private ClassArchive() {
    }

    /** Whether this JVM (and so the JVMs it starts) maps the archive. */
    static boolean inUse() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(option -> option.startsWith("-XX:SharedArchiveFile"));
    }

    /** Prints a note saying {@code consequence} when this JVM (and so the JVMs it starts) runs without the archive. */
    static void noteIfNotInUse(String consequence) {
        if (!inUse()) {
            System.out.println("note: no class data sharing archive in use (none yet, or older than the build): "
                    + consequence + "; run `bin/lakehouse demo` once first to time them as users have them");
        }
    }
}
