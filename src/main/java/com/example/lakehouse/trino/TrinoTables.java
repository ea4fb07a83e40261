package com.example.lakehouse.trino;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.s3.S3Clients;
import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.Tables;

/**
 * Registers the Delta tables Spark wrote in Trino's metastore (the delta_lake connector's
 * register_table procedure), so {@code SELECT * FROM lakehouse.dau.ads_dau_daily} works. Trino then
 * reads the Delta log itself: no copy, and every later write by Spark is visible at once.
 */
public final class TrinoTables {
    private static final Logger LOG = LoggerFactory.getLogger(TrinoTables.class);

    private TrinoTables() {
    }

    /** Registers each of {@code tables} that exists on disk and is not registered yet; returns how many. */
    public static int registerAll(LakehouseConfig config, Tables tables) {
        String schema = config.trino().catalog() + "." + Tables.DATABASE;
        try (Connection connection = TrinoClient.connect(config); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            Set<String> registered = new HashSet<>();
            try (ResultSet shown = statement.executeQuery("SHOW TABLES FROM " + schema)) {
                while (shown.next()) {
                    registered.add(shown.getString(1));
                }
            }
            int added = 0;
            // CALL takes no JDBC parameters; the values are our own table names and locations, quoted
            for (TableDef table : tables.all()) {
                String location = table.location(config.storage().tableRoot());
                if (!registered.contains(table.name()) && hasDeltaLog(config, location)) {
                    statement.execute("CALL " + config.trino().catalog() + ".system.register_table(schema_name => '"
                            + Tables.DATABASE + "', table_name => '" + table.name() + "', table_location => '"
                            + location.replace("'", "''") + "')");
                    added++;
                }
            }
            LOG.info("{} tables registered in Trino ({} new)", registered.size() + added, added);
            return added;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot register the tables in Trino: " + e.getMessage(), e);
        }
    }

    /** Spark creates every table on its first session; a table root nobody ran a job on has none yet. */
    private static boolean hasDeltaLog(LakehouseConfig config, String location) {
        if (location.startsWith("file:")) {
            return Files.isDirectory(Path.of(URI.create(location)).resolve("_delta_log"));
        }
        if (location.startsWith("s3a:")) {
            return S3Clients.hasObjectsUnder(config, location + "/_delta_log");
        }
        return true; // another store: Trino says so if the table is missing
    }
}
