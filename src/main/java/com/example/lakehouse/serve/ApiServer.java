package com.example.lakehouse.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.lakehouse.config.LakehouseConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The query API and the live page, on the JDK's HTTP server: the lineage publisher's endpoints
 * ({@code /realtime-total}, {@code /realtime-hour}, {@code /trademark-sum}, {@code /stats-by-item}) plus
 * {@code /daily} for the page's last days, all read through Trino by {@link LiveFigures}; the page at
 * {@code /}, the chart library it draws with, and the OpenAPI description at {@code /openapi.yaml}.
 * A bad parameter gets 400 and Trino failing to answer 503, each with {@code {"error": "..."}}. Answers come
 * through {@link RefreshingAnswers}, so viewers do not load Trino. For the people who run it, {@code /health}
 * and {@code /metrics} ({@link PipelineHealth}).
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DAYS = 366;
    private static final int MAX_TOP = 100;

    /** A request the API refuses, with the one line that says why. */
    private static final class BadParameter extends RuntimeException {
        BadParameter(String message) {
            super(message);
        }
    }

    private interface Endpoint {
        Object answer(Map<String, String> parameters) throws SQLException;
    }

    private final LiveFigures figures;
    private final HttpServer server;
    private final RefreshingAnswers answers;
    private final PipelineHealth health;
    /** "Bearer <serve.token>", the Authorization header the figures need; none without a token. */
    private final Optional<byte[]> authorization;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);

    private ApiServer(LakehouseConfig config, HttpServer server) {
        this.figures = new LiveFigures(config);
        this.authorization = config.serve().token().map(token -> ("Bearer " + token).getBytes(StandardCharsets.UTF_8));
        this.server = server;
        this.answers = new RefreshingAnswers(config.serve().refreshInterval());
        this.health = new PipelineHealth(config, figures, answers);
    }

    /**
     * Starts serving the figures of {@code config}'s tables on 127.0.0.1 or all interfaces ({@code host}) at
     * {@code port}; 0 picks a free port. Each answer is computed at most once per serve.refresh-millis, whatever
     * the number of viewers.
     */
    public static ApiServer start(LakehouseConfig config, String host, int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        ApiServer api = new ApiServer(config, server);
        LiveFigures figures = api.figures;
        api.route("/realtime-total", parameters -> {
            LocalDate date = api.date(parameters, "date");
            return api.answers.get("total " + date, () -> figures.total(date));
        });
        api.route("/realtime-hour", parameters -> {
            LiveFigures.HourlyFigure figure = choice(parameters, "id", LiveFigures.HourlyFigure.class);
            LocalDate date = api.date(parameters, "date");
            return api.answers.get("hour " + figure + " " + date, () -> figures.byHour(figure, date));
        });
        api.route("/trademark-sum", parameters -> {
            LocalDate start = requiredDate(parameters, "start_date");
            LocalDate end = requiredDate(parameters, "end_date");
            if (end.isBefore(start)) {
                throw new BadParameter("end_date " + end + " is before start_date " + start);
            }
            int top = number(parameters, "topN", 5, MAX_TOP);
            return api.answers.get("trademarks " + start + " " + end + " " + top, () -> figures.trademarks(start, end, top));
        });
        api.route("/stats-by-item", parameters -> {
            LocalDate date = api.date(parameters, "date");
            LiveFigures.Item item = choice(parameters, "item", LiveFigures.Item.class);
            return api.answers.get("item " + item + " " + date, () -> figures.byItem(date, item));
        });
        api.route("/daily", parameters -> {
            LocalDate date = api.date(parameters, "date");
            int days = number(parameters, "days", 30, MAX_DAYS);
            return api.answers.get("daily " + date + " " + days, () -> figures.daily(date, days));
        });
        api.operations();
        api.resource("/", "web/live.html", "text/html; charset=utf-8");
        api.resource("/openapi.yaml", "web/openapi.yaml", "application/yaml; charset=utf-8");
        api.resource("/echarts.min.js", echartsResource(), "text/javascript; charset=utf-8");
        server.setExecutor(api.threads);
        server.start();
        return api;
    }

    public URI uri() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort() + "/");
    }

    /** How many Trino queries the API has run since it started. */
    public long queriesRun() {
        return answers.queriesRun();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        answers.close();
    }

    private void route(String path, Endpoint endpoint) {
        server.createContext(path, exchange -> {
            try (exchange) {
                if (!exactPath(exchange, path) || !authorized(exchange)) {
                    return;
                }
                try {
                    respond(exchange, 200, endpoint.answer(parameters(exchange.getRequestURI())));
                } catch (BadParameter e) {
                    respond(exchange, 400, Map.of("error", e.getMessage()));
                } catch (SQLException e) {
                    LOG.warn("{} failed: {}", exchange.getRequestURI(), e.getMessage());
                    respond(exchange, 503, Map.of("error", figures.describe(e)));
                }
            } catch (RuntimeException e) {
                LOG.error("{} failed", exchange.getRequestURI(), e);
                throw e;
            }
        });
    }

    /** /health: 200, or 503 naming what is wrong; /metrics: Prometheus' text format. */
    private void operations() {
        server.createContext("/health", exchange -> {
            try (exchange) {
                if (exactPath(exchange, "/health")) {
                    PipelineHealth.Report report = health.report();
                    respond(exchange, report.healthy() ? 200 : 503, report);
                }
            }
        });
        server.createContext("/metrics", exchange -> {
            try (exchange) {
                if (exactPath(exchange, "/metrics") && authorized(exchange)) {
                    byte[] body = health.metrics();
                    exchange.getResponseHeaders().set("Content-Type", health.metricsContentType());
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
            }
        });
    }

    private void resource(String path, String resource, String contentType) {
        server.createContext(path, exchange -> {
            try (exchange; InputStream in = ApiServer.class.getClassLoader().getResourceAsStream(resource)) {
                if (!exactPath(exchange, path)) {
                    return;
                }
                if (in == null) {
                    throw new IllegalStateException("the jar lacks " + resource);
                }
                byte[] body = in.readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", contentType);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
    }

    /**
     * True without a token, or when the request carries it; else answers 401. Compared in constant time, so the
     * answer's timing does not tell how much of a guess was right.
     */
    private boolean authorized(HttpExchange exchange) throws IOException {
        if (authorization.isEmpty()) {
            return true;
        }
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        if (given != null && MessageDigest.isEqual(authorization.get(), given.getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        respond(exchange, 401, Map.of("error", "this API needs its bearer token: Authorization: Bearer <serve.token>"
                + " (open the page as /?token=<serve.token>)"));
        return false;
    }

    /** Answers 404 or 405 for what the context's prefix match lets through, and tells whether to go on. */
    private static boolean exactPath(HttpExchange exchange, String path) throws IOException {
        if (!exchange.getRequestURI().getPath().equals(path)) {
            respond(exchange, 404, Map.of("error", "no such page: " + exchange.getRequestURI().getPath()
                    + " (see /openapi.yaml)"));
            return false;
        }
        if (!exchange.getRequestMethod().equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            respond(exchange, 405, Map.of("error", exchange.getRequestMethod() + " is not supported; use GET"));
            return false;
        }
        return true;
    }

    private static void respond(HttpExchange exchange, int status, Object value) throws IOException {
        byte[] body = JSON.writeValueAsBytes(value);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        // the lineage's dashboards called the publisher from pages of their own
        exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> parameters(URI uri) {
        Map<String, String> parameters = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    parameters.put(decode(pair.substring(0, equals)), decode(pair.substring(equals + 1)));
                }
            }
        }
        return parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadParameter("the query string is not URL-encoded: " + text);
        }
    }

    /** An optional date, today (in the configured zone) when absent. */
    private LocalDate date(Map<String, String> parameters, String name) {
        return parameters.containsKey(name) ? requiredDate(parameters, name) : figures.today();
    }

    private static LocalDate requiredDate(Map<String, String> parameters, String name) {
        String text = required(parameters, name);
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadParameter(name + " must be a date as yyyy-MM-dd, got '" + text + "'");
        }
    }

    private static int number(Map<String, String> parameters, String name, int fallback, int max) {
        String text = parameters.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw new BadParameter(name + " must be a whole number from 1 to " + max + ", got '" + text + "'");
    }

    private static <E extends Enum<E>> E choice(Map<String, String> parameters, String name, Class<E> choices) {
        String text = required(parameters, name);
        try {
            return Enum.valueOf(choices, text);
        } catch (IllegalArgumentException e) {
            throw new BadParameter(name + " must be one of " + Arrays.toString(choices.getEnumConstants()) + ", got '" + text + "'");
        }
    }

    private static String required(Map<String, String> parameters, String name) {
        String text = parameters.get(name);
        if (text == null || text.isBlank()) {
            throw new BadParameter(name + " is missing");
        }
        return text;
    }

    /** ECharts as its npm package publishes it, from the WebJar the build takes from Maven Central. */
    private static String echartsResource() {
        String pom = "META-INF/maven/org.webjars.npm/echarts/pom.properties";
        try (InputStream in = ApiServer.class.getClassLoader().getResourceAsStream(pom)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + pom + " (org.webjars.npm:echarts)");
            }
            Properties properties = new Properties();
            properties.load(in);
            return "META-INF/resources/webjars/echarts/" + properties.getProperty("version") + "/dist/echarts.min.js";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
