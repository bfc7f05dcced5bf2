package dev.s3music.s3;

import dev.s3music.model.port.DocumentStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.s3music.s3.DocumentStoreContractTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the document adapter puts on the wire, seen by a stand-in S3 that records each PUT's headers: the STANDARD
 * storage class on every write (S3Proxy cannot show it: it would report STANDARD anyway) and the conditions.
 */
@ExtendWith(VertxExtension.class)
class S3DocumentRequestsTest {

    private final List<Map<String, String>> puts = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private S3ObjectStore store;

    @BeforeEach
    void startStandIn(Vertx vertx) {
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            req.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
            headers.put(":method", req.method().name());
            headers.put(":path", req.path());
            puts.add(headers);
            req.response().putHeader("ETag", "\"" + md5(body.getBytes()) + "\"").end();
        })).listen(0, "127.0.0.1").await();
        store = S3ObjectStore.create(vertx, S3Config.compatible("music",
            URI.create("http://127.0.0.1:" + server.actualPort()), "key", "secret"));
    }

    @AfterEach
    void stop() {
        store.close();
        server.close().await();
    }

    private static String md5(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyBlobWriteAsksForStandardStorageWithItsContentType() {
        await(store.blobs(".s3music/art/").put("album/512-fabc.jpg", io.vertx.core.buffer.Buffer.buffer(new byte[]{1, 2, 3}),
            "image/jpeg"));
        assertThat(puts).singleElement().satisfies(h -> {
            assertThat(h.get(":method")).isEqualTo("PUT");
            assertThat(h.get(":path")).isEqualTo("/music/.s3music/art/album/512-fabc.jpg");
            assertThat(h.get("x-amz-storage-class")).isEqualTo("STANDARD");
            assertThat(h.get("Content-Type")).isEqualTo("image/jpeg");
        });
    }

    @Test
    void everyDocumentWriteAsksForStandardStorageAndCarriesItsCondition() {
        DocumentStore docs = store.documents(".s3music/users/");
        JsonObject doc = new JsonObject().put("name", "Ana");
        await(docs.create("ana.json", doc));
        await(docs.replace("ana.json", doc, "0123abcd"));
        await(docs.put("ana.json", doc));

        assertThat(puts).hasSize(3).allSatisfy(h -> {
            assertThat(h.get(":method")).isEqualTo("PUT");
            assertThat(h.get(":path")).isEqualTo("/music/.s3music/users/ana.json");
            assertThat(h.get("x-amz-storage-class")).isEqualTo("STANDARD");
        });
        assertThat(puts.get(0).get("If-None-Match")).isEqualTo("*");
        assertThat(puts.get(0)).doesNotContainKey("If-Match");
        assertThat(puts.get(1).get("If-Match")).isEqualTo("\"0123abcd\"");
        assertThat(puts.get(1)).doesNotContainKey("If-None-Match");
        assertThat(puts.get(2)).doesNotContainKeys("If-Match", "If-None-Match");
    }
}
