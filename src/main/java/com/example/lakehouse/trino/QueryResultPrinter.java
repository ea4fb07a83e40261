package com.example.lakehouse.trino;

import java.security.cert.CertPathBuilderException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import com.example.lakehouse.config.ConfigKeys;
import com.example.lakehouse.config.LakehouseConfig;

/** Query results as text for people (an aligned table) or for tools (CSV), and errors in one line. */
public final class QueryResultPrinter {
    private static final CsvMapper CSV = new CsvMapper();
    private static final String NULL = "NULL";

    private QueryResultPrinter() {
    }

    /** Columns padded to their widest value, a rule under the header, and the row count. */
    public static String table(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        rows.forEach(row -> all.add(row.stream().map(value -> value == null ? NULL : value).toList()));
        for (List<String> row : all) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < all.size(); r++) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < widths.length; i++) {
                cells.add(String.format("%-" + widths[i] + "s", all.get(r).get(i)));
            }
            text.append(String.join(" | ", cells).stripTrailing()).append('\n');
            if (r == 0) {
                List<String> rule = new ArrayList<>();
                for (int width : widths) {
                    rule.add("-".repeat(width));
                }
                text.append(String.join("-+-", rule)).append('\n');
            }
        }
        return text.append('(').append(rows.size()).append(rows.size() == 1 ? " row)" : " rows)").append('\n').toString();
    }

    /** RFC 4180 CSV with a header row; NULL is an empty field. */
    public static String csv(List<String> header, List<List<String>> rows) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        header.forEach(schema::addColumn);
        try {
            return CSV.writer(schema.build()).writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write CSV", e);
        }
    }

    /**
     * Trino's own message for a failed query; a clear word when Trino cannot be reached at all, refuses the
     * password, or serves a certificate the client does not trust, naming the keys to look at. Never a secret:
     * trino-jdbc's messages hold no password, and the URL carries none.
     */
    public static String describe(SQLException error, LakehouseConfig config) {
        String message = error.getMessage() == null ? error.toString() : error.getMessage();
        String url = TrinoClient.url(config);
        if (message.startsWith("Authentication failed")) {
            String keys = ConfigKeys.TRINO_PASSWORD + " or " + ConfigKeys.TRINO_PASSWORD_FILE;
            return (config.trino().password().isPresent() ? "Trino refused the password of user '" + config.trino().user() + "' (" + keys + ")"
                    : "Trino asks for a password of user '" + config.trino().user() + "': set " + keys) + ": " + message;
        }
        Optional<SSLException> tls = cause(error, SSLException.class);
        if (tls.isPresent() && cause(error, CertPathBuilderException.class).isPresent()) {
            return "Trino's certificate is not trusted at " + url + ": set " + ConfigKeys.TRINO_TRUSTSTORE
                    + " to its certificate or to its authority's (" + tls.get().getMessage() + ")";
        }
        if (tls.isPresent()) {
            return "HTTPS to Trino at " + url + " failed: check " + ConfigKeys.TRINO_HTTPS + ", " + ConfigKeys.TRINO_TRUSTSTORE
                    + " and " + ConfigKeys.TRINO_SSL_VERIFICATION + " (" + tls.get().getMessage() + ")";
        }
        if (message.startsWith("Error executing query") && error.getCause() != null) {
            return "cannot reach Trino at " + url + " (" + error.getCause().getMessage()
                    + "); start it with 'bin/lakehouse trino start'";
        }
        return message.replaceFirst("^Query failed \\([^)]*\\): ", "query failed: ");
    }

    private static <T extends Throwable> Optional<T> cause(Throwable error, Class<T> kind) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (kind.isInstance(cause)) {
                return Optional.of(kind.cast(cause));
            }
        }
        return Optional.empty();
    }
}
