package jdk.nashorn.api.scripting;

/**
 * Stand-in for the Nashorn class that Maxwell 1.22 tests values against ({@code instanceof}) when
 * it writes JSON. Nashorn left the JDK in Java 15, so without this class every message fails with
 * NoClassDefFoundError on Java 17. No value is ever an instance of it, which is right: the project
 * runs Maxwell without JavaScript filters.
 */
public final class ScriptObjectMirror {
    private ScriptObjectMirror() {
    }
}
