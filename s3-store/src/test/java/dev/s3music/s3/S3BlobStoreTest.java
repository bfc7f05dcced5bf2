package dev.s3music.s3;

import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.model.DomainException;
import dev.s3music.model.port.BlobStore;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.s3music.s3.DocumentStoreContractTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** {@link S3ObjectStore#blobs}: binary objects under a reserved prefix, on S3Proxy. */
@ExtendWith(VertxExtension.class)
class S3BlobStoreTest {

    @TempDir
    static Path base;
    static EmbeddedS3 s3;
    static S3ObjectStore store;

    @BeforeAll
    static void start(Vertx vertx) throws Exception {
        s3 = EmbeddedS3.onFolder(base, "127.0.0.1", 0);
        s3.createBucket("music");
        store = S3ObjectStore.create(vertx, S3TestSupport.config(s3, "music", s3.endpoint()));
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        s3.close();
    }

    @Test
    void putsAndGetsBytesUnderThePrefixAndAMissingOneIsNull() {
        BlobStore blobs = store.blobs(".s3music/art/");
        byte[] bytes = S3TestSupport.randomBytes(300_000, 4);
        assertThat(await(blobs.get("a/64-x.jpg"))).isNull();
        await(blobs.put("a/64-x.jpg", Buffer.buffer(bytes), "image/jpeg"));
        assertThat(await(blobs.get("a/64-x.jpg")).getBytes()).isEqualTo(bytes);
        assertThat(await(store.head(".s3music/art/a/64-x.jpg")).size()).isEqualTo(bytes.length);
        // replaced unconditionally
        await(blobs.put("a/64-x.jpg", Buffer.buffer(new byte[]{9}), "image/jpeg"));
        assertThat(await(blobs.get("a/64-x.jpg")).getBytes()).containsExactly(9);
    }

    @Test
    void refusesABodyOverTheBoundBeforeSending() {
        Throwable t = catchThrowable(() -> await(store.blobs(".s3music/art/").put("big.jpg",
            Buffer.buffer(new byte[BlobStore.MAX_BYTES + 1]), "image/jpeg")));
        assertThat(DomainException.is(t, DomainException.Kind.INVALID) || DomainException.is(t.getCause(),
            DomainException.Kind.INVALID)).as(String.valueOf(t)).isTrue();
    }
}
