package com.example.lakehouse.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * trino.*: the Trino that `query`, `serve` and the table registration read through; its catalog's delta_lake
 * connector reads the table root. {@code javaHome} is the JDK a local Trino runs on (Trino needs a newer Java
 * than Spark). A shared Trino usually asks for a password, which Trino takes only over HTTPS: {@code https}
 * then, with the server's certificate checked against {@code trustStore} (the JDK's own CAs when empty).
 */
public record TrinoSettings(String host, int port, String catalog, String user, Path javaHome,
                            Optional<String> password, boolean https, Optional<Path> trustStore,
                            Optional<String> trustStorePassword, SslVerification sslVerification) {
    /** How the server's certificate is checked, as trino-jdbc's SSLVerification names it. */
    public enum SslVerification {
        /** signed by a trusted authority and issued to trino.host */
        FULL,
        /** signed by a trusted authority, whatever host it names (a certificate issued to another name) */
        CA
    }

    static TrinoSettings from(ConfigValues values) {
        Optional<String> password = values.secret(ConfigKeys.TRINO_PASSWORD, ConfigKeys.TRINO_PASSWORD_FILE);
        boolean https = values.optionalBoolean(ConfigKeys.TRINO_HTTPS).orElse(false);
        if (password.isPresent() && !https) {
            // trino-jdbc refuses a password over plain HTTP, where anyone on the way could read it
            throw new ConfigException("config key '" + (values.optional(ConfigKeys.TRINO_PASSWORD).isPresent()
                    ? ConfigKeys.TRINO_PASSWORD : ConfigKeys.TRINO_PASSWORD_FILE) + "' needs '" + ConfigKeys.TRINO_HTTPS
                    + "=true': Trino takes a password only over HTTPS");
        }
        Optional<Path> trustStore = values.optionalFile(ConfigKeys.TRINO_TRUSTSTORE);
        if (trustStore.isPresent() && !https) {
            throw new ConfigException("config key '" + ConfigKeys.TRINO_TRUSTSTORE + "' is set but '" + ConfigKeys.TRINO_HTTPS
                    + "' is not true; a trust store serves HTTPS only");
        }
        Optional<String> trustStorePassword = values.optional(ConfigKeys.TRINO_TRUSTSTORE_PASSWORD);
        if (trustStorePassword.isPresent() && trustStore.isEmpty()) {
            throw new ConfigException("config key '" + ConfigKeys.TRINO_TRUSTSTORE_PASSWORD + "' is set without '"
                    + ConfigKeys.TRINO_TRUSTSTORE + "'");
        }
        return new TrinoSettings(values.required(ConfigKeys.TRINO_HOST), values.port(ConfigKeys.TRINO_PORT),
                values.required(ConfigKeys.TRINO_CATALOG), values.required(ConfigKeys.TRINO_USER),
                ProjectHome.resolve(values.required(ConfigKeys.TRINO_JAVA_HOME)), password, https, trustStore,
                trustStorePassword, sslVerification(values));
    }

    private static SslVerification sslVerification(ConfigValues values) {
        String value = values.optional(ConfigKeys.TRINO_SSL_VERIFICATION).orElse(SslVerification.FULL.name());
        try {
            return SslVerification.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config key '" + ConfigKeys.TRINO_SSL_VERIFICATION + "' must be FULL or CA, got '" + value + "'");
        }
    }

    @Override
    public String toString() { // a record would print the passwords
        return "TrinoSettings[host=" + host + ", port=" + port + ", catalog=" + catalog + ", user=" + user + ", javaHome="
                + javaHome + ", password=" + (password.isPresent() ? "(set)" : "(none)") + ", https=" + https + ", trustStore="
                + trustStore.map(Path::toString).orElse("(JDK default)") + ", trustStorePassword="
                + (trustStorePassword.isPresent() ? "(set)" : "(none)") + ", sslVerification=" + sslVerification + "]";
    }
}
