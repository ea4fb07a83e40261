package com.example.lakehouse.dev.generate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Generates gmall-shaped app logs (start, page, displays, actions, err) for a set of devices over some
 * days, in the order a producer would send them: mostly by event time, with producer retries (the
 * same bytes again a little later), late events (sent after their day ended) and a few malformed
 * messages. The same settings always give the same bytes in the same order. Events after
 * {@link Settings#until()} are not generated, so a run that includes today stops at the present.
 */
public final class AppLogGenerator {
    private static final String[] PAGES = {"home", "good_list", "good_detail", "cart", "trade", "payment", "mine", "search"};
    private static final String[][] DEVICES = {{"Xiaomi", "Xiaomi 9", "Android 11.0"}, {"Huawei", "Huawei P40", "Android 10.0"},
            {"iPhone", "iPhone 13", "iOS 15.4"}, {"Oneplus", "Oneplus 9", "Android 12.0"}, {"Honor", "Honor 50", "Android 11.0"}};
    private static final String[] CHANNELS = {"xiaomi", "huawei", "appstore", "oppo", "wandoujia", "web"};
    private static final String[] AREAS = {"110000", "310000", "440000", "330000", "510000", "420000"};
    private static final String[] VERSIONS = {"v2.1.134", "v2.1.132", "v2.0.1", "v1.9.8"};
    private static final String[] MALFORMED = {"truncated", "not-json", "missing-mid", "ts-in-seconds", "no-event"};
    private static final ObjectMapper JSON = new ObjectMapper();

    /** No cutoff: every day is generated whole. */
    public static final Instant NO_CUTOFF = Instant.ofEpochMilli(Long.MAX_VALUE);

    /** What to generate; rates are fractions between 0 and 1; no event later than {@code until}. */
    public record Settings(int devices, int days, LocalDate startDate, ZoneId zone, long seed,
                           double duplicateRate, double lateRate, double malformedRate, Instant until) {
        public Settings(int devices, int days, LocalDate startDate, ZoneId zone, long seed,
                        double duplicateRate, double lateRate, double malformedRate) {
            this(devices, days, startDate, zone, seed, duplicateRate, lateRate, malformedRate, NO_CUTOFF);
        }

        public Settings {
            if (devices < 1 || days < 1) {
                throw new IllegalArgumentException("devices and days must be at least 1");
            }
            for (double rate : new double[]{duplicateRate, lateRate, malformedRate}) {
                if (rate < 0 || rate > 1) {
                    throw new IllegalArgumentException("rates must be between 0 and 1, got " + rate);
                }
            }
        }
    }

    private record Pending(GeneratedMessage message, long sendAt, int sequence) {
    }

    private final Settings settings;
    private final Random random;
    private final List<Pending> outbox = new ArrayList<>();

    private AppLogGenerator(Settings settings) {
        this.settings = settings;
        this.random = new Random(settings.seed());
    }

    /** The messages in send order, retries and malformed ones included. */
    public static List<GeneratedMessage> generate(Settings settings) {
        AppLogGenerator generator = new AppLogGenerator(settings);
        for (int device = 0; device < settings.devices(); device++) {
            generator.device(device);
        }
        return generator.inSendOrder();
    }

    /**
     * One start log at {@code at} from each of {@code devices} devices numbered from {@code firstDevice}:
     * devices opening the app this moment, as a live page or a freshness benchmark needs, or at an earlier
     * time, as late events. No retries.
     */
    public static List<GeneratedMessage> opening(int firstDevice, int devices, Instant at, ZoneId zone, long seed) {
        AppLogGenerator generator = new AppLogGenerator(new Settings(devices, 1, LocalDate.ofInstant(at, zone), zone,
                seed, 0, 0, 0));
        long ts = at.toEpochMilli();
        Map<String, Object> start = new LinkedHashMap<>(); // Map.of would order keys differently per JVM
        start.put("entry", "icon");
        start.put("loading_time", 1200);
        for (int device = firstDevice; device < firstDevice + devices; device++) {
            generator.emit(generator.deviceCommon(device), "start", start, ts, ts);
        }
        return generator.inSendOrder();
    }

    private Map<String, Object> deviceCommon(int index) {
        String[] hardware = DEVICES[index % DEVICES.length];
        Map<String, Object> common = new LinkedHashMap<>();
        common.put("ar", AREAS[random.nextInt(AREAS.length)]);
        common.put("ba", hardware[0]);
        common.put("ch", CHANNELS[random.nextInt(CHANNELS.length)]);
        common.put("is_new", "1");
        common.put("md", hardware[1]);
        common.put("mid", "mid_" + index);
        common.put("os", hardware[2]);
        common.put("vc", VERSIONS[random.nextInt(VERSIONS.length)]);
        return common;
    }

    private void device(int index) {
        Map<String, Object> common = deviceCommon(index);
        boolean seenBefore = random.nextInt(3) == 0; // a third of devices were installed before the first day
        for (int day = 0; day < settings.days(); day++) {
            if (random.nextDouble() >= 0.65) {
                continue; // not active that day
            }
            common.put("is_new", seenBefore ? "0" : "1");
            seenBefore = true;
            LocalDate date = settings.startDate().plusDays(day);
            int sessions = 1 + random.nextInt(2);
            for (int session = 0; session < sessions; session++) {
                session(common, date);
            }
        }
    }

    private void session(Map<String, Object> deviceCommon, LocalDate date) {
        Map<String, Object> common = new LinkedHashMap<>(deviceCommon);
        if (random.nextInt(10) < 7) {
            common.put("uid", String.valueOf(1 + random.nextInt(settings.devices() * 2)));
        }
        long dayStart = date.atStartOfDay(settings.zone()).toInstant().toEpochMilli();
        long ts = dayStart + (long) (random.nextDouble() * Duration.ofDays(1).toMillis());
        if (random.nextInt(100) < 85) { // other sessions are opened from a notification, straight to a page
            Map<String, Object> start = new LinkedHashMap<>();
            start.put("entry", random.nextBoolean() ? "icon" : "notice");
            start.put("loading_time", 500 + random.nextInt(15000));
            start.put("open_ad_id", 1 + random.nextInt(20));
            start.put("open_ad_ms", 1000 + random.nextInt(5000));
            start.put("open_ad_skip_ms", random.nextBoolean() ? 0 : random.nextInt(3000));
            emit(common, "start", start, ts, dayStart);
            ts += 1000 + random.nextInt(10000);
        }
        String lastPage = null;
        int pages = 1 + random.nextInt(4);
        for (int i = 0; i < pages; i++) {
            String pageId = PAGES[random.nextInt(PAGES.length)];
            int duringTime = 1000 + random.nextInt(30000);
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("during_time", duringTime);
            if (pageId.equals("good_detail")) {
                page.put("item", String.valueOf(1 + random.nextInt(30)));
                page.put("item_type", "sku_id");
            }
            if (lastPage != null) {
                page.put("last_page_id", lastPage);
            }
            page.put("page_id", pageId);
            emitPage(common, page, pageId, ts, dayStart);
            lastPage = pageId;
            ts += duringTime;
        }
    }

    private void emitPage(Map<String, Object> common, Map<String, Object> page, String pageId, long ts, long dayStart) {
        Map<String, Object> sections = new LinkedHashMap<>();
        sections.put("page", page);
        if (pageId.equals("home") || pageId.equals("good_list")) {
            List<Map<String, Object>> displays = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                Map<String, Object> display = new LinkedHashMap<>();
                display.put("display_type", random.nextBoolean() ? "promotion" : "query");
                display.put("item", String.valueOf(1 + random.nextInt(30)));
                display.put("item_type", "sku_id");
                display.put("order", displays.size() + 1);
                display.put("pos_id", 1 + random.nextInt(5));
                displays.add(display);
            }
            sections.put("displays", displays);
        }
        if (pageId.equals("good_detail") && random.nextBoolean()) {
            Map<String, Object> action = new LinkedHashMap<>();
            action.put("action_id", random.nextBoolean() ? "favor_add" : "cart_add");
            action.put("item", page.get("item"));
            action.put("item_type", "sku_id");
            action.put("ts", ts + 500);
            sections.put("actions", List.of(action));
        }
        emitSections(common, sections, ts, dayStart);
    }

    private void emit(Map<String, Object> common, String section, Object body, long ts, long dayStart) {
        Map<String, Object> sections = new LinkedHashMap<>();
        sections.put(section, body);
        emitSections(common, sections, ts, dayStart);
    }

    private void emitSections(Map<String, Object> common, Map<String, Object> sections, long ts, long dayStart) {
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("common", common);
        log.putAll(sections);
        if (random.nextInt(100) < 3) {
            Map<String, Object> err = new LinkedHashMap<>(); // Map.of would order keys differently per JVM
            err.put("error_code", 1001 + random.nextInt(2000));
            err.put("msg", "java.net.SocketTimeoutException");
            log.put("err", err);
        }
        log.put("ts", ts);
        byte[] key = ((String) common.get("mid")).getBytes(StandardCharsets.UTF_8);
        long sendAt = ts;
        if (random.nextDouble() < settings.lateRate()) { // held back by the client until after midnight
            sendAt = dayStart + Duration.ofDays(1).toMillis() + (long) (random.nextDouble() * Duration.ofHours(6).toMillis());
        }
        // an event after the cutoff has not happened yet; its random draws are made all the same, so the
        // days before the cutoff are the bytes a run without one gives
        boolean happened = ts <= settings.until().toEpochMilli();
        send(new GeneratedMessage(key, toJson(log), true), sendAt, happened);
        if (random.nextDouble() < settings.malformedRate()) {
            send(new GeneratedMessage(null, malformed(log), false), sendAt + 1, happened);
        }
    }

    private byte[] malformed(Map<String, Object> log) {
        Map<String, Object> copy = new LinkedHashMap<>(log);
        switch (MALFORMED[random.nextInt(MALFORMED.length)]) {
            case "truncated" -> {
                byte[] json = toJson(log);
                return Arrays.copyOf(json, json.length / 2);
            }
            case "not-json" -> {
                return ("<html>502 Bad Gateway " + log.get("ts") + "</html>").getBytes(StandardCharsets.UTF_8);
            }
            case "missing-mid" -> {
                Map<String, Object> common = new LinkedHashMap<>(castMap(log.get("common")));
                common.remove("mid");
                copy.put("common", common);
            }
            case "ts-in-seconds" -> copy.put("ts", (Long) log.get("ts") / 1000);
            default -> copy.keySet().retainAll(List.of("common", "ts")); // no event section
        }
        return toJson(copy);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object map) {
        return (Map<String, Object>) map;
    }

    private void send(GeneratedMessage message, long sendAt, boolean happened) {
        if (happened) {
            outbox.add(new Pending(message, sendAt, outbox.size()));
        }
        if (random.nextDouble() < settings.duplicateRate()) { // a producer retry: same bytes, a little later
            long retryAt = sendAt + random.nextInt(300_000);
            if (happened) {
                outbox.add(new Pending(message, retryAt, outbox.size()));
            }
        }
    }

    private List<GeneratedMessage> inSendOrder() {
        return outbox.stream()
                .sorted(Comparator.comparingLong(Pending::sendAt).thenComparingInt(Pending::sequence))
                .map(Pending::message)
                .toList();
    }

    private static byte[] toJson(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
