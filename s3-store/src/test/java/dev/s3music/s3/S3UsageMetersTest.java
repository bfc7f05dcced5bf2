package dev.s3music.s3;

import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.model.ByteRange;
import dev.s3music.model.cost.S3Meters;
import dev.s3music.model.port.DocumentStore;
import dev.s3music.model.port.ObjectBody;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The S3 usage meters against S3Proxy: each call of the adapter counts the requests it really sends, by kind, and the
 * body bytes it reads; a signed link counts as a link, not as a request.
 */
@ExtendWith(VertxExtension.class)
class S3UsageMetersTest {

    private static final String BUCKET = "music";
    private static final String KEY = "Sonny Rollins/Saxophone Colossus/01 - St. Thomas.mp3";
    private static final byte[] CONTENT = S3TestSupport.randomBytes(200_000, 5);

    @TempDir
    static Path base;
    static EmbeddedS3 s3;
    static S3TestSupport uploads;
    static S3ObjectStore store;
    static SimpleMeterRegistry registry;

    @BeforeAll
    static void start(Vertx vertx) throws Exception {
        s3 = EmbeddedS3.onFolder(base, "127.0.0.1", 0);
        s3.createBucket(BUCKET);
        uploads = new S3TestSupport(s3, BUCKET);
        uploads.put(KEY, CONTENT);
        registry = new SimpleMeterRegistry();
        store = S3ObjectStore.create(vertx, S3TestSupport.config(s3, BUCKET, s3.endpoint()), registry);
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        uploads.close();
        s3.close();
    }

    private static Map<S3Meters.Kind, Double> requests() {
        Map<S3Meters.Kind, Double> m = new EnumMap<>(S3Meters.Kind.class);
        for (S3Meters.Kind k : S3Meters.Kind.values()) {
            m.put(k, registry.get(S3Meters.REQUESTS).tag(S3Meters.KIND, k.tag()).counter().count());
        }
        return m;
    }

    private static double read() {
        return registry.get(S3Meters.READ_BYTES).counter().count();
    }

    private static void assertOneMore(Map<S3Meters.Kind, Double> before, S3Meters.Kind kind) {
        Map<S3Meters.Kind, Double> after = requests();
        for (S3Meters.Kind k : S3Meters.Kind.values()) {
            assertThat(after.get(k) - before.get(k)).as(k.tag()).isEqualTo(k == kind ? 1.0 : 0.0);
        }
    }

    @Test
    void eachCallCountsTheRequestItSendsAndTheBytesItReads() {
        var before = requests();
        double bytes = read();
        store.head(KEY).await();
        assertOneMore(before, S3Meters.Kind.HEAD);

        before = requests();
        store.read(KEY, new ByteRange(10, 1009)).await();
        assertOneMore(before, S3Meters.Kind.GET_RANGED);
        assertThat(read() - bytes).isEqualTo(1000);

        before = requests();
        bytes = read();
        ObjectBody whole = store.open(KEY, null, null).await();
        assertThat(S3TestSupport.readAll(whole.stream(), CONTENT.length + 1).await().length()).isEqualTo(CONTENT.length);
        assertOneMore(before, S3Meters.Kind.GET_FULL);
        assertThat(read() - bytes).isEqualTo(CONTENT.length);

        before = requests();
        bytes = read();
        ObjectBody ranged = store.open(KEY, new ByteRange(0, 4999), null).await();
        assertThat(S3TestSupport.readAll(ranged.stream(), 10_000).await().length()).isEqualTo(5000);
        assertOneMore(before, S3Meters.Kind.GET_RANGED);
        assertThat(read() - bytes).isEqualTo(5000);

        before = requests();
        store.list(null, 10).await();
        assertOneMore(before, S3Meters.Kind.LIST);

        DocumentStore docs = store.documents(".s3music/meters/");
        before = requests();
        docs.put("a.json", new JsonObject().put("n", 1)).await();
        assertOneMore(before, S3Meters.Kind.PUT);
        before = requests();
        docs.delete("a.json").await();
        assertOneMore(before, S3Meters.Kind.DELETE);
    }

    @Test
    void aSignedLinkIsCountedAsALinkWithItsBytesNotAsARequest() {
        var before = requests();
        double links = registry.get(S3Meters.LINKS).tag(S3Meters.TARGET, S3Meters.TARGET_S3).counter().count();
        store.links(Duration.ofMinutes(1)).signedGet(KEY, "audio/mpeg", CONTENT.length).await();
        assertOneMore(before, null);
        assertThat(registry.get(S3Meters.LINKS).tag(S3Meters.TARGET, S3Meters.TARGET_S3).counter().count())
            .isEqualTo(links + 1);
        assertThat(registry.get(S3Meters.LINK_BYTES).tag(S3Meters.TARGET, S3Meters.TARGET_S3).counter().count())
            .isGreaterThanOrEqualTo(CONTENT.length);
    }
}
