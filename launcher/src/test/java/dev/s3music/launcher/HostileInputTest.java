package dev.s3music.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9's hostile-input check on the embedded default (demo library, one JVM): at least 10,000 generated requests
 * over raw sockets (random methods up to 1,000 characters, paths with control characters and broken or valid
 * percent-encodings, forged song ids, junk headers and request ids, Range and conditional values on a real song,
 * oversized request lines and headers). No 5xx, the server still answers, and {@code /metrics} (on the management
 * port) and the heap after GC stay bounded; both figures are printed.
 */
class HostileInputTest {

    private static final int REQUESTS = 10_000;
    private String bearer;
    /** Clients at once: far under MAX_STREAMS, so a 503 could only be a fault. */
    private static final int CLIENTS = 8;
    private static final int MAX_METRICS_BYTES = 1_000_000;
    /** Heap growth after GC allowed over the run (the JVM also holds the test's own objects and the S3 stand-in). */
    private static final long MAX_HEAP_GROWTH = 64L << 20;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private MusicServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void tenThousandHostileRequestsGetNo5xxAndLeaveMetricsAndHeapBounded(@TempDir Path tmp) throws Exception {
        server = MusicServer.start(TestSignIn.config(Map.of("MUSIC_DIR", tmp.resolve("m").toString(),
            "HTTP_PORT", "0", "MANAGEMENT_PORT", "0", "S3_PORT", "0", "HTTP_INSTANCES", "2")));
        int port = server.httpPort();
        bearer = TestSignIn.bearer(URI.create("http://127.0.0.1:" + port));
        System.out.printf("hostile input: API port %d, management port %d%n", port, server.managementPort());
        List<String> songIds = songIds(port);
        assertThat(songIds).isNotEmpty();

        // warm up (classes, pools, meters of the normal routes), then the baseline
        Generator warm = new Generator(new Random(1), songIds, bearer);
        for (int i = 0; i < 200; i++) {
            send(port, warm.next());
        }
        long heapBefore = heapAfterGc();
        long metricsBefore = metrics().length();

        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> fiveHundreds = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Generator g = new Generator(new Random(42 + c), songIds, bearer);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < REQUESTS / CLIENTS; i++) {
                        byte[] request = g.next();
                        int status = send(port, request);
                        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                        if (status >= 500 && fiveHundreds.size() < 10) {
                            fiveHundreds.add(status + " <- " + printable(request));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        String metrics = metrics();
        long heapAfter = heapAfterGc();
        int total = statuses.values().stream().mapToInt(AtomicInteger::get).sum();
        System.out.printf("hostile input: %d requests, statuses %s (0 = closed without an answer)%n", total,
            new TreeMap<>(statuses));
        System.out.printf("hostile input: /metrics %d bytes before, %d after; heap after GC %d MB before, %d MB after%n",
            metricsBefore, metrics.length(), heapBefore >> 20, heapAfter >> 20);

        assertThat(total).isGreaterThanOrEqualTo(REQUESTS);
        assertThat(fiveHundreds).as("no 5xx").isEmpty();
        assertThat(statuses.keySet()).noneMatch(s -> s >= 500);
        // the server still serves
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/artists"))
                .header("Authorization", bearer).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(metrics.length()).as("/metrics size").isLessThan(MAX_METRICS_BYTES);
        // methods are labelled from a fixed set: the random ones are all "other"
        assertThat(metrics).contains("method=\"other\"").doesNotContain("method=\"ZZ");
        assertThat(heapAfter - heapBefore).as("heap growth after GC").isLessThan(MAX_HEAP_GROWTH);
    }

    /** Generates one raw HTTP/1.1 request (with {@code Connection: close}) of a random hostile kind. */
    static final class Generator {
        private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"};
        private static final String[] PATHS = {"/api/artists", "/api/search", "/api/albums/x", "/api/songs/x",
            "/health/ready", "/health/live", "/metrics", "/api/admin/rescan", "/api/openapi.json", "/", "/nothing"};
        private static final String[] ENCODINGS = {"%", "%%", "%%%", "%zz", "%2", "%00", "%0a", "%1b", "%C3%A9",
            "%ff%fe", "%2e%2e%2f", "%252e", "+", "%u0041", "%E2%80%A8", "%c2%85"};
        private static final String[] CONTROLS = {"\u0000", "\b", "\u001b[31m", "\u007f", "\u0085", "\t", "\r", "\n"};

        private final Random r;
        private final List<String> songIds;
        private final String bearer;

        /** @param bearer the admin's session: most requests carry it so they reach the handlers behind sign-in */
        Generator(Random r, List<String> songIds, String bearer) {
            this.r = r;
            this.songIds = songIds;
            this.bearer = bearer;
        }

        byte[] next() {
            String method = METHODS[r.nextInt(METHODS.length)];
            String target;
            StringBuilder headers = new StringBuilder("Host: 127.0.0.1\r\nConnection: close\r\n");
            switch (r.nextInt(8)) { // signed in (3 in 4), a forged or junk token, or none
                case 0, 1, 2, 3, 4, 5 -> headers.append("Authorization: ").append(bearer).append("\r\n");
                case 6 -> headers.append("Authorization: Bearer ").append(headerJunk()).append("\r\n");
                default -> headers.append("Cookie: s3music_session=").append(headerJunk()).append("\r\n");
            }
            switch (r.nextInt(8)) {
                case 0 -> { // a method of any length and alphabet: "ZZ" marks them in the scrape
                    method = "ZZ" + token(1 + r.nextInt(1000));
                    target = PATHS[r.nextInt(PATHS.length)];
                }
                case 1 -> target = PATHS[r.nextInt(PATHS.length)] + "?q=" + junk() + "&x=" + junk();
                case 2 -> target = "/api/" + junk() + "/" + junk();
                case 3 -> target = "/api/songs/" + forgedId() + "/stream";
                case 4 -> { // a real song with hostile Range and conditional values
                    method = r.nextBoolean() ? "GET" : "HEAD";
                    target = "/api/songs/" + songIds.get(r.nextInt(songIds.size())) + "/stream";
                    headers.append("Range: ").append(range()).append("\r\n");
                    String[] conditionals = {"If-Match", "If-None-Match", "If-Range", "If-Modified-Since",
                        "If-Unmodified-Since"};
                    headers.append(conditionals[r.nextInt(conditionals.length)]).append(": ").append(headerJunk())
                        .append("\r\n");
                    if (method.equals("GET") && !headers.toString().contains("Range: bytes=0-")) {
                        headers.append("Range: bytes=0-99\r\n"); // first Range wins: bounded bodies either way
                    }
                }
                case 5 -> { // junk headers and request ids
                    target = PATHS[r.nextInt(PATHS.length)];
                    for (int i = 0; i < 1 + r.nextInt(5); i++) {
                        headers.append(token(1 + r.nextInt(30))).append(": ").append(headerJunk()).append("\r\n");
                    }
                    headers.append("X-Request-Id: ").append(headerJunk()).append("\r\n");
                }
                case 6 -> { // oversized request line or header
                    target = r.nextBoolean() ? "/api/search?q=" + "a".repeat(5_000 + r.nextInt(20_000))
                        : "/api/artists";
                    if (r.nextBoolean()) {
                        headers.append("X-Big: ").append("b".repeat(9_000 + r.nextInt(20_000))).append("\r\n");
                    }
                }
                default -> target = "/api/" + controls() + "?q=" + controls(); // log injection attempts
            }
            String body = method.equals("POST") || method.equals("PUT") || method.equals("PATCH") ? "{}" : "";
            if (!body.isEmpty()) {
                headers.append("Content-Type: application/json\r\nContent-Length: ").append(body.length())
                    .append("\r\n");
            }
            return (method + " " + target + " HTTP/1.1\r\n" + headers + "\r\n" + body)
                .getBytes(StandardCharsets.ISO_8859_1);
        }

        private String token(int n) {
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&'*+-.^_`|~";
            StringBuilder b = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            return b.toString();
        }

        private String junk() {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 1 + r.nextInt(4); i++) {
                b.append(r.nextBoolean() ? ENCODINGS[r.nextInt(ENCODINGS.length)] : token(1 + r.nextInt(8)));
            }
            return b.toString();
        }

        private String controls() {
            return CONTROLS[r.nextInt(CONTROLS.length)] + "RED" + CONTROLS[r.nextInt(CONTROLS.length)];
        }

        private String forgedId() {
            String[] ids = {"..", "%2e%2e", "AAAA", "-_-_", "a".repeat(2000), "Li4vZXRjL3Bhc3N3ZA", ".s3music",
                "%00", "////", "c29uZw=="};
            return ids[r.nextInt(ids.length)] + (r.nextBoolean() ? junk() : "");
        }

        private String range() {
            String[] ranges = {"bytes=0-", "bytes=-0", "bytes=5-1", "bytes=999999999-", "bytes=0-99,200-299",
                "items=0-1", "bytes=-99999999999999999999", "bytes=" + r.nextInt(100_000) + "-", "bytes=a-b",
                "bytes=0-" + Long.MAX_VALUE, ""};
            return ranges[r.nextInt(ranges.length)];
        }

        private String headerJunk() {
            String[] values = {"*", "W/\"x\"", "\"abc\", W/\"def\"", "Thu, 01 Jan 1970 00:00:00 GMT", "yesterday",
                "\"" + token(50) + "\"", "abc\u0001def", token(300), "\u00ff\u00fe", ""};
            return values[r.nextInt(values.length)];
        }
    }

    /** Sends one request on its own connection; the status, or 0 when the server closed without answering. */
    static int send(int port, byte[] request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // the server may refuse an oversized head and close before reading all of it
            }
            InputStream in = s.getInputStream();
            byte[] head = new byte[12];
            int n = 0;
            try {
                while (n < head.length) {
                    int k = in.read(head, n, head.length - n);
                    if (k < 0) {
                        break;
                    }
                    n += k;
                }
                in.transferTo(OutputStream.nullOutputStream()); // Connection: close: read to the end
            } catch (SocketTimeoutException e) {
                throw new IOException("no answer within 20 s to " + printable(request), e);
            } catch (IOException e) {
                // a reset after the answer (the server closed on an unread oversized request): keep the status
            }
            String line = new String(head, 0, n, StandardCharsets.ISO_8859_1);
            return line.startsWith("HTTP/1.") && n >= 12 ? Integer.parseInt(line.substring(9, 12)) : 0;
        }
    }

    private List<String> songIds(int port) throws Exception {
        List<String> ids = new ArrayList<>();
        JsonArray artists = getJson(port, "/api/artists").getJsonArray("items");
        for (int i = 0; i < artists.size(); i++) {
            JsonArray albums = getJson(port, "/api/artists/" + artists.getJsonObject(i).getString("id"))
                .getJsonArray("albums");
            for (int j = 0; j < albums.size(); j++) {
                JsonArray songs = getJson(port, "/api/albums/" + albums.getJsonObject(j).getString("id"))
                    .getJsonArray("songs");
                for (int k = 0; k < songs.size(); k++) {
                    ids.add(songs.getJsonObject(k).getString("id"));
                }
            }
        }
        return ids;
    }

    private JsonObject getJson(int port, String path) throws Exception {
        return new JsonObject(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", bearer).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString()).body());
    }

    private String metrics() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + server.managementPort() + "/metrics")).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static long heapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static String printable(byte[] request) {
        String s = new String(request, 0, Math.min(request.length, 200), StandardCharsets.ISO_8859_1);
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c >= 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
