package dev.s3music.s3;

import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.model.ByteRange;
import dev.s3music.model.DomainException;
import dev.s3music.model.port.DocumentStore;
import io.vertx.core.json.JsonObject;
import dev.s3music.model.ObjectInfo;
import dev.s3music.model.port.ObjectBody;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class S3ObjectStoreTest {

    private static final String BUCKET = "music";
    private static final String KEY = "Miles Davis/Kind of Blue/01 - So What.mp3";
    private static final byte[] CONTENT = S3TestSupport.randomBytes(300_000, 1);
    /** Keys that break naive URL handling. */
    private static final List<String> ODD_KEYS = List.of(
        "A B/C D/01 space name.mp3",
        "Björk/Homogenic/02 Jóga – ünïcödé 日本.flac",
        "AC+DC/1+1=2/03 a+b.ogg",
        "100%/50% off/04 %41%2F.m4a",
        "Hash#Tag/Q?uery/05 what? #1.mp3",
        "Guns N' Roses/Appetite/06 Sweet Child o' Mine.mp3",
        "Weird/chars/07 &=;,$@!()[]{}~.opus");

    @TempDir
    static Path base;
    static EmbeddedS3 s3;
    static S3TestSupport support;
    static String etag;

    S3ObjectStore store;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = EmbeddedS3.onFolder(base, "127.0.0.1", 0);
        s3.createBucket(BUCKET);
        support = new S3TestSupport(s3, BUCKET);
        etag = support.put(KEY, CONTENT);
        for (int i = 0; i < ODD_KEYS.size(); i++) {
            support.put(ODD_KEYS.get(i), S3TestSupport.randomBytes(1000 + i, 100 + i));
        }
        // a file put in the folder by hand: S3Proxy serves it without any ETag
        Path hand = base.resolve(BUCKET).resolve("Hand/Placed/08 by hand.wav");
        Files.createDirectories(hand.getParent());
        Files.write(hand, "RIFF-by-hand".getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stopS3() throws Exception {
        support.close();
        s3.close();
    }

    @BeforeEach
    void createStore(Vertx vertx) {
        store = S3ObjectStore.create(vertx, S3TestSupport.config(s3, BUCKET, s3.endpoint()));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void headReturnsSizeEtagAndLastModified(VertxTestContext tc) {
        store.head(KEY).onComplete(tc.succeeding(info -> tc.verify(() -> {
            assertThat(info.key()).isEqualTo(KEY);
            assertThat(info.size()).isEqualTo(CONTENT.length);
            assertThat(info.etag()).isEqualTo(etag).doesNotContain("\"");
            assertThat(info.lastModified()).isBefore(Instant.now().plusSeconds(5));
            tc.completeNow();
        })));
    }

    @Test
    void headOfMissingKeyIsNotFound(VertxTestContext tc) {
        store.head("nope/nope/missing.mp3").onComplete(tc.failing(t -> tc.verify(() -> {
            assertThat(t).isInstanceOf(DomainException.class);
            assertThat(((DomainException) t).kind()).isEqualTo(DomainException.Kind.NOT_FOUND);
            tc.completeNow();
        })));
    }

    @Test
    void documentsRoundTripUnderTheirPrefixAndAMissingOneIsNull(VertxTestContext tc) {
        DocumentStore docs = store.documents(".s3music/cache/");
        JsonObject doc = new JsonObject().put("name", "Sigur Rós").put("id", 42);
        docs.get("discogs/artist/missing.json")
            .compose(missing -> {
                tc.verify(() -> assertThat(missing).isNull());
                return docs.put("discogs/artist/42.json", doc);
            })
            .compose(v -> docs.get("discogs/artist/42.json"))
            .compose(read -> {
                tc.verify(() -> assertThat(read.value()).isEqualTo(doc));
                return store.head(".s3music/cache/discogs/artist/42.json");
            })
            .compose(info -> {
                tc.verify(() -> assertThat(info.size()).isEqualTo(doc.toBuffer().length()));
                // the worker's readiness probe: a listing of its prefix only
                return store.checkPrefix(".s3music/cache/");
            })
            .onComplete(tc.succeeding(v -> tc.completeNow()));
    }

    @Test
    void readReturnsExactlyTheRequestedRange(VertxTestContext tc) {
        store.read(KEY, new ByteRange(1000, 1999)).onComplete(tc.succeeding(buf -> tc.verify(() -> {
            assertThat(buf.getBytes()).isEqualTo(Arrays.copyOfRange(CONTENT, 1000, 2000));
            tc.completeNow();
        })));
    }

    @Test
    void readRefusesLargeRanges(VertxTestContext tc) {
        store.read(KEY, new ByteRange(0, S3ObjectStore.MAX_READ_BYTES)).onComplete(tc.failing(t -> tc.verify(() -> {
            assertThat(DomainException.is(t, DomainException.Kind.INVALID)).isTrue();
            tc.completeNow();
        })));
    }

    @Test
    void listPagesThroughEveryKey(VertxTestContext tc) {
        List<ObjectInfo> all = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        listFrom(null, all, pageSizes, 0).onComplete(tc.succeeding(v -> tc.verify(() -> {
            Set<String> keys = new HashSet<>();
            all.forEach(o -> keys.add(o.key()));
            assertThat(keys).contains(KEY, "Hand/Placed/08 by hand.wav").containsAll(ODD_KEYS);
            assertThat(all).hasSize(keys.size());
            assertThat(pageSizes).allMatch(n -> n <= 3);
            assertThat(pageSizes.size()).isGreaterThan(2);
            ObjectInfo main = all.stream().filter(o -> o.key().equals(KEY)).findFirst().orElseThrow();
            assertThat(main.size()).isEqualTo(CONTENT.length);
            assertThat(main.etag()).isEqualTo(etag);
            tc.completeNow();
        })));
    }

    private Future<Void> listFrom(String token, List<ObjectInfo> all, List<Integer> sizes, int pages) {
        if (pages > 50) {
            return Future.failedFuture("too many pages");
        }
        return store.list(token, 3).compose(page -> {
            all.addAll(page.objects());
            sizes.add(page.objects().size());
            return page.nextToken() == null ? Future.succeededFuture() : listFrom(page.nextToken(), all, sizes, pages + 1);
        });
    }

    @Test
    void openStreamsTheWholeObject(VertxTestContext tc) {
        store.open(KEY, null, null)
            .compose(body -> {
                assertThat(body.contentLength()).isEqualTo(CONTENT.length);
                return S3TestSupport.readAll(body.stream(), CONTENT.length);
            })
            .onComplete(tc.succeeding(buf -> tc.verify(() -> {
                assertThat(buf.getBytes()).isEqualTo(CONTENT);
                tc.completeNow();
            })));
    }

    @Test
    void openStreamsRequestedRangeOnly(VertxTestContext tc) {
        ByteRange range = new ByteRange(123_456, 223_455);
        store.open(KEY, range, etag)
            .compose(body -> {
                assertThat(body.contentLength()).isEqualTo(range.length());
                return S3TestSupport.readAll(body.stream(), range.length());
            })
            .onComplete(tc.succeeding(buf -> tc.verify(() -> {
                assertThat(buf.getBytes()).isEqualTo(Arrays.copyOfRange(CONTENT, 123_456, 223_456));
                tc.completeNow();
            })));
    }

    @Test
    void openOfMissingKeyIsNotFound(VertxTestContext tc) {
        store.open("nope/missing.flac", new ByteRange(0, 10), null).onComplete(tc.failing(t -> tc.verify(() -> {
            assertThat(DomainException.is(t, DomainException.Kind.NOT_FOUND)).as(t.toString()).isTrue();
            tc.completeNow();
        })));
    }

    @Test
    void openWithStaleEtagIsPreconditionFailed(VertxTestContext tc) {
        store.open(KEY, null, "\"0123456789abcdef0123456789abcdef\"").onComplete(tc.failing(t -> tc.verify(() -> {
            assertThat(DomainException.is(t, DomainException.Kind.PRECONDITION_FAILED)).as(t.toString()).isTrue();
            tc.completeNow();
        })));
    }

    @Test
    void openAcceptsQuotedOrBareEtag(VertxTestContext tc) {
        ByteRange r = new ByteRange(0, 9);
        store.open(KEY, r, etag).compose(b -> S3TestSupport.readAll(b.stream(), 10))
            .compose(x -> store.open(KEY, r, "\"" + etag + "\"")).compose(b -> S3TestSupport.readAll(b.stream(), 10))
            .onComplete(tc.succeeding(buf -> tc.verify(() -> {
                assertThat(buf.getBytes()).isEqualTo(Arrays.copyOfRange(CONTENT, 0, 10));
                tc.completeNow();
            })));
    }

    @Test
    void oddKeysRoundTripThroughHeadReadAndOpen(VertxTestContext tc) {
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < ODD_KEYS.size(); i++) {
            String key = ODD_KEYS.get(i);
            byte[] expected = S3TestSupport.randomBytes(1000 + i, 100 + i);
            chain = chain
                .compose(v -> store.head(key)).map(info -> {
                    assertThat(info.size()).as(key).isEqualTo(expected.length);
                    return null;
                })
                .compose(v -> store.read(key, new ByteRange(10, 19))).map(buf -> {
                    assertThat(buf.getBytes()).as(key).isEqualTo(Arrays.copyOfRange(expected, 10, 20));
                    return null;
                })
                .compose(v -> store.open(key, new ByteRange(5, expected.length - 1), null))
                .compose(body -> S3TestSupport.readAll(body.stream(), expected.length)).map(buf -> {
                    assertThat(buf.getBytes()).as(key).isEqualTo(Arrays.copyOfRange(expected, 5, expected.length));
                    return null;
                });
        }
        chain.onComplete(tc.succeedingThenComplete());
    }

    @Test
    void handPlacedFileWithoutEtagIsServed(VertxTestContext tc) {
        String key = "Hand/Placed/08 by hand.wav";
        store.head(key)
            .compose(info -> {
                assertThat(info.etag()).isNull();
                assertThat(info.size()).isEqualTo(12);
                return store.open(key, null, null);
            })
            .compose(body -> S3TestSupport.readAll(body.stream(), 100))
            .onComplete(tc.succeeding(buf -> tc.verify(() -> {
                assertThat(buf.toString()).isEqualTo("RIFF-by-hand");
                tc.completeNow();
            })));
    }

    @Test
    void checkSucceedsForTheBucketAndFailsTransientlyWithoutIt(Vertx vertx, VertxTestContext tc) {
        S3ObjectStore missing = S3ObjectStore.create(vertx, S3TestSupport.config(s3, "no-such-bucket", s3.endpoint()));
        store.check()
            .compose(v -> missing.check())
            .onComplete(tc.failing(t -> tc.verify(() -> {
                missing.close();
                assertThat(DomainException.is(t, DomainException.Kind.TRANSIENT)).as(t.toString()).isTrue();
                tc.completeNow();
            })));
    }

    @Test
    void unreachableStoreIsTransient(Vertx vertx, VertxTestContext tc) {
        S3ObjectStore down = S3ObjectStore.create(vertx, S3TestSupport.config(s3, BUCKET, URI.create("http://127.0.0.1:1")));
        down.open(KEY, null, null).onComplete(tc.failing(t -> tc.verify(() -> {
            down.close();
            assertThat(DomainException.is(t, DomainException.Kind.TRANSIENT)).as(t.toString()).isTrue();
            tc.completeNow();
        })));
    }

    @Test
    void callbacksComeBackOnTheCallersContext(Vertx vertx, VertxTestContext tc) {
        Context context = vertx.getOrCreateContext();
        context.runOnContext(v -> {
            List<Future<?>> calls = List.of(
                store.head(KEY).andThen(ar -> assertOn(context, tc)),
                store.head("missing.mp3").recover(t -> Future.succeededFuture()).andThen(ar -> assertOn(context, tc)),
                store.read(KEY, new ByteRange(0, 9)).andThen(ar -> assertOn(context, tc)),
                store.list(null, 2).andThen(ar -> assertOn(context, tc)),
                store.check().andThen(ar -> assertOn(context, tc)),
                store.open(KEY, new ByteRange(0, 99), etag).andThen(ar -> assertOn(context, tc))
                    .compose(b -> {
                        Future<Buffer> all = S3TestSupport.readAll(b.stream(), 100);
                        return all.andThen(ar -> assertOn(context, tc));
                    }));
            Future.all(calls).onComplete(tc.succeedingThenComplete());
        });
    }

    private static void assertOn(Context expected, VertxTestContext tc) {
        if (Vertx.currentContext() != expected) {
            tc.failNow(new AssertionError("callback on " + Vertx.currentContext() + ", not the caller's " + expected));
        }
    }

    @Test
    void cancelStopsTheTransfer(Vertx vertx, VertxTestContext tc) throws Exception {
        String big = "Big/Object/01 long.flac";
        int size = 48 * 1024 * 1024;
        support.put(big, S3TestSupport.randomBytes(size, 7));
        CountingTcpProxy proxy = vertx.executeBlocking(() -> null).compose(x ->
            CountingTcpProxy.start(vertx, "127.0.0.1", s3.endpoint().getPort())).await(5, TimeUnit.SECONDS);
        S3ObjectStore viaProxy = S3ObjectStore.create(vertx,
            S3TestSupport.config(s3, BUCKET, URI.create("http://127.0.0.1:" + proxy.port())));
        viaProxy.open(big, null, null).onComplete(tc.succeeding(body -> {
            long[] received = {0};
            body.stream().handler(buf -> {
                received[0] += buf.length();
                if (received[0] >= 256 * 1024) {
                    body.stream().pause();
                    body.cancel();
                }
            });
            body.stream().resume();
            waitUntil(vertx, () -> proxy.openUpstream() == 0, 100).onComplete(tc.succeeding(v -> {
                long after = proxy.bytesFromServer();
                vertx.setTimer(300, t -> tc.verify(() -> {
                    assertThat(proxy.bytesFromServer()).as("no byte after the connection closed").isEqualTo(after);
                    assertThat(after).as("bytes S3 sent of %d", size).isLessThan(size / 4);
                    viaProxy.close();
                    proxy.close();
                    tc.completeNow();
                }));
            }));
        }));
        assertThat(tc.awaitCompletion(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void pausedStreamStopsReadingFromS3(Vertx vertx, VertxTestContext tc) throws Exception {
        String big = "Big/Object/02 paused.flac";
        int size = 32 * 1024 * 1024;
        support.put(big, S3TestSupport.randomBytes(size, 8));
        CountingTcpProxy proxy = CountingTcpProxy.start(vertx, "127.0.0.1", s3.endpoint().getPort()).await(5, TimeUnit.SECONDS);
        S3ObjectStore viaProxy = S3ObjectStore.create(vertx,
            S3TestSupport.config(s3, BUCKET, URI.create("http://127.0.0.1:" + proxy.port())));
        viaProxy.open(big, null, null).onComplete(tc.succeeding(body -> {
            long[] received = {0};
            body.stream().handler(buf -> {
                received[0] += buf.length();
                if (received[0] >= 128 * 1024) {
                    body.stream().pause(); // a player that stops reading
                }
            });
            body.stream().resume();
            // once the socket buffers are full, S3 sends nothing more: the count settles far below the size
            vertx.setTimer(500, t1 -> {
                long first = proxy.bytesFromServer();
                vertx.setTimer(500, t2 -> tc.verify(() -> {
                    assertThat(proxy.bytesFromServer()).isEqualTo(first);
                    assertThat(first).isLessThan(size / 4);
                    assertThat(received[0]).isLessThan(256 * 1024);
                    body.cancel();
                    viaProxy.close();
                    proxy.close();
                    tc.completeNow();
                }));
            });
        }));
        assertThat(tc.awaitCompletion(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void streamReadToItsEndReturnsItsConnectionToThePool(Vertx vertx, VertxTestContext tc) {
        CountingTcpProxy.start(vertx, "127.0.0.1", s3.endpoint().getPort()).onComplete(tc.succeeding(proxy -> {
            S3ObjectStore viaProxy = S3ObjectStore.create(vertx,
                S3TestSupport.config(s3, BUCKET, URI.create("http://127.0.0.1:" + proxy.port())));
            Future<Void> chain = Future.succeededFuture();
            for (int i = 0; i < 5; i++) {
                chain = chain.compose(v -> viaProxy.open(KEY, new ByteRange(0, 999), null))
                    .compose(b -> S3TestSupport.readAll(b.stream(), 1000)).mapEmpty();
            }
            chain.onComplete(tc.succeeding(v -> tc.verify(() -> {
                // the next open starts inside the end callback of the previous stream, a moment before its
                // connection is back in the pool: so two connections take turns, never five
                assertThat(proxy.connections()).isLessThanOrEqualTo(2);
                viaProxy.close();
                proxy.close();
                tc.completeNow();
            })));
        }));
    }

    @Test
    void keepAliveConnectionClosedByTheServerIsReplaced(Vertx vertx, VertxTestContext tc) {
        CountingTcpProxy.start(vertx, "127.0.0.1", s3.endpoint().getPort()).onComplete(tc.succeeding(proxy -> {
            S3ObjectStore viaProxy = S3ObjectStore.create(vertx,
                S3TestSupport.config(s3, BUCKET, URI.create("http://127.0.0.1:" + proxy.port())));
            ByteRange r = new ByteRange(0, 999);
            vertx.getOrCreateContext().runOnContext(x -> viaProxy.open(KEY, r, null)
                .compose(b -> S3TestSupport.readAll(b.stream(), 1000))
                .compose(first -> {
                    proxy.dropConnections(); // the pooled connection dies; the next open must not fail for it
                    return viaProxy.open(KEY, r, null);
                })
                .compose(b -> S3TestSupport.readAll(b.stream(), 1000))
                .onComplete(tc.succeeding(buf -> tc.verify(() -> {
                    assertThat(buf.getBytes()).isEqualTo(Arrays.copyOfRange(CONTENT, 0, 1000));
                    assertThat(proxy.connections()).isEqualTo(2);
                    viaProxy.close();
                    proxy.close();
                    tc.completeNow();
                }))));
        }));
    }

    /** Polls a condition every 20 ms, at most {@code maxTries} times. */
    static Future<Void> waitUntil(Vertx vertx, java.util.function.BooleanSupplier condition, int maxTries) {
        if (condition.getAsBoolean()) {
            return Future.succeededFuture();
        }
        if (maxTries <= 0) {
            return Future.failedFuture("condition not met in time");
        }
        io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
        vertx.setTimer(20, t -> waitUntil(vertx, condition, maxTries - 1).onComplete(p));
        return p.future();
    }
}
