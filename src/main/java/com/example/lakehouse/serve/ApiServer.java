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
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.s3.S3Clients;
import com.example.lakehouse.table.Tables;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The query API and the live page, on the JDK's HTTP server: the lineage publisher's endpoints
 * ({@code /realtime-total}, {@code /realtime-hour}, {@code /trademark-sum}, {@code /stats-by-item}) plus
 * {@code /daily} for the page's last days, all read through Trino by {@link LiveFigures}; the page at
 * {@code /}, the chart library it draws with, and the OpenAPI description at {@code /openapi.yaml}.
 * A bad, repeated or unknown parameter gets 400 and Trino failing to answer 503, each with {@code {"error": "..."}}; a
 * client that sends its request slowly is cut off ({@link #SLOW_CLIENT_BOUNDS}). Answers come
 * through {@link RefreshingAnswers}, so viewers do not load Trino. For the people who run it, {@code /health}
 * and {@code /metrics} ({@link PipelineHealth}).
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The live page, served at / and exported by {@link LivePageExport}. */
    static final String LIVE_PAGE = "web/live.html";
    private static final int MAX_DAYS = 366;
    private static final int MAX_TOP = 100;
    /** Dates asked for stay in four-digit years, where Trino's DATE literals and the day arithmetic here work. */
    private static final LocalDate EARLIEST_DATE = LocalDate.of(1970, 1, 1);
    private static final LocalDate LATEST_DATE = LocalDate.of(9999, 12, 31);
    /** ASCII digits only: Integer.parseInt also takes other scripts' digits and a sign. */
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");
    private static final Pattern CONTROL_CHARACTER = Pattern.compile("\\p{Cntrl}");
    /** How much of a value an error message repeats. */
    private static final int QUOTED_CHARS = 40;

    /**
     * Bounds on slow and idle clients, as system properties of the JDK's HTTP server. It reads a request's line and
     * headers on a thread of the pool (ServerImpl.Exchange), so without them a client that sends half a request holds
     * a thread for as long as it likes. The JDK reads them once, when the first HttpServer of the JVM is created
     * (ServerConfig's and ServerImpl's static initializers), so {@link #start} sets them before it creates its own;
     * a value given with -D is kept.
     */
    private static final Map<String, String> SLOW_CLIENT_BOUNDS = Map.of(
            // seconds from a request's first bytes to the end of its headers
            "sun.net.httpserver.maxReqTime", "10",
            // seconds from the end of the headers to the answer's last byte; an answer may wait for Trino first
            "sun.net.httpserver.maxRspTime", String.valueOf(RefreshingAnswers.TIMEOUT.plusSeconds(30).toSeconds()),
            // seconds a kept-alive connection may wait for its next request
            "sun.net.httpserver.idleInterval", "30",
            "sun.net.httpserver.maxReqHeaders", "100",
            // bytes of the request line and headers together; beyond, the JDK closes the connection without an answer
            "sun.net.httpserver.maxReqHeaderSize", String.valueOf(64 * 1024));

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

    private ApiServer(LakehouseConfig config, Tables tables, HttpServer server) {
        this.figures = new LiveFigures(config, tables);
        this.authorization = config.serve().token().map(token -> ("Bearer " + token).getBytes(StandardCharsets.UTF_8));
        this.server = server;
        Duration interval = config.serve().refreshInterval();
        this.answers = new RefreshingAnswers(interval, new TableVersions(config.storage().tableRoot(),
                S3Clients.hadoopConfiguration(config), RefreshingAnswers.probeInterval(interval))::of);
        this.health = new PipelineHealth(config, tables, figures, answers);
    }

    /**
     * Starts serving the figures of {@code config}'s {@code tables} on 127.0.0.1 or all interfaces ({@code host}) at
     * {@code port}; 0 picks a free port. Each answer is computed at most once per serve.refresh-millis, whatever
     * the number of viewers.
     */
    public static ApiServer start(LakehouseConfig config, Tables tables, String host, int port) {
        SLOW_CLIENT_BOUNDS.forEach((property, bound) -> {
            if (System.getProperty(property) == null) {
                System.setProperty(property, bound);
            }
        });
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        ApiServer api = new ApiServer(config, tables, server);
        LiveFigures figures = api.figures;
        api.route("/realtime-total", List.of("date"), parameters -> {
            LocalDate date = api.date(parameters, "date");
            return api.answers.get(figures.total(date));
        });
        api.route("/realtime-hour", List.of("id", "date"), parameters -> {
            LiveFigures.HourlyFigure figure = choice(parameters, "id", LiveFigures.HourlyFigure.class);
            LocalDate date = api.date(parameters, "date");
            return api.answers.get(figures.byHour(figure, date));
        });
        api.route("/trademark-sum", List.of("start_date", "end_date", "topN"), parameters -> {
            LocalDate start = requiredDate(parameters, "start_date");
            LocalDate end = requiredDate(parameters, "end_date");
            if (end.isBefore(start)) {
                throw new BadParameter("end_date " + end + " is before start_date " + start);
            }
            int top = number(parameters, "topN", 5, MAX_TOP);
            return api.answers.get(figures.trademarks(start, end, top));
        });
        api.route("/stats-by-item", List.of("date", "item"), parameters -> {
            LocalDate date = api.date(parameters, "date");
            LiveFigures.Item item = choice(parameters, "item", LiveFigures.Item.class);
            return api.answers.get(figures.byItem(date, item));
        });
        api.route("/daily", List.of("date", "days"), parameters -> {
            LocalDate date = api.date(parameters, "date");
            int days = number(parameters, "days", 30, MAX_DAYS);
            return api.answers.get(figures.daily(date, days));
        });
        api.operations();
        api.resource("/", LIVE_PAGE, "text/html; charset=utf-8");
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
        health.close();
    }

    /** A figure endpoint: only {@code parameterNames} are taken, each at most once. */
    private void route(String path, List<String> parameterNames, Endpoint endpoint) {
        context(path, exchange -> {
            if (!authorized(exchange)) {
                return;
            }
            try {
                respond(exchange, 200, endpoint.answer(parameters(exchange.getRequestURI(), parameterNames)));
            } catch (BadParameter e) {
                respond(exchange, 400, Map.of("error", e.getMessage()));
            } catch (SQLException e) {
                // the parameters were checked above, so the query string holds nothing but them
                LOG.warn("{} failed: {}", exchange.getRequestURI(), e.getMessage());
                respond(exchange, 503, Map.of("error", figures.describe(e)));
            }
        });
    }

    private interface Page {
        void answer(HttpExchange exchange) throws IOException;
    }

    /**
     * Serves {@code path} exactly, to GET only. A failure here answers 500 with {@code {"error": "..."}}: let through,
     * the JDK would close the connection without a word.
     */
    private void context(String path, Page page) {
        server.createContext(path, exchange -> {
            try (exchange) {
                try {
                    if (exactPath(exchange, path)) {
                        page.answer(exchange);
                    }
                } catch (RuntimeException e) {
                    LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
                    if (exchange.getResponseCode() == -1) {
                        respond(exchange, 500, Map.of("error", "the server failed on this request; its log says why"));
                    }
                }
            }
        });
    }

    /** /health: 200, or 503 naming what is wrong; /metrics: Prometheus' text format. */
    private void operations() {
        context("/health", exchange -> {
            // open to load balancers; the failed checks' rows only to those who hold the token
            PipelineHealth.Report report = health.report();
            respond(exchange, report.healthy() ? 200 : 503, carriesToken(exchange) ? report : report.withoutRows());
        });
        context("/metrics", exchange -> {
            if (authorized(exchange)) {
                byte[] body = health.metrics();
                exchange.getResponseHeaders().set("Content-Type", health.metricsContentType());
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
    }

    private void resource(String path, String resource, String contentType) {
        context(path, exchange -> {
            byte[] body = resourceBytes(resource);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        });
    }

    /** A file the jar carries (the page, the chart library), for the server and the page's export alike. */
    static byte[] resourceBytes(String name) {
        try (InputStream in = ApiServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " from the jar", e);
        }
    }

    /** True without a token, or when the request carries it; else answers 401. */
    private boolean authorized(HttpExchange exchange) throws IOException {
        if (carriesToken(exchange)) {
            return true;
        }
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        respond(exchange, 401, Map.of("error", "this API needs its bearer token: Authorization: Bearer <serve.token>"
                + " (open the page as /?token=<serve.token>)"));
        return false;
    }

    /**
     * True without a token, or when the request carries it. Compared in constant time, so the answer's timing does not
     * tell how much of a guess was right.
     */
    private boolean carriesToken(HttpExchange exchange) {
        if (authorization.isEmpty()) {
            return true;
        }
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        return given != null && MessageDigest.isEqual(authorization.get(), given.getBytes(StandardCharsets.UTF_8));
    }

    /** Answers 404 or 405 for what the context's prefix match lets through, and tells whether to go on. */
    private static boolean exactPath(HttpExchange exchange, String path) throws IOException {
        if (!exchange.getRequestURI().getPath().equals(path)) {
            respond(exchange, 404, Map.of("error", "no such page: " + quoted(exchange.getRequestURI().getPath())
                    + " (see /openapi.yaml)"));
            return false;
        }
        if (!exchange.getRequestMethod().equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            respond(exchange, 405, Map.of("error", quoted(exchange.getRequestMethod()) + " is not supported; use GET"));
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
        // an answer to HEAD has no body; the JDK would refuse to write one
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(body);
            }
        }
    }

    /**
     * The query's parameters, each given at most once and each one of {@code names}: a misspelt name would otherwise
     * answer for today, or for the default, without a word. A name without '=' has an empty value.
     */
    private static Map<String, String> parameters(URI uri, List<String> names) {
        Map<String, String> parameters = new HashMap<>();
        if (uri.getRawQuery() == null) {
            return parameters;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            if (pair.isEmpty()) {
                continue; // "a=1&&b=2", a trailing '&'
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (!names.contains(name)) {
                throw new BadParameter("unknown parameter " + quoted(name) + "; this endpoint takes " + names);
            }
            if (parameters.putIfAbsent(name, value) != null) {
                throw new BadParameter(name + " is given twice");
            }
        }
        return parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadParameter("the query string is not URL-encoded: " + quoted(text));
        }
    }

    /** {@code text} in quotes, cut short, control characters as '?', so an error stays one short line whatever a client sent. */
    private static String quoted(String text) {
        String shown = text.length() > QUOTED_CHARS ? text.substring(0, QUOTED_CHARS) + "…" : text;
        return "'" + CONTROL_CHARACTER.matcher(shown).replaceAll("?") + "'";
    }

    /** An optional date, today (in the configured zone) when absent. */
    private LocalDate date(Map<String, String> parameters, String name) {
        return parameters.containsKey(name) ? requiredDate(parameters, name) : figures.today();
    }

    private static LocalDate requiredDate(Map<String, String> parameters, String name) {
        String text = required(parameters, name);
        try {
            LocalDate date = LocalDate.parse(text);
            if (!date.isBefore(EARLIEST_DATE) && !date.isAfter(LATEST_DATE)) {
                return date;
            }
        } catch (DateTimeParseException notADate) {
            // answered below
        }
        throw new BadParameter(name + " must be a date as yyyy-MM-dd from " + EARLIEST_DATE + " to " + LATEST_DATE
                + ", got " + quoted(text));
    }

    private static int number(Map<String, String> parameters, String name, int fallback, int max) {
        if (!parameters.containsKey(name)) {
            return fallback;
        }
        String text = required(parameters, name);
        if (WHOLE_NUMBER.matcher(text).matches()) {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= max) {
                return value;
            }
        }
        throw new BadParameter(name + " must be a whole number from 1 to " + max + ", got " + quoted(text));
    }

    private static <E extends Enum<E>> E choice(Map<String, String> parameters, String name, Class<E> choices) {
        String text = required(parameters, name);
        try {
            return Enum.valueOf(choices, text);
        } catch (IllegalArgumentException e) {
            throw new BadParameter(name + " must be one of " + Arrays.toString(choices.getEnumConstants()) + ", got " + quoted(text));
        }
    }

    private static String required(Map<String, String> parameters, String name) {
        String text = parameters.get(name);
        if (text == null) {
            throw new BadParameter(name + " is missing");
        }
        if (text.isBlank()) {
            throw new BadParameter(name + " is empty");
        }
        return text;
    }

    /** ECharts as its npm package publishes it, from the WebJar the build takes from Maven Central. */
    static String echartsResource() {
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
