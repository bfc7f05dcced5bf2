package dev.s3music.userdata;

import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.model.memory.InMemoryUserDataCache;
import dev.s3music.model.port.DocumentStore;
import dev.s3music.model.user.UserDataCache;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3TestSupport;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

/**
 * The suite on S3Proxy (filesystem-nio2, as the embedded server runs it), each instance with its own in-memory
 * cache: the stale-cache paths (a conditional write from a cached version another instance has replaced).
 */
class S3UserDataServiceTest extends UserDataServiceContractTest {

    private static final String BUCKET = "music";

    @TempDir
    static Path base;
    static EmbeddedS3 s3;
    static Vertx clients;
    static S3ObjectStore s3Store;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = EmbeddedS3.onFolder(base, "127.0.0.1", 0);
        s3.createBucket(BUCKET);
        clients = Vertx.vertx();
        s3Store = S3ObjectStore.create(clients, S3TestSupport.config(s3, BUCKET, s3.endpoint()));
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3Store.close();
        await(clients.close());
        s3.close();
    }

    @Override
    protected DocumentStore newStore() {
        return s3Store.documents(".s3music/test-" + UUID.randomUUID() + "/");
    }

    @Override
    protected UserDataCache newCache() {
        return new InMemoryUserDataCache();
    }
}
