package dev.s3music.accounts;

import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.model.port.DocumentStore;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3TestSupport;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

/** The account documents on S3Proxy (filesystem-nio2, atomic If-None-Match / If-Match), each test its own prefix. */
class S3AccountDocumentsTest extends AccountDocumentsContractTest {

    private static final String BUCKET = "music";

    @TempDir
    static Path base;
    static EmbeddedS3 s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = EmbeddedS3.onFolder(base, "127.0.0.1", 0);
        s3.createBucket(BUCKET);
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @Override
    protected DocumentStore newStore(Vertx vertx) {
        // closed with its Vert.x by the suite's tearDown
        S3ObjectStore objects = S3ObjectStore.create(vertx, S3TestSupport.config(s3, BUCKET, s3.endpoint()));
        return objects.documents(".s3music/t-" + UUID.randomUUID() + "/");
    }
}
