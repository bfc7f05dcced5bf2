package dev.s3music.api.cost;

import dev.s3music.model.Song;
import dev.s3music.model.port.CatalogWriter;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The library's size in bytes, the sum of its songs' sizes: a walk over the catalog's keys and songs in pages
 * ({@link CatalogWriter#keys}, {@link CatalogWriter#songsByKey}; 100,000 songs is 100 pages of each), remembered for
 * {@link #REMEMBER} and walked by one caller at a time (the others share that walk). Storage changes slowly and the
 * panel is read rarely, so no counter has to be kept in every catalog write.
 */
public final class CatalogBytes implements Supplier<Future<Long>> {

    /** How long one walk's answer is served. */
    public static final Duration REMEMBER = Duration.ofMinutes(10);
    static final int PAGE = 1000;

    private final CatalogWriter catalog;
    private final Clock clock;
    private Future<Long> last;
    private Instant walkedAt = Instant.MIN;

    public CatalogBytes(CatalogWriter catalog, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public CatalogBytes(CatalogWriter catalog) {
        this(catalog, Clock.systemUTC());
    }

    @Override
    public synchronized Future<Long> get() {
        Instant now = clock.instant();
        boolean walking = last != null && !last.isComplete();
        boolean fresh = last != null && last.succeeded() && walkedAt.plus(REMEMBER).isAfter(now);
        if (!walking && !fresh) {
            walkedAt = now;
            Promise<Long> sum = Promise.promise();
            walk(null, 0, sum);
            last = sum.future();
        }
        return last;
    }

    private void walk(String cursor, long sum, Promise<Long> done) {
        catalog.keys(cursor, PAGE)
            .compose(page -> catalog.songsByKey(page.keys()).map(songs -> {
                long bytes = 0;
                for (Song s : songs.values()) {
                    bytes += Math.max(0, s.size());
                }
                return new Object[]{page.cursor(), bytes};
            }))
            .onFailure(done::fail)
            .onSuccess(step -> {
                long total = sum + (long) step[1];
                String next = (String) step[0];
                if (next == null) {
                    done.complete(total);
                } else {
                    walk(next, total, done);
                }
            });
    }
}
