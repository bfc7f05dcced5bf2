package dev.s3music.s3;

import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.model.port.DocumentStore;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

/** The document contract on S3Proxy (filesystem-nio2, as the embedded server runs it); each test its own prefix. */
class S3DocumentStoreContractTest extends DocumentStoreContractTest {

    private static final String BUCKET = "music";

    @TempDir
    static Path base;
    static EmbeddedS3 s3;
    static Vertx vertx;

    private S3ObjectStore store;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = EmbeddedS3.onFolder(base, "127.0.0.1", 0);
        s3.createBucket(BUCKET);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopS3() throws Exception {
        vertx.close().await();
        s3.close();
    }

    @Override
    protected DocumentStore newStore() {
        store = S3ObjectStore.create(vertx, S3TestSupport.config(s3, BUCKET, s3.endpoint()));
        return store.documents(".s3music/test-" + UUID.randomUUID() + "/");
    }

    @AfterEach
    void closeStore() {
        store.close();
    }
}
