package dev.s3music.metadata;

import dev.s3music.fakediscogs.FakeDiscogs;
import dev.s3music.metadata.discogs.DiscogsAdapter;
import dev.s3music.metadata.discogs.DiscogsClient;
import dev.s3music.metadata.discogs.DiscogsConfig;
import dev.s3music.metadata.discogs.PermitGate;
import dev.s3music.metadata.memory.InMemoryRateLimiter;
import dev.s3music.model.DomainException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class DiscogsClientTest {

    private FakeDiscogs fake;
    private WebClient web;
    private InMemoryRateLimiter limiter;

    @BeforeEach
    void start(Vertx vertx, VertxTestContext ctx) {
        web = WebClient.create(vertx);
        limiter = new InMemoryRateLimiter(1000, Duration.ofSeconds(1), Duration.ZERO);
        FakeDiscogs.start(vertx).onComplete(ctx.succeeding(f -> {
            fake = f;
            fake.rateLimit(100_000);
            ctx.completeNow();
        }));
    }

    @AfterEach
    void stop() {
        web.close();
    }

    private DiscogsClient client(Vertx vertx, DiscogsConfig cfg) {
        return new DiscogsClient(vertx, web, cfg, PermitGate.unlimited(), limiter);
    }

    private DiscogsConfig cfg(String token) {
        return DiscogsConfig.of(fake.baseUrl(), token, 60, Duration.ofSeconds(60))
            .withBackoff(Duration.ofMillis(10), Duration.ofMillis(40)).withTimeout(Duration.ofSeconds(5));
    }

    @Test
    void sendsTheTokenAndADescriptiveUserAgent(Vertx vertx, VertxTestContext ctx) {
        client(vertx, cfg("secret")).get("/artists/29735", Map.of()).onComplete(ctx.succeeding(j -> ctx.verify(() -> {
            FakeDiscogs.Call call = fake.calls().get(0);
            assertThat(call.authorization()).isEqualTo("Discogs token=secret");
            assertThat(call.userAgent()).startsWith("S3MusicServer/").contains("+https://");
            assertThat(call.userAgent()).doesNotContain("${");
            assertThat(cfg("secret").toString()).doesNotContain("secret");
            ctx.completeNow();
        })));
    }

    @Test
    void answersNotFoundOn404WithoutRetrying(Vertx vertx, VertxTestContext ctx) {
        client(vertx, cfg("t")).get("/releases/1", Map.of()).onComplete(ctx.failing(e -> ctx.verify(() -> {
            assertThat(DomainException.is(e, DomainException.Kind.NOT_FOUND)).isTrue();
            assertThat(fake.calls()).hasSize(1);
            ctx.completeNow();
        })));
    }

    @Test
    void survivesA429StormWithinItsRetriesAndPausesTheCluster(Vertx vertx, VertxTestContext ctx) {
        fake.failNext(429, 2);
        fake.failNext(500, 1);
        Context caller = vertx.getOrCreateContext();
        caller.runOnContext(v -> new DiscogsAdapter(client(vertx, cfg("t"))).artist(29735)
            .onComplete(ctx.succeeding(a -> ctx.verify(() -> {
                assertThat(Vertx.currentContext()).isSameAs(caller);
                assertThat(a.name()).isEqualTo("Coldplay");
                assertThat(fake.calls()).extracting(FakeDiscogs.Call::status).containsExactly(429, 429, 500, 200);
                ctx.completeNow();
            }))));
    }

    @Test
    void givesUpAfterBoundedRetriesAsTransient(Vertx vertx, VertxTestContext ctx) {
        fake.failNext(500, 10);
        client(vertx, cfg("t")).get("/artists/29735", Map.of()).onComplete(ctx.failing(e -> ctx.verify(() -> {
            assertThat(DomainException.is(e, DomainException.Kind.TRANSIENT)).isTrue();
            assertThat(fake.calls()).hasSize(4); // 1 + 3 retries
            ctx.completeNow();
        })));
    }

    @Test
    void timesOutSlowAnswers(Vertx vertx, VertxTestContext ctx) {
        fake.latency(Duration.ofSeconds(2));
        client(vertx, cfg("t").withRetries(0).withTimeout(Duration.ofMillis(200))).get("/artists/29735", Map.of())
            .onComplete(ctx.failing(e -> ctx.verify(() -> {
                assertThat(DomainException.is(e, DomainException.Kind.TRANSIENT)).isTrue();
                ctx.completeNow();
            })));
    }

    @Test
    void slowsTheClusterDownWhenDiscogsReportsNothingRemaining(Vertx vertx, VertxTestContext ctx) {
        fake.forceRemaining(0);
        client(vertx, cfg("t")).get("/artists/29735", Map.of())
            .compose(j -> limiter.tryAcquire())
            .onComplete(ctx.succeeding(grant -> ctx.verify(() -> {
                // one slot of 60 per minute
                assertThat(grant.granted()).isFalse();
                assertThat(grant.waitMillis()).isBetween(500L, 1000L);
                ctx.completeNow();
            })));
    }

    @Test
    void mapsFixturesToDomainRecordsKeepingSignedImageUrls(Vertx vertx, VertxTestContext ctx) {
        DiscogsAdapter adapter = new DiscogsAdapter(client(vertx, cfg("t")));
        Future.all(adapter.master(1521183), adapter.release(1287017), adapter.searchArtists("Coldplay"))
            .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
                dev.s3music.metadata.model.Details.Album master = all.resultAt(0);
                assertThat(master.images().get(0).uri()).startsWith("https://i.discogs.com/").contains("/rs:fit/");
                dev.s3music.metadata.model.Details.Album rel = all.resultAt(1);
                assertThat(rel.tracklist().get(2).type()).isEqualTo("index");
                assertThat(rel.tracklist().get(2).subTracks()).hasSize(4);
                assertThat(rel.images()).isEmpty();
                java.util.List<dev.s3music.metadata.model.Candidate> hits = all.resultAt(2);
                assertThat(hits).hasSize(10);
                ctx.completeNow();
            })));
    }
}
