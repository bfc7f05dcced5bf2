package dev.s3music.launcher;

import dev.s3music.api.ApiConfig;
import dev.s3music.api.HealthVerticle;
import dev.s3music.api.HttpApiVerticle;
import dev.s3music.api.Readiness;
import dev.s3music.embedded.EmbeddedS3;
import dev.s3music.embedded.EmbeddedSqs;
import dev.s3music.embedded.FreePorts;
import dev.s3music.redis.RedisCommands;
import dev.s3music.redis.catalog.RedisCatalog;
import dev.s3music.indexer.core.SongIndexer;
import dev.s3music.indexer.local.FolderEventsConfig;
import dev.s3music.indexer.local.FolderEventsVerticle;
import dev.s3music.indexer.reconcile.ReconcileVerticle;
import dev.s3music.indexer.reconcile.Reconciler;
import dev.s3music.indexer.sqs.SqsIndexerConfig;
import dev.s3music.indexer.sqs.SqsIndexerVerticle;
import dev.s3music.indexer.tags.RangedTagReader;
import dev.s3music.metadata.CachedMetadataReader;
import dev.s3music.metadata.DiscogsWorkerVerticle;
import dev.s3music.metadata.ReaderConfig;
import dev.s3music.metadata.WorkerConfig;
import dev.s3music.metadata.discogs.DiscogsConfig;
import dev.s3music.metadata.memory.InMemoryLookupQueue;
import dev.s3music.metadata.memory.InMemoryMetadataCache;
import dev.s3music.metadata.memory.InMemoryRateLimiter;
import dev.s3music.model.port.LookupQueue;
import dev.s3music.model.port.MetadataCache;
import dev.s3music.model.port.RateLimiter;
import dev.s3music.redis.metadata.RedisLookupQueue;
import dev.s3music.redis.metadata.RedisMetadataCache;
import dev.s3music.redis.metadata.RedisRateLimiter;
import dev.s3music.model.LibraryKeys;
import dev.s3music.model.event.Codecs;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.port.Catalog;
import dev.s3music.model.port.DocumentStore;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.s3.S3Config;
import dev.s3music.s3.S3ObjectStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The composition root of every role: the only place that builds clients (S3, SQS, Redis, Discogs' web client,
 * Hazelcast), wires adapters into ports and deploys verticles.
 *
 * <ul>
 *   <li>{@code ROLE=all} without {@code S3_BUCKET}: the embedded default, needing no AWS, Redis or Docker: S3Proxy
 *       over {@code MUSIC_DIR}, ElasticMQ with a queue and its DLQ, the folder watcher that turns file changes
 *       into S3-shaped notifications, the indexer (SQS + reconcile at start), the metadata worker when
 *       {@code DISCOGS_TOKEN} is set, and the API. With {@code S3_BUCKET}: the same verticles on the real bucket
 *       (and {@code SQS_QUEUE_URL}, Redis when {@code USE_REDIS=true}).</li>
 *   <li>{@code ROLE=api}: the HTTP API and the cached metadata reader.</li>
 *   <li>{@code ROLE=indexer}: the SQS indexer and the reconcile, and a health port.</li>
 *   <li>{@code ROLE=metadata-worker}: the Discogs worker, and a health port.</li>
 * </ul>
 *
 * <p>{@link #shutdownGracefully()} (SIGTERM) drains first: readiness 503 and new requests refused, in-flight
 * requests get {@code SHUTDOWN_GRACE}; then Vert.x closes (verticles stop: the indexer makes its unprocessed
 * messages visible again, the worker leaves its queue in Redis; the node leaves the cluster), then the clients
 * and the embedded services.
 */
public final class MusicServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MusicServer.class);
    /** Bounds each start and stop step; S3Proxy starts in about 1 s, ElasticMQ in about 2 s, a join up to 15 s. */
    private static final long STEP_TIMEOUT_SECONDS = 60;
    /** Redis keys: the catalog (indexer README) and the metadata worker's (its README). */
    static final String CATALOG_PREFIX = "s3music:cat:";
    static final String METADATA_PREFIX = "s3music:metadata:";
    static final String DISCOGS_PREFIX = "s3music:discogs:";
    /** The rate limiter's slack for clock drift between Redis and Discogs (metadata-worker README). */
    private static final Duration LIMITER_MARGIN = Duration.ofMillis(500);
    private static final Duration DISCOGS_WINDOW = Duration.ofSeconds(60);
    /** Long-poll wait on the embedded queue (see startIndexer). */
    static final int EMBEDDED_POLL_SECONDS = 2;
    /** The worker's durable cache prefix: the only part of the bucket the worker may list (deploy README). */
    static final String WORKER_S3_PREFIX = LibraryKeys.RESERVED_PREFIX + "cache/";

    /** jaudiotagger logs every block it reads at INFO through java.util.logging; kept referenced to stay set. */
    private static final java.util.logging.Logger JAUDIOTAGGER = java.util.logging.Logger.getLogger("org.jaudiotagger");

    static {
        JAUDIOTAGGER.setLevel(java.util.logging.Level.WARNING);
    }

    /** Opened resources other than Vert.x, closed last-opened first after Vert.x. */
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private final LauncherConfig config;
    /** Vert.x and domain meters of this process, scraped at /metrics */
    private final Observability observability = new Observability();
    private Vertx vertx;
    private HazelcastClusterManager clusterManager;
    private Readiness readiness;
    private URI url;
    private URI s3Endpoint;
    private String queueUrl;
    private String deadLetterQueueUrl;
    private int httpPort = -1;
    private long songs = -1;
    private boolean closed;

    private MusicServer(LauncherConfig config) {
        this.config = config;
    }

    /** Starts everything of the role, or closes what it started and throws. Blocks the calling (non Vert.x) thread. */
    public static MusicServer start(LauncherConfig config) throws Exception {
        MusicServer server = new MusicServer(config);
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
        Role role = config.role();
        boolean servesApi = role == Role.ALL || role == Role.API;
        boolean indexes = role == Role.ALL || role == Role.INDEXER;
        boolean looksUp = role == Role.ALL || role == Role.METADATA_WORKER;
        boolean embeddedSqs = storage.embedded() && config.sqs().queueUrl().isEmpty();

        // ElasticMQ takes seconds to start (Pekko): start it beside the rest and wait for it when needed
        CompletableFuture<EmbeddedSqs> sqsStart = embeddedSqs ? startEmbeddedSqs() : null;

        S3Config s3Config;
        EmbeddedBucketFolder folder = null;
        if (storage.embedded()) {
            folder = startEmbeddedS3Folder(storage);
            EmbeddedS3 s3 = startEmbeddedS3(storage, folder);
            s3Config = new S3Config(storage.bucket(), storage.region(), s3Endpoint, true, s3.accessKey(), s3.secretKey());
        } else {
            s3Endpoint = storage.endpoint().orElse(null);
            // no static keys: the SDK default credentials chain (env, profile, ECS task role, instance profile)
            s3Config = new S3Config(storage.bucket(), storage.region(), s3Endpoint, s3Endpoint != null, null, null);
        }

        vertx = startVertx();
        LOG.info("Vert.x transport: {}", vertx.isNativeTransportEnabled() ? "native (epoll)"
            : "NIO (" + vertx.unavailableNativeTransportCause() + ")");
        Codecs.registerAll(vertx.eventBus());
        List<Readiness.Check> checks = new ArrayList<>();

        RedisCommands redis = null;
        if (config.redis().enabled()) {
            // one Redis client per process, shared by every adapter (each keeps its own key prefix), every
            // command under REDIS_TIMEOUT
            Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(config.redis().url().toString())
                .setMaxPoolSize(16).setMaxPoolWaiting(10_000));
            opened.push(client::close);
            RedisCommands r = RedisCommands.of(client, config.redis().timeout());
            redis = r;
            checks.add(new Readiness.Check("redis", redactedRedisUrl(), () -> r.send(Request.cmd(Command.PING)).mapEmpty()));
        }

        // one S3 client per process: the API streams, the indexer lists and reads tags, the worker keeps documents
        S3ObjectStore store = S3ObjectStore.create(vertx, s3Config);
        opened.push(store);
        Catalog catalog = null;
        if (servesApi || indexes) {
            catalog = redis != null ? new RedisCatalog(redis, CATALOG_PREFIX) : new InMemoryCatalog();
            checks.add(new Readiness.Check("s3", "bucket " + storage.bucket(), store::check));
            if (redis == null) {
                Catalog c = catalog;
                checks.add(new Readiness.Check("catalog", null, () -> c.size().mapEmpty()));
            }
        } else {
            // the worker's task role may list only its cache prefix: HeadBucket would be denied
            checks.add(new Readiness.Check("s3", "bucket " + storage.bucket() + " prefix " + WORKER_S3_PREFIX,
                () -> store.checkPrefix(WORKER_S3_PREFIX)));
        }

        // the metadata cache is shared by the worker (writes) and the API's reader (reads)
        MetadataCache metadataCache = redis != null ? new RedisMetadataCache(redis, METADATA_PREFIX)
            : new InMemoryMetadataCache();

        Reconciler reconciler = null;
        if (indexes) {
            reconciler = startIndexer(storage, catalog, store, folder, sqsStart, checks);
        }
        if (looksUp) {
            // the durable Discogs cache: a Redis flush costs no Discogs calls
            startWorker(redis, metadataCache, store.documents(WORKER_S3_PREFIX));
        }
        if (clusterManager != null) {
            HazelcastClusterManager cm = clusterManager;
            checks.add(new Readiness.Check("cluster", null, () -> cm.isActive() && cm.getNodes().contains(cm.getNodeId())
                ? Future.succeededFuture()
                : Future.failedFuture("not a member of the cluster")));
        }
        readiness = new Readiness(ApiConfig.DEFAULT_READY_TIMEOUT, checks);

        if (servesApi) {
            MetadataReader metadata = metadataReader(role, metadataCache);
            startApi(catalog, store, metadata);
        } else {
            startHealthPort();
        }

        if (reconciler != null && !config.redis().enabled()) {
            // the in-memory catalog is empty at start, so the reconcile runs: wait for it, the banner counts songs
            awaitReconcile(reconciler);
            songs = catalog.size().await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        url = URI.create("http://" + displayHost(config.http().host()) + ":" + httpPort);
        printBanner();
    }

    // ---- embedded services ---------------------------------------------------------------------------------

    private CompletableFuture<EmbeddedSqs> startEmbeddedSqs() {
        long t = System.nanoTime();
        CompletableFuture<EmbeddedSqs> start = CompletableFuture.supplyAsync(EmbeddedSqs::start, r -> {
            Thread thread = new Thread(r, "embedded-sqs-start");
            thread.setDaemon(true);
            thread.start();
        }).whenComplete((sqs, e) -> {
            if (sqs != null) {
                LOG.info("embedded SQS (ElasticMQ) on {} in {} ms", sqs.endpoint(), millisSince(t));
            }
        });
        opened.push(() -> {
            try {
                start.get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS).close();
            } catch (ExecutionException failedToStart) {
                // nothing to close
            }
        });
        return start;
    }

    private EmbeddedBucketFolder startEmbeddedS3Folder(LauncherConfig.Storage storage) throws IOException {
        if (storage.demoLibrary()) {
            DemoLibrary.installIfEmpty(storage.musicDir());
        } else {
            Files.createDirectories(storage.musicDir());
        }
        EmbeddedBucketFolder folder = EmbeddedBucketFolder.create(storage.musicDir(), storage.bucket());
        opened.push(folder);
        return folder;
    }

    private EmbeddedS3 startEmbeddedS3(LauncherConfig.Storage storage, EmbeddedBucketFolder folder) {
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
        return s3;
    }

    // ---- Vert.x, clustered or not ----------------------------------------------------------------------------

    private Vertx startVertx() throws Exception {
        // epoll where available (Linux, with the native jar): falls back to NIO by itself elsewhere
        VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
        LauncherConfig.Cluster cluster = config.cluster();
        if (!cluster.enabled()) {
            return observability.vertxBuilder(options).build();
        }
        options.getEventBusOptions().setPort(cluster.eventBusPort());
        // unset: Vert.x takes the address Hazelcast binds to (clusterHost()), which is what a task knows on ECS
        cluster.eventBusHost().ifPresent(h -> options.getEventBusOptions().setHost(h));
        clusterManager = new HazelcastClusterManager(HazelcastConfigs.build(cluster, System.getProperties()));
        long t = System.nanoTime();
        Vertx clustered = await(observability.vertxBuilder(options).withClusterManager(clusterManager).buildClustered(),
            "joining the cluster" + (cluster.members().isEmpty() ? "" : " " + cluster.members()));
        LOG.info("joined the cluster as {} ({} members) in {} ms", clusterManager.getNodeId(),
            clusterManager.getNodes().size(), millisSince(t));
        return clustered;
    }

    // ---- indexer ---------------------------------------------------------------------------------------------

    private Reconciler startIndexer(LauncherConfig.Storage storage, Catalog catalog, S3ObjectStore store,
                                    EmbeddedBucketFolder folder, CompletableFuture<EmbeddedSqs> sqsStart,
                                    List<Readiness.Check> checks) throws Exception {
        Path tagTemp = Files.createTempDirectory("s3music-tags-");
        opened.push(() -> deleteTree(tagTemp));
        RangedTagReader tags = new RangedTagReader(store, vertx.createSharedWorkerExecutor("indexer-tags", 2), tagTemp);
        SongIndexer indexer = new SongIndexer(vertx.eventBus(), catalog, tags);
        SqsIndexerConfig defaults = SqsIndexerConfig.of("-", null, storage.bucket());

        SqsAsyncClient sqs = null;
        if (sqsStart != null) {
            EmbeddedSqs embedded = awaitEmbeddedSqs(sqsStart);
            sqs = SqsClients.create(embedded.endpoint(), storage.region(), true);
            opened.push(sqs);
            SqsClients.Queues queues = SqsClients.createWithDeadLetterQueue(sqs, SqsClients.QUEUE_NAME,
                defaults.maxReceives());
            queueUrl = queues.queueUrl();
            deadLetterQueueUrl = queues.deadLetterQueueUrl();
        } else if (config.sqs().queueUrl().isPresent()) {
            sqs = SqsClients.create(config.sqs().endpoint().orElse(null), storage.region(), false);
            opened.push(sqs);
            queueUrl = config.sqs().queueUrl().get().toString();
            deadLetterQueueUrl = config.sqs().deadLetterQueueUrl().map(URI::toString).orElse(null);
        } else {
            LOG.warn("no SQS_QUEUE_URL: uploads reach the catalog only through a reconcile (at start when the catalog "
                + "is empty, or POST /api/admin/rescan)");
        }
        if (sqs != null) {
            SqsAsyncClient client = sqs;
            String queue = queueUrl;
            checks.add(new Readiness.Check("sqs", queue, () -> Future.fromCompletionStage(client.getQueueAttributes(
                    GetQueueAttributesRequest.builder().queueUrl(queue)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES).build()),
                vertx.getOrCreateContext()).mapEmpty()));
            SqsIndexerConfig sqsConfig = new SqsIndexerConfig(queueUrl, deadLetterQueueUrl, storage.bucket(),
                defaults.waitTimeSeconds(), defaults.maxMessages(), defaults.pollers(), defaults.maxReceives(),
                defaults.retryBackoff(), defaults.stopGrace());
            if (sqsStart != null) {
                // ElasticMQ's stop waits for the long polls it holds (a cancelled SDK call leaves its request open
                // on the server): short polls keep the embedded default's stop within seconds. One poller is plenty
                // for one person's uploads; a poll still answers as soon as a message arrives.
                sqsConfig = sqsConfig.withWaitTimeSeconds(EMBEDDED_POLL_SECONDS).withPollers(1);
            }
            await(vertx.deployVerticle(new SqsIndexerVerticle(client, indexer, sqsConfig, observability.registry())), "starting the SQS indexer");
        }
        Reconciler reconciler = new Reconciler(store, indexer, 1000, 16);
        await(vertx.deployVerticle(new ReconcileVerticle(reconciler, catalog, true)), "starting the reconcile");
        if (folder != null && sqs != null && sqsStart != null) {
            // the embedded default: changes of the music folder (copies, uploads through S3Proxy) become S3-shaped
            // notifications on the embedded queue, so the production path runs there too
            await(vertx.deployVerticle(new FolderEventsVerticle(sqs, FolderEventsConfig.of(
                folder.baseDir().resolve(storage.bucket()), storage.bucket(), queueUrl))), "watching the music folder");
        }
        return reconciler;
    }

    private void awaitReconcile(Reconciler reconciler) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_TIMEOUT_SECONDS);
        while (reconciler.status().finishedAt() == null && System.nanoTime() < deadline) {
            Thread.sleep(50); // the launcher's own thread, not an event loop
        }
        LOG.info("reconcile at start: {}", reconciler.status().toJson().encode());
    }

    // ---- metadata --------------------------------------------------------------------------------------------

    private void startWorker(RedisCommands redis, MetadataCache cache, DocumentStore documents) throws Exception {
        LauncherConfig.Discogs d = config.discogs();
        if (d.token().isEmpty() && config.role() == Role.ALL) {
            LOG.info("no DISCOGS_TOKEN: artist and album information answers 'unavailable'");
            return;
        }
        DiscogsConfig discogs = DiscogsConfig.of(d.baseUrl().toString(), d.token().orElse(null), d.rate(),
            DISCOGS_WINDOW);
        WorkerConfig cfg = WorkerConfig.defaults(discogs, d.rate(), DISCOGS_WINDOW, config.redis().cacheTtl())
            .withLease(d.lease());
        RateLimiter limiter;
        LookupQueue queue;
        if (redis != null) {
            limiter = new RedisRateLimiter(redis, DISCOGS_PREFIX, d.rate(), DISCOGS_WINDOW, LIMITER_MARGIN);
            queue = new RedisLookupQueue(redis, METADATA_PREFIX);
        } else {
            limiter = new InMemoryRateLimiter(d.rate(), DISCOGS_WINDOW, LIMITER_MARGIN);
            queue = new InMemoryLookupQueue();
        }
        WebClient web = WebClient.create(vertx);
        opened.push(web::close);
        await(vertx.deployVerticle(DiscogsWorkerVerticle.discogs(cfg, web, limiter, queue, cache, documents,
            observability.registry())),
            "starting the metadata worker");
    }

    /**
     * The API's metadata reader. ROLE=all knows whether it runs a worker (a token); ROLE=api never sees the token
     * (it is the worker's secret), so it always asks and the worker answers {@code unavailable} without one.
     */
    private MetadataReader metadataReader(Role role, MetadataCache cache) {
        boolean enabled = role == Role.API || config.discogs().token().isPresent();
        return enabled ? new CachedMetadataReader(vertx, ReaderConfig.defaults(true), cache, observability.registry()) : MetadataReader.unavailable();
    }

    // ---- HTTP ------------------------------------------------------------------------------------------------

    private void startApi(Catalog catalog, S3ObjectStore store, MetadataReader metadata) throws Exception {
        int port = config.http().port() == 0 ? FreePorts.next() : config.http().port();
        ApiConfig apiConfig = ApiConfig.of(config.http().host(), port);
        long t = System.nanoTime();
        try {
            vertx.deployVerticle(() -> new HttpApiVerticle(apiConfig, catalog, store, metadata, readiness,
                observability.registry()),
                new DeploymentOptions().setInstances(config.http().instances())).await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw httpFailure(port, e);
        }
        httpPort = port;
        LOG.info("HTTP API ({} instances) deployed in {} ms", config.http().instances(), millisSince(t));
    }

    private void startHealthPort() throws Exception {
        int port = config.http().port() == 0 ? FreePorts.next() : config.http().port();
        try {
            vertx.deployVerticle(new HealthVerticle(config.http().host(), port, readiness,
                r -> r.get("/metrics").handler(HttpApiVerticle.metricsHandler(observability.registry()))))
                .await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw httpFailure(port, e);
        }
        httpPort = port;
    }

    private Exception httpFailure(int port, Exception e) {
        // NIO reports a BindException; the native (epoll) transport a Netty NativeIoException with EADDRINUSE
        // (Netty exposes no EADDRINUSE constant: its message is strerror's)
        if (e instanceof java.net.BindException || e instanceof io.netty.channel.unix.Errors.NativeIoException
            && String.valueOf(e.getMessage()).contains("Address already in use")) {
            return new ConfigException("HTTP_PORT", "cannot listen on " + config.http().host() + ":" + port
                + " (" + e.getMessage() + "); choose another port, or 0 for a free one");
        }
        return new IllegalStateException("starting HTTP on port " + port + ": " + e.getMessage(), e);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private EmbeddedSqs awaitEmbeddedSqs(CompletableFuture<EmbeddedSqs> start) throws Exception {
        try {
            return start.get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("starting the embedded SQS: " + e.getCause(), e.getCause());
        }
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

    private static <T> T await(Future<T> f, String what) throws Exception {
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

    private String redactedRedisUrl() {
        URI u = config.redis().url();
        return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void printBanner() {
        LauncherConfig.Storage s = config.storage();
        StringBuilder b = new StringBuilder();
        b.append("\n\n  S3 music server (ROLE=").append(config.role().value()).append(") is up: ");
        if (config.role() == Role.ALL || config.role() == Role.API) {
            b.append(url).append("/api/artists");
            if (songs >= 0) {
                b.append("  (").append(songs).append(" songs)");
            }
        } else {
            b.append(url).append("/health/ready");
        }
        b.append('\n');
        if (s.embedded()) {
            b.append("\n  Embedded S3 over ").append(s.musicDir()).append(" - copy files in, or upload with any S3 tool:\n")
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
            b.append("  S3 bucket ").append(s.bucket()).append(" in ").append(s.region())
                .append(s.endpoint().map(e -> " at " + e).orElse("")).append(" (default credentials chain)\n");
        }
        if (queueUrl != null) {
            b.append("  SQS: ").append(queueUrl).append(" (dead letters: ").append(deadLetterQueueUrl).append(")\n");
        }
        if (clusterManager != null) {
            b.append("  cluster: node ").append(clusterManager.getNodeId()).append(", ")
                .append(clusterManager.getNodes().size()).append(" members\n");
        }
        LOG.info("{}", b);
    }

    // ---- accessors -------------------------------------------------------------------------------------------

    public URI url() {
        return url;
    }

    public int httpPort() {
        return httpPort;
    }

    public URI s3Endpoint() {
        return s3Endpoint;
    }

    /** The queue the indexer consumes (the embedded one in the embedded default), or null. */
    public String queueUrl() {
        return queueUrl;
    }

    public String deadLetterQueueUrl() {
        return deadLetterQueueUrl;
    }

    /** Songs in the catalog once the reconcile at start finished (in-memory catalog only), else -1. */
    public long songs() {
        return songs;
    }

    public Vertx vertx() {
        return vertx;
    }

    public Readiness readiness() {
        return readiness;
    }

    /** Null unless {@code CLUSTERED=true}. */
    public HazelcastClusterManager clusterManager() {
        return clusterManager;
    }

    // ---- stop ------------------------------------------------------------------------------------------------

    /**
     * SIGTERM: readiness turns 503 and new API requests are refused; requests in flight (streams) get
     * {@code SHUTDOWN_GRACE} to finish; then {@link #close()}. Blocks the calling (non Vert.x) thread.
     */
    public void shutdownGracefully() {
        if (readiness != null) {
            readiness.drain();
            long t = System.nanoTime();
            long deadline = t + config.shutdownGrace().toNanos();
            int inFlight = readiness.inFlight();
            LOG.info("draining: readiness is 503, new requests are refused; {} in flight, grace {}", inFlight,
                config.shutdownGrace());
            while (readiness.inFlight() > 0 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(100); // the shutdown thread, not an event loop
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            LOG.info("drained in {} ms ({} requests still in flight are cut)", millisSince(t), readiness.inFlight());
        }
        close();
    }

    /**
     * Stops at once: Vert.x first (verticles stop: HTTP servers close, the indexer releases the messages it holds,
     * the worker stops taking lookups; then the node leaves the cluster), then the clients and embedded services in
     * reverse order of opening. Safe to call twice.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t = System.nanoTime();
        if (vertx != null) {
            try {
                vertx.close().await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("while stopping Vert.x: {}", e.toString());
            }
            LOG.debug("Vert.x closed in {} ms", millisSince(t));
        }
        while (!opened.isEmpty()) {
            AutoCloseable c = opened.pop();
            long step = System.nanoTime();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("while stopping {}: {}", c.getClass().getSimpleName(), e.toString());
            }
            LOG.debug("closed {} in {} ms", c.getClass().getSimpleName(), millisSince(step));
        }
        LOG.info("stopped in {} ms", millisSince(t));
    }
}
