package dev.s3music.api.cost;

import dev.s3music.model.cost.S3Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What S3 costs, estimated in dollars per day: the S3 meters of this process ({@link S3Meters}, counted by the S3
 * adapter where it sends each request) extrapolated from the time since the panel started to a day, priced with
 * {@link S3Prices}, and the library's storage (the catalog's total bytes). One row per item, so a client can show
 * it as a plain table: {@code kind}, {@code item}, {@code count} (since start), {@code perDay}, {@code unit},
 * {@code unitPrice}, {@code dollarsPerDay}.
 *
 * <p>Scope: the requests of this process (an API instance); with several instances and roles, Prometheus sums the
 * same meters ({@code s3music_s3_requests_total}). In redirect mode the client reads S3 itself: each signed link to
 * S3 is counted as one GET and the bytes it grants as retrieval (an estimate: a seek is another GET, a skipped song
 * reads less); links to CloudFront cost S3 only on an edge miss, so they are shown, not priced.
 */
public final class CostPanel {

    /** AWS bills storage per GB-month of 730 hours; a day is 24 of them. */
    static final double DAYS_PER_MONTH = 730.0 / 24.0;
    static final double GB = 1024.0 * 1024 * 1024;
    /** Under a minute of data, a per-day figure would be mostly noise: extrapolate from at least this. */
    static final Duration MIN_WINDOW = Duration.ofMinutes(1);

    private final MeterRegistry registry;
    private final S3Prices prices;
    private final Supplier<Future<Long>> storedBytes;
    private final Clock clock;
    private final Instant since;

    /**
     * @param registry    where the S3 adapter counts (the process's registry)
     * @param storedBytes the library's size in bytes (e.g. {@link CatalogBytes}); may fail (then storage is unknown)
     */
    public CostPanel(MeterRegistry registry, S3Prices prices, Supplier<Future<Long>> storedBytes, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.prices = Objects.requireNonNull(prices, "prices");
        this.storedBytes = Objects.requireNonNull(storedBytes, "storedBytes");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.since = clock.instant();
    }

    public CostPanel(MeterRegistry registry, S3Prices prices, Supplier<Future<Long>> storedBytes) {
        this(registry, prices, storedBytes, Clock.systemUTC());
    }

    /** The panel now. Never fails: an unknown storage size is a row with {@code count} null and no dollars. */
    public Future<JsonObject> snapshot() {
        Future<Long> stored;
        try {
            stored = storedBytes.get();
        } catch (RuntimeException e) {
            stored = Future.failedFuture(e);
        }
        return stored.map(b -> b).otherwise(t -> null).map(this::panel);
    }

    private JsonObject panel(Long stored) {
        Instant now = clock.instant();
        Duration measured = Duration.between(since, now);
        double seconds = Math.max(measured.toMillis(), MIN_WINDOW.toMillis()) / 1000.0;
        double perDay = 86_400.0 / seconds;
        JsonArray rows = new JsonArray();
        double total = 0;
        total += request(rows, S3Meters.Kind.GET_RANGED, "GET, ranged (seeks, tag reads, resumes)", prices.getPer1000(), perDay);
        total += request(rows, S3Meters.Kind.GET_FULL, "GET, whole object (plays from the start, documents)", prices.getPer1000(), perDay);
        total += request(rows, S3Meters.Kind.HEAD, "HEAD", prices.headPer1000(), perDay);
        total += request(rows, S3Meters.Kind.LIST, "LIST (reconcile)", prices.listPer1000(), perDay);
        total += request(rows, S3Meters.Kind.PUT, "PUT (accounts, user data, caches)", prices.putPer1000(), perDay);
        total += request(rows, S3Meters.Kind.DELETE, "DELETE (free)", 0, perDay);
        double read = count(S3Meters.READ_BYTES, null, null);
        total += row(rows, "retrieval", "retrieval, bytes read from Standard-IA", read, read * perDay, "GB",
            prices.retrievalPerGb(), read * perDay / GB * prices.retrievalPerGb());
        double s3Links = count(S3Meters.LINKS, S3Meters.TARGET, S3Meters.TARGET_S3);
        total += row(rows, "redirect_s3", "redirects to S3 (at least one GET each, estimated)", s3Links,
            s3Links * perDay, "1,000 requests", prices.getPer1000(), s3Links * perDay / 1000 * prices.getPer1000());
        double s3LinkBytes = count(S3Meters.LINK_BYTES, S3Meters.TARGET, S3Meters.TARGET_S3);
        total += row(rows, "redirect_s3_retrieval", "redirects to S3, bytes they grant (retrieval, estimated)",
            s3LinkBytes, s3LinkBytes * perDay, "GB", prices.retrievalPerGb(),
            s3LinkBytes * perDay / GB * prices.retrievalPerGb());
        double edgeLinks = count(S3Meters.LINKS, S3Meters.TARGET, S3Meters.TARGET_CLOUDFRONT);
        row(rows, "redirect_cloudfront", "redirects to CloudFront (S3 is read on an edge miss only; not priced here)",
            edgeLinks, edgeLinks * perDay, "request", 0, 0);
        if (stored == null) {
            rows.add(new JsonObject().put("kind", "storage").put("item", "storage (library size unknown now)")
                .putNull("count").putNull("perDay").put("unit", "GB-month").put("unitPrice", prices.storagePerGbMonth())
                .putNull("dollarsPerDay"));
        } else {
            total += row(rows, "storage", "storage, the library's bytes (catalog)", stored, stored, "GB-month",
                prices.storagePerGbMonth(), stored / GB * prices.storagePerGbMonth() / DAYS_PER_MONTH);
        }
        return new JsonObject()
            .put("currency", "USD")
            .put("since", since.toString())
            .put("measuredSeconds", measured.toSeconds())
            .put("scope", "this server process; Prometheus sums s3music_s3_requests_total over instances")
            .put("prices", new JsonObject(new java.util.LinkedHashMap<>(prices.asMap())))
            .put("rows", rows)
            .put("totalDollarsPerDay", round(total));
    }

    private double request(JsonArray rows, S3Meters.Kind kind, String item, double per1000, double perDay) {
        double n = count(S3Meters.REQUESTS, S3Meters.KIND, kind.tag());
        return row(rows, kind.tag(), item, n, n * perDay, "1,000 requests", per1000, n * perDay / 1000 * per1000);
    }

    private static double row(JsonArray rows, String kind, String item, double count, double perDay, String unit,
                              double unitPrice, double dollarsPerDay) {
        rows.add(new JsonObject().put("kind", kind).put("item", item).put("count", (long) count)
            .put("perDay", Math.round(perDay)).put("unit", unit).put("unitPrice", unitPrice)
            .put("dollarsPerDay", round(dollarsPerDay)));
        return dollarsPerDay;
    }

    private double count(String name, String tag, String value) {
        var search = registry.find(name);
        if (tag != null) {
            search = search.tag(tag, value);
        }
        double sum = 0;
        for (Counter c : search.counters()) {
            sum += c.count();
        }
        return sum;
    }

    /** Dollars to a millionth: small libraries cost fractions of a cent a day. */
    static double round(double dollars) {
        return Math.round(dollars * 1_000_000) / 1_000_000.0;
    }
}
