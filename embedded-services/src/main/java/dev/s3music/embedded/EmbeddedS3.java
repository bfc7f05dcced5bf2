package dev.s3music.embedded;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * An S3-compatible server on 127.0.0.1 (S3Proxy) over a local folder or memory.
 *
 * <p>With {@code filesystem-nio2}, bucket {@code b} is the folder {@code <baseDir>/b} and key {@code A/B/c.mp3}
 * the file {@code <baseDir>/b/A/B/c.mp3}: files put there by hand are listed and served (without an ETag).
 * {@code ignoreUnknownHeaders(true)} is needed for SDK multipart uploads ({@code x-amz-mp-object-size}).
 * Conditional writes are atomic as on S3: {@code If-None-Match: *} in S3Proxy's nio2 stores, {@code If-Match} by
 * {@link AtomicIfMatchBlobStore}.
 */
public final class EmbeddedS3 implements AutoCloseable {

    public static final String ACCESS_KEY = "local-access-key";
    public static final String SECRET_KEY = "local-secret-key";
    private static final int JETTY_THREADS = 1000;

    private final S3Proxy proxy;
    private final BlobStore store;
    private final URI endpoint;

    private EmbeddedS3(S3Proxy proxy, BlobStore store, URI endpoint) {
        this.proxy = proxy;
        this.store = store;
        this.endpoint = endpoint;
    }

    /** S3 over files: bucket folders live under {@code baseDir}. {@code port} 0 picks a free one. */
    public static EmbeddedS3 onFolder(Path baseDir, String host, int port) throws Exception {
        Files.createDirectories(baseDir);
        Properties p = new Properties();
        p.setProperty("jclouds.filesystem.basedir", baseDir.toAbsolutePath().toString());
        return start(BlobStores.create("filesystem-nio2", p), host, port);
    }

    /** S3 in memory, for tests. */
    public static EmbeddedS3 inMemory() throws Exception {
        return start(BlobStores.create("transient-nio2", new Properties()), "127.0.0.1", 0);
    }

    private static EmbeddedS3 start(BlobStore nio2, String host, int port) throws Exception {
        // conditional replaces (If-Match) must be atomic, as on S3: see AtomicIfMatchBlobStore
        BlobStore store = new AtomicIfMatchBlobStore(nio2);
        int bind = port == 0 ? FreePorts.next() : port;
        URI endpoint = URI.create("http://" + host + ":" + bind);
        S3Proxy proxy = S3Proxy.builder()
            .blobStore(store)
            .endpoint(endpoint)
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .ignoreUnknownHeaders(true)
            // Jetty's default pool (200) leaves streams beyond ~190 concurrent listeners unanswered; S3Proxy
            // blocks a thread per transfer, so size it for many slow listeners.
            .jettyMaxThreads(JETTY_THREADS)
            .build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        if (!"STARTED".equals(proxy.getState())) {
            proxy.stop();
            throw new IllegalStateException("S3Proxy did not start on " + endpoint + ": " + proxy.getState());
        }
        return new EmbeddedS3(proxy, store, endpoint);
    }

    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    /** Creates the bucket unless it exists. */
    public void createBucket(String bucket) {
        if (!store.containerExists(bucket)) {
            store.createContainer(bucket);
        }
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
