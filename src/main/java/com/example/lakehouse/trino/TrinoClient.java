package com.example.lakehouse.trino;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.config.TrinoSettings;
import com.example.lakehouse.table.Tables;

/**
 * Connections to Trino through trino-jdbc, in the lakehouse catalog and schema and the configured time zone;
 * over HTTPS, with a password, when trino.https and trino.password say so. The password goes in the
 * connection's properties, never in the URL, which error messages show.
 */
public final class TrinoClient {
    private TrinoClient() {
    }

    public static String url(LakehouseConfig config) {
        return "jdbc:trino://" + config.trino().host() + ":" + config.trino().port() + "/" + config.trino().catalog() + "/"
                + Tables.DATABASE;
    }

    public static Connection connect(LakehouseConfig config) throws SQLException {
        TrinoSettings trino = config.trino();
        Properties properties = new Properties();
        properties.setProperty("user", trino.user());
        // timestamps shown in the zone the tables' dt and hours are computed in
        properties.setProperty("timezone", config.timeZone().getId());
        if (trino.https()) {
            properties.setProperty("SSL", "true");
            properties.setProperty("SSLVerification", trino.sslVerification().name());
            trino.trustStore().ifPresent(path -> properties.setProperty("SSLTrustStorePath", path.toString()));
            trino.trustStorePassword().ifPresent(password -> properties.setProperty("SSLTrustStorePassword", password));
        }
        trino.password().ifPresent(password -> properties.setProperty("password", password));
        return DriverManager.getConnection(url(config), properties);
    }
}
