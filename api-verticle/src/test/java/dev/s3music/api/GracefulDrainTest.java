package dev.s3music.api;

import dev.s3music.model.Song;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.s3.S3ObjectStore;
import dev.s3music.s3.S3TestSupport;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drain of a graceful shutdown counts a stream as done only once its last bytes are on the socket: the
 * response's {@code end()} is called with up to the S3 relay's window (64 KB, {@code dev.s3music.s3.BoundedRelay})
 * still queued in Netty for a slow listener, and closing the server then would drop them (a deploy cut the end of
 * songs that way).
 */
@ExtendWith(VertxExtension.class)
class GracefulDrainTest {

    private static final int SIZE = 6 * 1024 * 1024;
    private final AtomicBoolean paused = new AtomicBoolean();

    @TempDir
    Path base;
    ApiTestServer env;
    S3ObjectStore store;

    @AfterEach
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        if (env != null) {
            env.close();
        }
    }

    @Test
    void aSlowStreamInFlightIsCountedUntilItsLastByteIsOnTheSocket() throws Exception {
        // its own Vert.x, closed whole as the launcher's graceful stop does once the drain is over
        Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(true));
        env = new ApiTestServer(base);
        store = env.store(vertx);
        InMemoryCatalog catalog = new InMemoryCatalog();
        byte[] content = S3TestSupport.randomBytes(SIZE, 23);
        Song song = env.putSong(catalog, store, "Slow/Listener/01 - Long.mp3", content);
        ApiConfig config = ApiConfig.of("127.0.0.1", 0);
        Readiness readiness = HttpApiVerticle.defaultReadiness(config, catalog, store);
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        HttpApiVerticle api = new HttpApiVerticle(config, catalog, store, null, readiness, registry);
        vertx.deployVerticle(api).await(20, TimeUnit.SECONDS);

        try (Socket listener = new Socket()) {
            listener.setReceiveBufferSize(8 * 1024);
            listener.connect(new InetSocketAddress("127.0.0.1", api.actualPort()), 5000);
            listener.setSoTimeout(30_000);
            listener.getOutputStream().write(("GET /api/songs/" + song.id() + "/stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(listener.getInputStream());
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200");

            // a listener slower than S3: about 3 MB/s, so the relay's last writes wait in Netty when S3 is done
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readSlowly(in));
            long waited = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (readiness.inFlight() == 0 && System.nanoTime() < waited) {
                Thread.sleep(5);
            }
            assertThat(readiness.inFlight()).isEqualTo(1);
            readiness.drain();
            // what the launcher's graceful stop does: wait for in-flight requests, then close the server at once
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (readiness.inFlight() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(readiness.inFlight()).isZero();
            assertThat(registry.counter("s3music.stream.bytes").count())
                .as("bytes on the socket when the drain saw no request in flight").isEqualTo(SIZE);
            // the listener stops reading while the server closes: what is still queued in the server is lost then
            paused.set(true);
            vertx.close().await(10, TimeUnit.SECONDS);
            paused.set(false);

            byte[] all = received.get(60, TimeUnit.SECONDS);
            assertThat(all.length).as("bytes received after the drain closed the server").isEqualTo(SIZE);
            assertThat(all).isEqualTo(content);
        }
    }

    private byte[] readSlowly(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(SIZE);
        byte[] chunk = new byte[16 * 1024];
        try {
            for (int i = 0; i < 10 * SIZE / chunk.length && out.size() < SIZE; i++) { // bounded
                int n = in.read(chunk);
                if (n < 0) {
                    break;
                }
                out.write(chunk, 0, n);
                for (int w = 0; w < 2000 && paused.get(); w++) { // bounded: 20 s
                    Thread.sleep(10);
                }
                Thread.sleep(5);
            }
        } catch (Exception e) {
            // a cut connection: the assertion on the length tells
        }
        return out.toByteArray();
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        for (int i = 0; i < 16 * 1024 && !head.toString().endsWith("\r\n\r\n"); i++) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        return head.toString();
    }
}
