package dev.s3music.api.cost;

import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.cost.S3Meters;
import dev.s3music.model.memory.InMemoryCatalog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The panel's arithmetic on hand-set meters and a hand-moved clock; the price table's parsing; the catalog walk. */
class CostPanelTest {

    static final double GB = 1024.0 * 1024 * 1024;

    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-11-30T12:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static JsonObject row(JsonObject panel, String kind) {
        return panel.getJsonArray("rows").stream().map(JsonObject.class::cast)
            .filter(r -> r.getString("kind").equals(kind)).findFirst().orElseThrow();
    }

    private static Counter counter(SimpleMeterRegistry r, String name, String tag, String value) {
        return Counter.builder(name).tag(tag, value).register(r);
    }

    @Test
    void extrapolatesTheMetersOfTheWindowToADayAtTheTablesPrices() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MovingClock clock = new MovingClock();
        S3Prices prices = S3Prices.parse("get=0.002,retrieval=0.01,storage=0.0125");
        CostPanel panel = new CostPanel(registry, prices, () -> Future.succeededFuture((long) (100 * GB)), clock);
        counter(registry, S3Meters.REQUESTS, S3Meters.KIND, "get_ranged").increment(500);
        counter(registry, S3Meters.REQUESTS, S3Meters.KIND, "get_full").increment(100);
        counter(registry, S3Meters.REQUESTS, S3Meters.KIND, "list").increment(10);
        Counter.builder(S3Meters.READ_BYTES).register(registry).increment(2 * GB);
        counter(registry, S3Meters.LINKS, S3Meters.TARGET, S3Meters.TARGET_S3).increment(50);
        counter(registry, S3Meters.LINK_BYTES, S3Meters.TARGET, S3Meters.TARGET_S3).increment(GB);
        counter(registry, S3Meters.LINKS, S3Meters.TARGET, S3Meters.TARGET_CLOUDFRONT).increment(7);
        clock.now = clock.now.plus(Duration.ofHours(6)); // a quarter of a day: everything times 4

        JsonObject p = panel.snapshot().result();
        assertThat(p.getString("currency")).isEqualTo("USD");
        assertThat(p.getLong("measuredSeconds")).isEqualTo(6 * 3600);
        assertThat(row(p, "get_ranged").getLong("count")).isEqualTo(500);
        assertThat(row(p, "get_ranged").getLong("perDay")).isEqualTo(2000);
        assertThat(row(p, "get_ranged").getDouble("dollarsPerDay")).isCloseTo(2000 / 1000.0 * 0.002, within(1e-9));
        assertThat(row(p, "get_full").getDouble("dollarsPerDay")).isCloseTo(400 / 1000.0 * 0.002, within(1e-9));
        assertThat(row(p, "list").getDouble("dollarsPerDay")).isCloseTo(40 / 1000.0 * 0.005, within(1e-9));
        assertThat(row(p, "head").getLong("count")).isZero();
        assertThat(row(p, "retrieval").getDouble("dollarsPerDay")).isCloseTo(8 * 0.01, within(1e-9));
        assertThat(row(p, "redirect_s3").getDouble("dollarsPerDay")).isCloseTo(200 / 1000.0 * 0.002, within(1e-9));
        assertThat(row(p, "redirect_s3_retrieval").getDouble("dollarsPerDay")).isCloseTo(4 * 0.01, within(1e-9));
        assertThat(row(p, "redirect_cloudfront").getLong("count")).isEqualTo(7);
        assertThat(row(p, "redirect_cloudfront").getDouble("dollarsPerDay")).isZero();
        double storage = 100 * 0.0125 / (730.0 / 24);
        assertThat(row(p, "storage").getDouble("dollarsPerDay")).isCloseTo(storage, within(1e-6));
        double total = 0.004 + 0.0008 + 0.0002 + 0.08 + 0.0004 + 0.04 + storage;
        assertThat(p.getDouble("totalDollarsPerDay")).isCloseTo(total, within(1e-5));
        assertThat(p.getJsonObject("prices").getDouble("get")).isEqualTo(0.002);
        assertThat(p.getJsonObject("prices").getDouble("head")).isEqualTo(0.001); // a default kept
    }

    @Test
    void aWindowUnderAMinuteCountsAsAMinuteAndAnUnknownStorageIsNoFailure() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MovingClock clock = new MovingClock();
        CostPanel panel = new CostPanel(registry, S3Prices.DEFAULTS,
            () -> Future.failedFuture(new IllegalStateException("redis down")), clock);
        counter(registry, S3Meters.REQUESTS, S3Meters.KIND, "head").increment(1);
        clock.now = clock.now.plusSeconds(1);
        JsonObject p = panel.snapshot().result();
        assertThat(row(p, "head").getLong("perDay")).isEqualTo(1440);
        assertThat(row(p, "storage").getValue("count")).isNull();
        assertThat(row(p, "storage").getValue("dollarsPerDay")).isNull();
    }

    @Test
    void thePriceTableTakesNamedOverridesAndRefusesAnythingElse() {
        assertThat(S3Prices.DEFAULTS.storagePerGbMonth()).isEqualTo(0.0125);
        assertThat(S3Prices.DEFAULTS.retrievalPerGb()).isEqualTo(0.01);
        assertThat(S3Prices.parse(" PUT = 0.0055 ").putPer1000()).isEqualTo(0.0055);
        assertThat(S3Prices.parse("").asMap()).isEqualTo(S3Prices.DEFAULTS.asMap());
        for (String bad : new String[]{"egress=0.09", "get", "get=cheap", "get=-1", "get=NaN", "get=1e9"}) {
            assertThatThrownBy(() -> S3Prices.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theLibrarySizeIsTheSumOfItsSongsWalkedOnceAndRemembered() {
        InMemoryCatalog catalog = new InMemoryCatalog();
        long sum = 0;
        for (int i = 0; i < 2500; i++) {
            long size = 1000L + i;
            sum += size;
            catalog.upsert(Song.of(SongKey.parse("A" + (i % 7) + "/B/" + i + " t.mp3").orElseThrow(), size, "e" + i,
                Instant.EPOCH)).result();
        }
        catalog.upsertArt("A1/B/cover.jpg", dev.s3music.model.port.CatalogWriter.Guard.none()).result();
        AtomicInteger walks = new AtomicInteger();
        MovingClock clock = new MovingClock();
        CatalogBytes bytes = new CatalogBytes(new dev.s3music.model.port.CatalogWriter() {
            // counts the walks: a first page asked for is a new walk
            @Override
            public Future<KeyPage> keys(String cursor, int count) {
                if (cursor == null) {
                    walks.incrementAndGet();
                }
                return catalog.keys(cursor, count);
            }

            @Override
            public Future<java.util.Map<String, Song>> songsByKey(java.util.Collection<String> keys) {
                return catalog.songsByKey(keys);
            }

            @Override
            public Future<Long> size() {
                return catalog.size();
            }

            @Override
            public Future<Boolean> upsert(Song song, Guard guard) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Future<Boolean> remove(String key, Guard guard) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Future<Boolean> upsertArt(String key, Guard guard) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Future<Long> clock() {
                return catalog.clock();
            }

            @Override
            public Future<PruneStep> pruneTombstones(String cursor, int count, long before) {
                throw new UnsupportedOperationException();
            }
        }, clock);
        assertThat(bytes.get().result()).isEqualTo(sum);
        assertThat(bytes.get().result()).isEqualTo(sum);
        assertThat(walks).hasValue(1);
        clock.now = clock.now.plus(CatalogBytes.REMEMBER).plusSeconds(1);
        assertThat(bytes.get().result()).isEqualTo(sum);
        assertThat(walks).hasValue(2);
    }
}
