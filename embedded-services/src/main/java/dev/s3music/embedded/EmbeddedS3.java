package dev.s3music.embedded;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

import jakarta.servlet.DispatcherType;
import org.gaul.shaded.org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.gaul.shaded.org.eclipse.jetty.server.Server;

import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Properties;

/**
 * An S3-compatible server on 127.0.0.1 (S3Proxy) over a local folder or memory.
 *
 * <p>Its credentials are never a well-known pair: the caller passes them (the launcher keeps per-installation keys
 * in a file outside the music, {@code S3Credentials}), or each instance generates its own. Browser requests from a
 * web origin not {@link #allowOrigins allowed} are refused before S3Proxy sees them ({@link BrowserOriginFilter}):
 * a signature does not stop a page that knows the keys, and a form POST upload needed no signature check to be
 * planted otherwise.
 *
 * <p>With {@code filesystem-nio2}, bucket {@code b} is the folder {@code <baseDir>/b} and key {@code A/B/c.mp3}
 * the file {@code <baseDir>/b/A/B/c.mp3}: files put there by hand are listed and served (without an ETag).
 * {@code ignoreUnknownHeaders(true)} is needed for SDK multipart uploads ({@code x-amz-mp-object-size}).
 * Conditional writes are atomic as on S3: {@code If-None-Match: *} in S3Proxy's nio2 stores, {@code If-Match} by
 * {@link AtomicIfMatchBlobStore}.
 */
public final class EmbeddedS3 implements AutoCloseable {

    private static final int JETTY_THREADS = 1000;

    private final S3Proxy proxy;
    private final BlobStore store;
    private final URI endpoint;
    private final S3Credentials credentials;
    private final BrowserOriginFilter origins;

    private EmbeddedS3(S3Proxy proxy, BlobStore store, URI endpoint, S3Credentials credentials,
                       BrowserOriginFilter origins) {
        this.proxy = proxy;
        this.store = store;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.origins = origins;
    }

    /** S3 over files with credentials of its own (random); see {@link #onFolder(Path, String, int, S3Credentials)}. */
    public static EmbeddedS3 onFolder(Path baseDir, String host, int port) throws Exception {
        return onFolder(baseDir, host, port, S3Credentials.random());
    }

    /** S3 over files: bucket folders live under {@code baseDir}. {@code port} 0 picks a free one. */
    public static EmbeddedS3 onFolder(Path baseDir, String host, int port, S3Credentials credentials)
        throws Exception {
        Files.createDirectories(baseDir);
        Properties p = new Properties();
        p.setProperty("jclouds.filesystem.basedir", baseDir.toAbsolutePath().toString());
        return start(BlobStores.create("filesystem-nio2", p), host, port, credentials);
    }

    /** S3 in memory, for tests, with credentials of its own (random). */
    public static EmbeddedS3 inMemory() throws Exception {
        return start(BlobStores.create("transient-nio2", new Properties()), "127.0.0.1", 0, S3Credentials.random());
    }

    private static EmbeddedS3 start(BlobStore nio2, String host, int port, S3Credentials credentials)
        throws Exception {
        // conditional replaces (If-Match) must be atomic, as on S3: see AtomicIfMatchBlobStore
        BlobStore store = new AtomicIfMatchBlobStore(nio2);
        int bind = port == 0 ? FreePorts.next() : port;
        URI endpoint = URI.create("http://" + host + ":" + bind);
        S3Proxy proxy = S3Proxy.builder()
            .blobStore(store)
            .endpoint(endpoint)
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, credentials.accessKey(), credentials.secretKey())
            .ignoreUnknownHeaders(true)
            // Jetty's default pool (200) leaves streams beyond ~190 concurrent listeners unanswered; S3Proxy
            // blocks a thread per transfer, so size it for many slow listeners.
            .jettyMaxThreads(JETTY_THREADS)
            .build();
        BrowserOriginFilter origins = new BrowserOriginFilter();
        installBeforeS3Proxy(proxy, origins);
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        if (!"STARTED".equals(proxy.getState())) {
            proxy.stop();
            throw new IllegalStateException("S3Proxy did not start on " + endpoint + ": " + proxy.getState());
        }
        return new EmbeddedS3(proxy, store, endpoint, credentials, origins);
    }

    /**
     * Puts the filter in front of S3Proxy's servlet. S3Proxy builds its (shaded) Jetty server privately and offers
     * no hook, so the server is reached by reflection before it starts; a filter in the same servlet context costs
     * no extra hop (a proxy in front would copy every streamed byte once more). Fails the start if S3Proxy's shape
     * changed: the embedded S3 must never run without the filter.
     */
    private static void installBeforeS3Proxy(S3Proxy proxy, BrowserOriginFilter filter) {
        try {
            Field field = S3Proxy.class.getDeclaredField("server");
            field.setAccessible(true);
            Server server = (Server) field.get(proxy);
            ServletContextHandler context = server.getHandler() instanceof ServletContextHandler c ? c
                : server.getDescendant(ServletContextHandler.class);
            if (context == null) {
                throw new IllegalStateException("no servlet context in S3Proxy's server");
            }
            context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot put the origin filter in front of S3Proxy (S3Proxy changed?): "
                + e, e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return credentials.accessKey();
    }

    public String secretKey() {
        return credentials.secretKey();
    }

    /**
     * The web origins ({@code http://host:port}) whose browser pages may use this endpoint; requests carrying any
     * other {@code Origin} are refused with 403. Replaces the previous set; none are allowed until called.
     */
    public void allowOrigins(Collection<String> webOrigins) {
        origins.allow(webOrigins);
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
