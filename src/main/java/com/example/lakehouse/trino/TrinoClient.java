package com.example.lakehouse.trino;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.table.Tables;

/** Connections to Trino through trino-jdbc, in the lakehouse catalog and schema and the configured time zone. */
public final class TrinoClient {
    private TrinoClient() {
    }

    public static String url(LakehouseConfig config) {
        return "jdbc:trino://" + config.trino().host() + ":" + config.trino().port() + "/" + config.trino().catalog() + "/"
                + Tables.DATABASE;
    }

    public static Connection connect(LakehouseConfig config) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", config.trino().user());
        // timestamps shown in the zone the tables' dt and hours are computed in
        properties.setProperty("timezone", config.timeZone().getId());
        return DriverManager.getConnection(url(config), properties);
    }
}
