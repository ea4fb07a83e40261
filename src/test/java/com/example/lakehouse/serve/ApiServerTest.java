package com.example.lakehouse.serve;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.job.TableBuilds;
import com.example.lakehouse.table.Tables;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The API server on its own, with a Trino port nobody listens on: a request with good parameters gets 503, so
 * every other status below comes from the server's own checks. No Spark, Kafka or Trino is needed.
 */
class ApiServerTest {
    private static final Tables tables = Tables.load();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "t0ken-of-the-test";
    /** Each figure endpoint with good values of all its parameters. */
    private static final Map<String, Map<String, String>> GOOD = Map.of(
            "/realtime-total", Map.of("date", "2026-01-02"),
            "/realtime-hour", Map.of("id", "dau", "date", "2026-01-02"),
            "/trademark-sum", Map.of("start_date", "2026-01-01", "end_date", "2026-01-02", "topN", "5"),
            "/stats-by-item", Map.of("date", "2026-01-02", "item", "gender"),
            "/daily", Map.of("date", "2026-01-02", "days", "7"));
    /** Values no parameter takes, as they go into the query string: %FF stays invalid UTF-8. */
    private static final List<String> BAD_VALUES = List.of("", "+", "%20", "%FF", "%C3%28", "%ED%A0%80", "%00", "%25",
            "%25zz", "%0D%0AX-Injected:%201", encoded("中文"), encoded("عربى"), encoded("😀"), encoded("١٢"), "-1", "0",
            "1e3", "0x10", "999999999999999999999", "99999-01-01", encoded("+99999-01-01"), "0001-01-01", "-0001-01-01",
            "1969-12-31", "2026-02-30", "2026-1-2", "2026-01-02T00:00", encoded("2026-01-02 "), "DAU", "gender%00",
            "x".repeat(10_000), encoded("中".repeat(4_000)));

    @TempDir
    static Path checkpoints;
    @TempDir
    static Path tableRoot;
    private static LakehouseConfig config;
    private static ApiServer server;
    private static ApiServer guarded;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws IOException {
        config = LakehouseConfig.defaultConfig().toBuilder().trinoPort(portNobodyListensOn())
                .checkpointRoot(checkpoints).tableRoot(tableRoot).build();
        server = ApiServer.start(config, tables, "127.0.0.1", 0);
        guarded = ApiServer.start(config.toBuilder().set("serve.token", TOKEN).build(), tables, "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.close();
        guarded.close();
    }

    @Test
    void goodParametersGet503WhileTrinoIsAway() throws Exception {
        for (var endpoint : GOOD.entrySet()) {
            assertError(get(server, endpoint.getKey() + "?" + query(endpoint.getValue())), 503);
        }
        assertError(get(server, "/daily"), 503);
    }

    @Test
    void aNightlyCheckThatFailedIsAHealthProblemAndAMetricUntilItsDayIsBuiltAgain() throws Exception {
        LocalDate day = LocalDate.of(2026, 1, 2);
        String failure = "ads_order_daily dt=2026-01-02: check key_is_unique failed; rows that break it: {dt=2026-01-02}";
        TableBuilds.record(config, tables.adsOrderDaily(), day, Optional.of(failure), List.of());

        String problem = "the latest build of ads_order_daily 2026-01-02 failed a data-quality check";
        JsonNode health = awaitHealth(server, problems -> problems.stream().anyMatch(line -> line.startsWith(problem)));
        assertThat(health.at("/tables/ads_order_daily/errors/2026-01-02").asText()).isEqualTo(failure);
        assertThat(get(server, "/metrics").body())
                .contains("lakehouse_table_failed_check_days{severity=\"error\",table=\"ads_order_daily\"} 1.0");
        // /health stays open, but the rows a check quotes are the shop's data: only for the token's holders
        JsonNode open = awaitHealth(guarded, problems -> problems.stream().anyMatch(line -> line.startsWith(problem)));
        assertThat(open.get("tables").isEmpty()).isTrue();
        assertThat(open.toString()).doesNotContain("rows that break it");
        assertThat(JSON.readTree(get(guarded, "/health", "Bearer " + TOKEN).body())
                .at("/tables/ads_order_daily/errors/2026-01-02").asText()).isEqualTo(failure);

        TableBuilds.record(config, tables.adsOrderDaily(), day, Optional.empty(), List.of());
        awaitHealth(server, problems -> problems.stream().noneMatch(line -> line.startsWith("nightly build")));
    }

    /** /health's answer once its problems satisfy {@code expected}; it reads the report files at most once a refresh interval. */
    private static JsonNode awaitHealth(ApiServer api, Predicate<List<String>> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            HttpResponse<String> health = get(api, "/health");
            assertThat(health.statusCode()).isEqualTo(503); // Trino is away in this test
            JsonNode body = JSON.readTree(health.body());
            List<String> problems = new ArrayList<>();
            body.get("problems").forEach(line -> problems.add(line.asText()));
            if (expected.test(problems)) {
                return body;
            }
            assertThat(System.nanoTime()).as("/health's problems after 10 s: %s", problems).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    void everyParameterOfEveryEndpointGets400ForWhatItCannotTake() throws Exception {
        Random random = new Random(20_260_102L); // fixed, so a failure comes back
        for (var endpoint : GOOD.entrySet()) {
            for (String name : endpoint.getValue().keySet()) {
                List<String> values = new ArrayList<>(BAD_VALUES);
                for (int i = 0; i < 15; i++) {
                    values.add(randomBytes(random));
                }
                for (String value : values) {
                    Map<String, String> parameters = new LinkedHashMap<>(endpoint.getValue());
                    parameters.put(name, value);
                    assertError(get(server, endpoint.getKey() + "?" + query(parameters)), 400);
                }
                String twice = endpoint.getKey() + "?" + query(endpoint.getValue()) + "&" + name + "=" + endpoint.getValue().get(name);
                assertThat(assertError(get(server, twice), 400)).isEqualTo(name + " is given twice");
                String bare = endpoint.getKey() + "?" + query(without(endpoint.getValue(), name)) + "&" + name;
                assertThat(assertError(get(server, bare), 400)).isEqualTo(name + " is empty");
            }
            String unknown = endpoint.getKey() + "?" + query(endpoint.getValue()) + "&dat=2026-01-02";
            assertThat(assertError(get(server, unknown), 400)).startsWith("unknown parameter 'dat'");
        }
        assertThat(assertError(get(server, "/realtime-hour?date=2026-01-02"), 400)).isEqualTo("id is missing");
        assertThat(get(server, "/openapi.yaml").statusCode()).as("still answering").isEqualTo(200);
    }

    @Test
    void otherMethodsGet405AndOtherPaths404() throws Exception {
        for (String path : List.of("/daily", "/realtime-total", "/health", "/metrics", "/", "/openapi.yaml")) {
            for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO")) {
                HttpRequest request = HttpRequest.newBuilder(server.uri().resolve(path))
                        .method(method, HttpRequest.BodyPublishers.ofString("x".repeat(10_000))).build();
                assertError(CLIENT.send(request, HttpResponse.BodyHandlers.ofString()), 405);
            }
            HttpRequest head = HttpRequest.newBuilder(server.uri().resolve(path)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
            assertThat(CLIENT.send(head, HttpResponse.BodyHandlers.ofString()).statusCode()).as("HEAD %s", path).isEqualTo(405);
        }
        for (String path : List.of("/daily/", "/DAILY", "/daily/../daily", "/%2e%2e/%2e%2e/etc/passwd", "/daily%00",
                "/daily;date=2026-01-02", "/" + encoded("中文"), "/" + "a".repeat(10_000))) {
            assertError(get(server, path + "?date=2026-01-02"), 404);
        }
        // "//daily" reads as the host "daily" with no path; the JDK answers it itself (in HTML), before any handler
        assertThat(get(server, "//daily?date=2026-01-02").statusCode()).isEqualTo(404);
    }

    @Test
    void aVeryLongUrlGets400AndOneBeyondTheHeaderLimitIsClosedWithoutHanging() throws Exception {
        assertError(get(server, "/daily?date=" + "9".repeat(50_000)), 400);
        try (Socket socket = new Socket(server.uri().getHost(), server.uri().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /daily?date=" + "9".repeat(100_000) + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(US_ASCII));
            // beyond sun.net.httpserver.maxReqHeaderSize the JDK closes the connection; it must not leave it open
            assertThat(readUntilClosed(socket.getInputStream())).doesNotContain("200 OK");
        } catch (SocketException reset) {
            // the JDK closed it while the request was still being written: the same answer
        }
        // a lone '%' is not a URI: the JDK itself answers 400 (in HTML) before any handler sees it
        try (Socket socket = new Socket(server.uri().getHost(), server.uri().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /daily?date=% HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(US_ASCII));
            assertThat(readUntilClosed(socket.getInputStream())).startsWith("HTTP/1.1 400 ");
        }
        assertThat(get(server, "/openapi.yaml").statusCode()).as("still answering").isEqualTo(200);
    }

    @Test
    void aTokenGuardsTheFiguresAndMetricsButNotHealthOrThePage() throws Exception {
        HttpResponse<String> without = get(guarded, "/daily?date=2026-01-02");
        assertThat(assertError(without, 401)).doesNotContain(TOKEN);
        assertThat(without.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertError(get(guarded, "/daily?date=2026-01-02", "Bearer " + TOKEN + "x"), 401);
        assertError(get(guarded, "/daily?date=2026-01-02", "Bearer " + TOKEN), 503);
        assertThat(assertError(get(guarded, "/daily?token=" + TOKEN, "Bearer " + TOKEN), 400))
                .startsWith("unknown parameter 'token'").doesNotContain(TOKEN);
        assertError(get(guarded, "/metrics"), 401);
        assertThat(get(guarded, "/metrics", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        HttpResponse<String> health = get(guarded, "/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(health.body()).path("problems").get(0).asText()).startsWith("Trino does not answer");
        assertThat(get(guarded, "/?token=" + TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void clientsThatSendHalfARequestAreCutOffAndOthersAnsweredMeanwhile() throws Exception {
        // the JDK's bound, which the pom sets to 2 s for the tests (and ApiServer to 10 s when nobody did)
        long requestSeconds = Long.getLong("sun.net.httpserver.maxReqTime");
        List<Socket> stalled = new ArrayList<>();
        long openedAt = System.nanoTime();
        try {
            for (int i = 0; i < 20; i++) { // more than the server's 8 threads
                Socket socket = new Socket(server.uri().getHost(), server.uri().getPort());
                socket.getOutputStream().write("GET /daily?da".getBytes(US_ASCII));
                stalled.add(socket);
            }
            // The JDK starts a request's clock when its first bytes arrive, also for one that then waits for a thread
            // behind the stalled ones; asked more than a tick of its timer (sun.net.httpserver.timerMillis, 1 s)
            // after them, this one is not cut off by the tick that cuts them.
            Thread.sleep(1_500);
            long askedAt = System.nanoTime();
            assertThat(get(server, "/openapi.yaml").statusCode()).isEqualTo(200);
            assertThat(secondsSince(askedAt)).as("answered while 20 clients stall").isLessThan(requestSeconds + 2.0);
            for (Socket socket : stalled) {
                socket.setSoTimeout(5_000 + (int) (requestSeconds * 1000));
                assertThat(readUntilClosed(socket.getInputStream())).as("what a stalled client got").isEmpty();
            }
            assertThat(secondsSince(openedAt)).as("stalled clients cut off").isLessThan(requestSeconds + 3.0);
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
        assertThat(get(server, "/openapi.yaml").statusCode()).as("still answering").isEqualTo(200);
    }

    /** The error of a JSON {"error": "..."} answer with {@code status}. */
    private static String assertError(HttpResponse<String> response, int status) throws IOException {
        String request = response.request().method() + " " + abbreviated(response.uri().toString());
        assertThat(response.statusCode()).as(request + " -> " + abbreviated(response.body())).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as(request).hasValue("application/json; charset=utf-8");
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.isTextual() && !error.asText().isBlank()).as(request + " -> " + abbreviated(response.body())).isTrue();
        assertThat(error.asText()).as(request).hasSizeLessThan(300).doesNotContain("\n");
        return error.asText();
    }

    private static HttpResponse<String> get(ApiServer api, String pathAndQuery, String... authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.uri().toString().replaceAll("/$", "") + pathAndQuery))
                .timeout(Duration.ofSeconds(20));
        for (String value : authorization) {
            request.header("Authorization", value);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What the server sent until it closed the connection; fails if it neither answers nor closes in time. */
    private static String readUntilClosed(InputStream in) throws IOException {
        StringBuilder read = new StringBuilder();
        try {
            for (int next = in.read(); next != -1; next = in.read()) {
                read.append((char) next);
            }
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("the server kept the connection open; it had sent: " + read, stillOpen);
        } catch (SocketException reset) {
            // closed with unread bytes on our side: closed all the same
        }
        return read.toString();
    }

    private static String query(Map<String, String> parameters) {
        return parameters.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue()).collect(Collectors.joining("&"));
    }

    private static Map<String, String> without(Map<String, String> parameters, String name) {
        Map<String, String> rest = new LinkedHashMap<>(parameters);
        rest.remove(name);
        return rest;
    }

    /** 1 to 32 random bytes, one time in ten 10 KB, percent-encoded; never something a parameter could take. */
    private static String randomBytes(Random random) {
        while (true) {
            byte[] bytes = new byte[random.nextInt(10) == 0 ? 10_000 : 1 + random.nextInt(32)];
            random.nextBytes(bytes);
            if (!new String(bytes, UTF_8).matches("[0-9a-z_-]*")) {
                StringBuilder encoded = new StringBuilder();
                for (byte b : bytes) {
                    encoded.append(String.format("%%%02X", b & 0xff));
                }
                return encoded.toString();
            }
        }
    }

    private static String encoded(String text) {
        return URLEncoder.encode(text, UTF_8);
    }

    private static String abbreviated(String text) {
        return text.length() > 120 ? text.substring(0, 120) + "…" : text;
    }

    private static double secondsSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1e9;
    }

    private static int portNobodyListensOn() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
