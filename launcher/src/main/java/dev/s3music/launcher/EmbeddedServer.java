package dev.s3music.launcher;

import dev.s3music.api.ApiConfig;
import dev.s3music.api.HttpApiVerticle;
import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.embedded.EmbeddedSqs;
import dev.s3music.embedded.FreePorts;
import dev.s3music.model.event.Codecs;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.port.Catalog;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.s3.S3Config;
import dev.s3music.s3.S3ObjectStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The all-in-one server ({@code ROLE=all}): every verticle in one JVM. With no {@code S3_BUCKET} it runs the
 * embedded default, needing no AWS, Redis or Docker: S3Proxy over {@code MUSIC_DIR}, ElasticMQ, the in-memory
 * catalog. With {@code S3_BUCKET} it reads that bucket on AWS (or {@code AWS_ENDPOINT_URL}) instead.
 *
 * <p>This is the composition root: the only place that builds clients and wires adapters into ports. What it
 * opened is closed in reverse order by {@link #close()}, which the SIGTERM hook of {@link Main} calls.
 */
public final class EmbeddedServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServer.class);
    /** Bounds each start and stop step; S3Proxy starts in about 1 s, ElasticMQ in about 2 s. */
    private static final long STEP_TIMEOUT_SECONDS = 60;

    /** Opened resources, closed last-opened first. */
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private final LauncherConfig config;
    private Vertx vertx;
    private URI url;
    private URI s3Endpoint;
    private URI sqsEndpoint;
    private int songs;

    private EmbeddedServer(LauncherConfig config) {
        this.config = config;
    }

    /** Starts everything, or closes what it started and throws. Blocks the calling (non Vert.x) thread. */
    public static EmbeddedServer start(LauncherConfig config) throws Exception {
        EmbeddedServer server = new EmbeddedServer(config);
        try {
            server.startAll();
            return server;
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        LauncherConfig.Storage storage = config.storage();
        if (config.redis().enabled()) {
            throw new ConfigException("USE_REDIS", "the Redis adapters are not part of this build yet: "
                + "unset USE_REDIS (or set it to false) to use the in-memory catalog");
        }

        // ElasticMQ takes seconds to start (Pekko): start it beside the rest and wait for it at the end
        CompletableFuture<EmbeddedSqs> sqsStart = null;
        if (config.sqs().queueUrl().isEmpty()) {
            long t = System.nanoTime();
            sqsStart = CompletableFuture.supplyAsync(EmbeddedSqs::start, r -> {
                Thread thread = new Thread(r, "embedded-sqs-start");
                thread.setDaemon(true);
                thread.start();
            }).whenComplete((sqs, e) -> {
                if (sqs != null) {
                    LOG.info("embedded SQS (ElasticMQ) on {} in {} ms", sqs.endpoint(), millisSince(t));
                }
            });
            CompletableFuture<EmbeddedSqs> started = sqsStart;
            opened.push(() -> {
                try {
                    started.get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS).close();
                } catch (ExecutionException failedToStart) {
                    // nothing to close
                }
            });
        }

        S3Config s3Config;
        if (storage.embedded()) {
            if (storage.demoLibrary()) {
                DemoLibrary.installIfEmpty(storage.musicDir());
            } else {
                Files.createDirectories(storage.musicDir());
            }
            EmbeddedBucketFolder folder = EmbeddedBucketFolder.create(storage.musicDir(), storage.bucket());
            opened.push(folder);
            long t = System.nanoTime();
            int s3Port = s3Port(storage);
            EmbeddedS3 s3;
            try {
                s3 = EmbeddedS3.onFolder(folder.baseDir(), storage.s3Host(), s3Port);
            } catch (Exception e) {
                throw new ConfigException(storage.s3PortExplicit() ? "S3_PORT" : "S3_HOST", "the embedded S3 cannot "
                    + "listen on " + storage.s3Host() + ":" + s3Port + " (" + e.getMessage() + ")");
            }
            opened.push(s3);
            LOG.info("embedded S3 (S3Proxy) on {} in {} ms", s3.endpoint(), millisSince(t));
            s3Endpoint = s3.endpoint();
            s3Config = new S3Config(storage.bucket(), storage.region(), s3Endpoint, true, s3.accessKey(),
                s3.secretKey());
        } else {
            s3Endpoint = storage.endpoint().orElse(null);
            // no static keys: the SDK default credentials chain (env, profile, ECS task role, instance profile)
            s3Config = new S3Config(storage.bucket(), storage.region(), s3Endpoint, s3Endpoint != null, null, null);
        }

        vertx = Vertx.vertx();
        S3ObjectStore store;
        try {
            Codecs.registerAll(vertx.eventBus());
            store = S3ObjectStore.create(vertx, s3Config);
        } catch (RuntimeException e) {
            vertx.close().await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            throw e;
        }
        // stop order: Vert.x first (HTTP servers, so no new stream opens), then the store's SDK clients
        opened.push(store);
        opened.push(() -> vertx.close().await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        Catalog catalog = new InMemoryCatalog();

        // Until the indexer's reconcile is wired in, one listing of the bucket fills the catalog.
        long listed = System.nanoTime();
        songs = await(BucketListingLoader.load(store, catalog), "listing bucket " + storage.bucket());
        LOG.info("catalog filled from the bucket listing: {} songs in {} ms", songs, millisSince(listed));

        MetadataReader metadata = MetadataReader.unavailable();
        int port = config.http().port() == 0 ? FreePorts.next() : config.http().port();
        ApiConfig apiConfig = ApiConfig.of(config.http().host(), port);
        long deployed = System.nanoTime();
        try {
            vertx.deployVerticle(() -> new HttpApiVerticle(apiConfig, catalog, store, metadata),
                new DeploymentOptions().setInstances(config.http().instances())).await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof java.net.BindException) {
                throw new ConfigException("HTTP_PORT", "cannot listen on " + config.http().host() + ":" + port
                    + " (" + e.getMessage() + "); choose another port, or 0 for a free one");
            }
            throw new IllegalStateException("starting the HTTP API on port " + port + ": " + e.getMessage(), e);
        }
        LOG.info("HTTP API ({} instances) deployed in {} ms", config.http().instances(), millisSince(deployed));
        if (sqsStart != null) {
            try {
                sqsEndpoint = sqsStart.get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS).endpoint();
            } catch (ExecutionException e) {
                throw new IllegalStateException("starting the embedded SQS: " + e.getCause(), e.getCause());
            }
        } else {
            sqsEndpoint = config.sqs().queueUrl().get();
        }
        url = URI.create("http://" + displayHost(config.http().host()) + ":" + port);
        printBanner();
    }

    /** The configured S3 port; the default one falls back to a free port when something else holds it. */
    private static int s3Port(LauncherConfig.Storage storage) {
        int port = storage.s3Port();
        if (port == 0 || storage.s3PortExplicit() || isFree(storage.s3Host(), port)) {
            return port;
        }
        LOG.warn("port {} is taken: the embedded S3 listens on a free port instead (set S3_PORT to choose)", port);
        return 0;
    }

    private static boolean isFree(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static <T> T await(io.vertx.core.Future<T> f, String what) throws Exception {
        try {
            return f.await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + ": no answer within " + STEP_TIMEOUT_SECONDS + " s", e);
        } catch (Exception e) {
            throw new IllegalStateException(what + ": " + e.getMessage(), e);
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static String displayHost(String host) {
        return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }

    private void printBanner() {
        LauncherConfig.Storage s = config.storage();
        StringBuilder b = new StringBuilder();
        b.append("\n\n  S3 music server is up: ").append(url).append("/api/artists  (")
            .append(songs).append(" songs)\n");
        if (s.embedded()) {
            b.append("\n  Embedded S3 over ").append(s.musicDir()).append(" - upload with any S3 tool:\n")
                .append("    endpoint    ").append(s3Endpoint).append('\n')
                .append("    bucket      ").append(s.bucket()).append('\n')
                .append("    region      ").append(s.region()).append('\n')
                .append("    access key  ").append(EmbeddedS3.ACCESS_KEY).append('\n')
                .append("    secret key  ").append(EmbeddedS3.SECRET_KEY).append('\n')
                .append("    e.g. AWS_ACCESS_KEY_ID=").append(EmbeddedS3.ACCESS_KEY)
                .append(" AWS_SECRET_ACCESS_KEY=").append(EmbeddedS3.SECRET_KEY)
                .append(" aws --endpoint-url ").append(s3Endpoint).append(" --region ").append(s.region())
                .append(" s3 cp song.flac \"s3://").append(s.bucket()).append("/Artist/Album/01 - Song.flac\"\n");
        } else {
            b.append("\n  S3 bucket ").append(s.bucket()).append(" in ").append(s.region())
                .append(s.endpoint().map(e -> " at " + e).orElse("")).append(" (default credentials chain)\n");
        }
        b.append("  SQS: ").append(sqsEndpoint).append(config.sqs().queueUrl().isEmpty() ? " (embedded)\n" : "\n");
        LOG.info("{}", b);
    }

    public URI url() {
        return url;
    }

    public URI s3Endpoint() {
        return s3Endpoint;
    }

    public URI sqsEndpoint() {
        return sqsEndpoint;
    }

    /** Songs found by the listing at start. */
    public int songs() {
        return songs;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Stops the HTTP verticles and Vert.x, then the store client, ElasticMQ and S3Proxy. Safe to call twice. */
    @Override
    public synchronized void close() {
        while (!opened.isEmpty()) {
            AutoCloseable c = opened.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("while stopping {}: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
