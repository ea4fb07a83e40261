package com.example.lakehouse.config;

/**
 * source.db.*: the business database Maxwell captures (MariaDB or MySQL). Changes of other databases stay
 * in ods_maxwell only.
 */
public record SourceDbSettings(String host, int port, String database, String user, String password) {
    static SourceDbSettings from(ConfigValues values) {
        return new SourceDbSettings(values.required(ConfigKeys.SOURCE_DB_HOST), values.port(ConfigKeys.SOURCE_DB_PORT),
                values.required(ConfigKeys.SOURCE_DB_DATABASE), values.required(ConfigKeys.SOURCE_DB_USER),
                values.optional(ConfigKeys.SOURCE_DB_PASSWORD).orElse(""));
    }

    public String jdbcUrl() {
        return "jdbc:mariadb://" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() { // a record would print the password
        return "SourceDbSettings[host=" + host + ", port=" + port + ", database=" + database + ", user=" + user
                + ", password=" + (password.isEmpty() ? "(none)" : "(set)") + "]";
    }
}
