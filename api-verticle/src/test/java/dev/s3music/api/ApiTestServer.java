package dev.s3music.api;

import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.model.Song;
import dev.s3music.model.SongKey;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.model.port.ObjectStore;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3TestSupport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.time.Instant;

/** S3Proxy over a folder, the real S3 adapter, an in-memory catalog, and the API on a free port. */
final class ApiTestServer {

    static final String BUCKET = "music";

    final EmbeddedS3 s3;
    final S3TestSupport uploads;
    final Path base;

    ApiTestServer(Path base) throws Exception {
        this.base = base;
        this.s3 = EmbeddedS3.onFolder(base, "127.0.0.1", 0);
        s3.createBucket(BUCKET);
        this.uploads = new S3TestSupport(s3, BUCKET);
    }

    /** Uploads through S3 and adds the song, with what S3 says of it, to the catalog. */
    Song putSong(InMemoryCatalog catalog, ObjectStore store, String key, byte[] content) {
        uploads.put(key, content);
        var info = store.head(key).await();
        Song song = Song.of(SongKey.parse(key).orElseThrow(), info.size(), info.etag(), info.lastModified());
        catalog.upsert(song).await();
        return song;
    }

    S3ObjectStore store(Vertx vertx) {
        return S3ObjectStore.create(vertx, S3TestSupport.config(s3, BUCKET, s3.endpoint()));
    }

    static Future<HttpApiVerticle> deploy(Vertx vertx, InMemoryCatalog catalog, ObjectStore store, MetadataReader metadata) {
        HttpApiVerticle v = new HttpApiVerticle(ApiConfig.of("127.0.0.1", 0), catalog, store, metadata);
        return vertx.deployVerticle(v).map(id -> v);
    }

    static Song song(String key, long size, String etag, Instant lastModified) {
        return Song.of(SongKey.parse(key).orElseThrow(), size, etag, lastModified);
    }

    void close() throws Exception {
        uploads.close();
        s3.close();
    }
}
