package com.example.lakehouse.config;

/** A configuration or command-line value that cannot be used; its message is shown to the user as is. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
