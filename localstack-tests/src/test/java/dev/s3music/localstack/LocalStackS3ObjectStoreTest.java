package dev.s3music.localstack;

import dev.s3music.model.ByteRange;
import dev.s3music.model.DomainException;
import dev.s3music.model.ObjectInfo;
import dev.s3music.model.ObjectListing;
import dev.s3music.model.port.DocumentStore;
import dev.s3music.s3.S3Config;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3TestSupport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The S3 adapter of the ObjectStore and DocumentStore ports against LocalStack, a second S3 implementation beside
 * S3Proxy: the same expectations as s3-store's S3ObjectStoreTest for what both servers support (head, ranged reads,
 * paged listing, streamed opens with If-Match, keys that break naive URL handling, documents under a prefix).
 */
@LocalStackTest
class LocalStackS3ObjectStoreTest {

    private static final String BUCKET = "music-store";
    private static final String KEY = "Miles Davis/Kind of Blue/01 - So What.mp3";
    private static final byte[] CONTENT = S3TestSupport.randomBytes(300_000, 1);
    private static final List<String> ODD_KEYS = List.of(
        "A B/C D/01 space name.mp3",
        "Björk/Homogenic/02 Jóga – ünïcödé 日本.flac",
        "AC+DC/1+1=2/03 a+b.ogg",
        "100%/50% off/04 %41%2F.m4a",
        "Hash#Tag/Q?uery/05 what? #1.mp3",
        "Guns N' Roses/Appetite/06 Sweet Child o' Mine.mp3",
        "Weird/chars/07 &=;,$@!()[]{}~.opus");

    static S3Client s3;
    static Vertx vertx;
    static S3ObjectStore store;
    static String etag;

    @BeforeAll
    static void start() {
        s3 = LocalStack.s3();
        s3.createBucket(b -> b.bucket(BUCKET));
        etag = s3.putObject(b -> b.bucket(BUCKET).key(KEY), RequestBody.fromBytes(CONTENT)).eTag().replace("\"", "");
        for (int i = 0; i < ODD_KEYS.size(); i++) {
            String key = ODD_KEYS.get(i);
            byte[] content = S3TestSupport.randomBytes(1000 + i, 100 + i);
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(content));
        }
        vertx = Vertx.vertx();
        store = S3ObjectStore.create(vertx, S3Config.of(BUCKET, LocalStack.region(), LocalStack.endpoint().toString(),
            true, LocalStack.accessKey(), LocalStack.secretKey()));
    }

    @AfterAll
    static void stop() {
        if (store != null) {
            store.close();
        }
        if (vertx != null) {
            await(vertx.close());
        }
        if (s3 != null) {
            s3.close();
        }
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    @Test
    void headReturnsSizeEtagAndLastModified() {
        ObjectInfo info = await(store.head(KEY));
        assertThat(info.key()).isEqualTo(KEY);
        assertThat(info.size()).isEqualTo(CONTENT.length);
        assertThat(info.etag()).isEqualTo(etag).doesNotContain("\"");
        assertThat(info.lastModified()).isNotNull();
    }

    @Test
    void missingKeysAreNotFound() {
        assertThatThrownBy(() -> await(store.head("nope/nope/missing.mp3")))
            .matches(t -> DomainException.is(t, DomainException.Kind.NOT_FOUND), "NOT_FOUND");
        assertThatThrownBy(() -> await(store.open("nope/missing.flac", new ByteRange(0, 10), null)))
            .matches(t -> DomainException.is(t, DomainException.Kind.NOT_FOUND), "NOT_FOUND");
    }

    @Test
    void readAndOpenReturnExactlyTheRequestedRange() {
        assertThat(await(store.read(KEY, new ByteRange(100, 199))).getBytes())
            .isEqualTo(Arrays.copyOfRange(CONTENT, 100, 200));
        Buffer whole = await(store.open(KEY, null, null).compose(b -> S3TestSupport.readAll(b.stream(), CONTENT.length)));
        assertThat(whole.getBytes()).isEqualTo(CONTENT);
        Buffer tail = await(store.open(KEY, new ByteRange(250_000, CONTENT.length - 1), "\"" + etag + "\"")
            .compose(b -> S3TestSupport.readAll(b.stream(), CONTENT.length)));
        assertThat(tail.getBytes()).isEqualTo(Arrays.copyOfRange(CONTENT, 250_000, CONTENT.length));
    }

    @Test
    void openWithStaleEtagIsPreconditionFailed() {
        assertThatThrownBy(() -> await(store.open(KEY, null, "\"0123456789abcdef0123456789abcdef\"")))
            .matches(t -> DomainException.is(t, DomainException.Kind.PRECONDITION_FAILED), "PRECONDITION_FAILED");
    }

    @Test
    void listPagesThroughEveryKey() {
        List<String> keys = new ArrayList<>();
        String token = null;
        for (int page = 0; page < 20; page++) {
            ObjectListing listing = await(store.list(token, 3));
            assertThat(listing.objects().size()).isLessThanOrEqualTo(3);
            listing.objects().forEach(o -> keys.add(o.key()));
            token = listing.nextToken();
            if (token == null) {
                break;
            }
        }
        assertThat(token).as("listing ended within 20 pages").isNull();
        assertThat(keys).contains(KEY).containsAll(ODD_KEYS).doesNotHaveDuplicates();
    }

    @Test
    void oddKeysRoundTripThroughHeadReadAndOpen() {
        for (String key : ODD_KEYS) {
            int i = ODD_KEYS.indexOf(key);
            byte[] expected = S3TestSupport.randomBytes(1000 + i, 100 + i);
            assertThat(await(store.head(key)).size()).as(key).isEqualTo(expected.length);
            assertThat(await(store.read(key, new ByteRange(10, 19))).getBytes()).as(key)
                .isEqualTo(Arrays.copyOfRange(expected, 10, 20));
            assertThat(await(store.open(key, new ByteRange(5, expected.length - 1), null)
                .compose(b -> S3TestSupport.readAll(b.stream(), expected.length))).getBytes()).as(key)
                .isEqualTo(Arrays.copyOfRange(expected, 5, expected.length));
        }
    }

    @Test
    void documentsRoundTripUnderTheirPrefixAndAMissingOneIsNull() {
        DocumentStore docs = store.documents(".s3music/cache/");
        JsonObject doc = new JsonObject().put("name", "Sigur Rós").put("id", 42);
        assertThat(await(docs.get("discogs/artist/missing.json"))).isNull();
        await(docs.put("discogs/artist/42.json", doc));
        assertThat(await(docs.get("discogs/artist/42.json"))).isEqualTo(doc);
        assertThat(await(store.head(".s3music/cache/discogs/artist/42.json")).size()).isEqualTo(doc.toBuffer().length());
        await(store.checkPrefix(".s3music/cache/"));
        await(store.check());
    }
}
