package dev.s3music.launcher;

import dev.s3music.api.ApiConfig;
import dev.s3music.api.Readiness;
import dev.s3music.metadata.memory.InMemoryMetadataCache;
import dev.s3music.model.port.MetadataCache;
import dev.s3music.redis.RedisCommands;
import dev.s3music.redis.catalog.RedisCatalog;
import dev.s3music.redis.metadata.RedisMetadataCache;
import dev.s3music.model.event.Codecs;
import dev.s3music.model.memory.InMemoryCatalog;
import dev.s3music.model.port.Catalog;
import dev.s3music.s3.S3Config;
import dev.s3music.s3.S3ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The composition root of every role: the only place that builds the shared clients (S3, Redis, Hazelcast) and
 * hands them to the wiring of each role it runs. A thin orchestrator; the parts are:
 *
 * <ul>
 *   <li>{@link EmbeddedStack}: {@code ROLE=all} without {@code S3_BUCKET}, the embedded default, needing no AWS,
 *       Redis or Docker: S3Proxy over {@code MUSIC_DIR}, ElasticMQ with a queue and its DLQ, the folder watcher
 *       that turns file changes into S3-shaped notifications. With {@code S3_BUCKET}: the same verticles on the
 *       real bucket (and {@code SQS_QUEUE_URL}, Redis when {@code USE_REDIS=true}).</li>
 *   <li>{@link ApiRole}: the HTTP API and the cached metadata reader ({@code ROLE=api}, and in {@code all}).</li>
 *   <li>{@link IndexerRole}: the SQS indexer and the reconcile ({@code ROLE=indexer}, and in {@code all}).</li>
 *   <li>{@link MetadataWorkerRole}: the Discogs worker ({@code ROLE=metadata-worker}, and in {@code all} with
 *       {@code DISCOGS_TOKEN}). Roles without the API get a health port.</li>
 *   <li>{@link GracefulStop}: {@link #shutdownGracefully()} (SIGTERM) drains first, then closes.</li>
 *   <li>{@link StartBanner}: the lines logged once up.</li>
 * </ul>
 */
public final class MusicServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MusicServer.class);

    /** jaudiotagger logs every block it reads at INFO through java.util.logging; kept referenced to stay set. */
    private static final java.util.logging.Logger JAUDIOTAGGER = java.util.logging.Logger.getLogger("org.jaudiotagger");

    static {
        JAUDIOTAGGER.setLevel(java.util.logging.Level.WARNING);
    }

    /** Opened resources other than Vert.x, closed last-opened first after Vert.x. */
    private final Opened opened = new Opened();
    private final LauncherConfig config;
    /** Vert.x and domain meters of this process, scraped at /metrics */
    private final Observability observability = new Observability();
    private Vertx vertx;
    private HazelcastClusterManager clusterManager;
    private Optional<EmbeddedStack> embedded = Optional.empty();
    private Readiness readiness;
    private URI url;
    private URI s3Endpoint;
    private String queueUrl;
    private String deadLetterQueueUrl;
    private int httpPort = -1;
    private int managementPort = -1;
    private Optional<String> setupCode = Optional.empty();
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
        // before anything opens: a cluster without an explicit join is refused here (ConfigException)
        com.hazelcast.config.Config hazelcast = config.cluster().enabled()
            ? HazelcastConfigs.build(config.cluster(), System.getProperties()) : null;

        S3Config s3Config;
        if (storage.embedded()) {
            EmbeddedStack stack = EmbeddedStack.start(storage, config.sqs().queueUrl().isEmpty());
            opened.push(stack);
            embedded = Optional.of(stack);
            s3Endpoint = stack.s3Endpoint();
            s3Config = new S3Config(storage.bucket(), storage.region(), s3Endpoint, true, stack.s3AccessKey(),
                stack.s3SecretKey());
        } else {
            s3Endpoint = storage.endpoint().orElse(null);
            // no static keys: the SDK default credentials chain (env, profile, ECS task role, instance profile)
            s3Config = new S3Config(storage.bucket(), storage.region(), s3Endpoint, s3Endpoint != null, null, null);
        }

        vertx = startVertx(hazelcast);
        LOG.info("Vert.x transport: {}", vertx.isNativeTransportEnabled() ? "native (epoll)"
            : "NIO (" + vertx.unavailableNativeTransportCause() + ")");
        Codecs.registerAll(vertx.eventBus());
        List<Readiness.Check> checks = new ArrayList<>();

        Optional<RedisCommands> redis = Optional.empty();
        if (config.redis().enabled()) {
            // one Redis client per process, shared by every adapter (each keeps its own key prefix), every
            // command under REDIS_TIMEOUT
            Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(config.redis().url().toString())
                .setMaxPoolSize(16).setMaxPoolWaiting(10_000));
            opened.push(client::close);
            RedisCommands r = RedisCommands.of(client, config.redis().timeout());
            checks.add(new Readiness.Check("redis", redactedRedisUrl(), () -> r.send(Request.cmd(Command.PING)).mapEmpty()));
            redis = Optional.of(r);
        }

        // one S3 client per process: the API streams, the indexer lists and reads tags, the worker keeps documents
        S3ObjectStore store = S3ObjectStore.create(vertx, s3Config, observability.registry());
        opened.push(store);
        // the metadata cache is shared by the worker (writes) and the API's reader (reads)
        MetadataCache metadataCache = redis.<MetadataCache>map(r -> new RedisMetadataCache(r, RedisKeys.METADATA))
            .orElseGet(InMemoryMetadataCache::new);
        SharedClients shared = new SharedClients(config, vertx, observability, store, redis, metadataCache, opened,
            checks);

        Catalog catalog = null;
        if (servesApi || indexes) {
            catalog = redis.<Catalog>map(r -> new RedisCatalog(r, RedisKeys.CATALOG)).orElseGet(InMemoryCatalog::new);
            checks.add(new Readiness.Check("s3", "bucket " + storage.bucket(), store::check));
            if (redis.isEmpty()) {
                Catalog c = catalog;
                checks.add(new Readiness.Check("catalog", null, () -> c.size().mapEmpty()));
            }
        } else {
            checks.add(MetadataWorkerRole.s3Check(shared));
        }

        IndexerRole.Started indexer = null;
        if (indexes) {
            indexer = IndexerRole.start(shared, catalog, embedded);
            queueUrl = indexer.queueUrl();
            deadLetterQueueUrl = indexer.deadLetterQueueUrl();
        }
        if (looksUp) {
            MetadataWorkerRole.start(shared);
        }
        if (clusterManager != null) {
            HazelcastClusterManager cm = clusterManager;
            checks.add(new Readiness.Check("cluster", null, () -> cm.isActive() && cm.getNodes().contains(cm.getNodeId())
                ? Future.succeededFuture()
                : Future.failedFuture("not a member of the cluster")));
        }
        readiness = new Readiness(ApiConfig.DEFAULT_READY_TIMEOUT, checks);

        if (servesApi) {
            ApiRole.Started api = ApiRole.start(shared, catalog, readiness);
            httpPort = api.port();
            setupCode = api.setupCode();
            managementPort = ApiRole.startManagementPort(shared, readiness);
        } else {
            httpPort = ApiRole.startHealthPort(shared, readiness);
            managementPort = httpPort; // their only port is their management port
        }

        if (indexer != null && !config.redis().enabled()) {
            // the in-memory catalog is empty at start, so the reconcile runs: wait for it, the banner counts songs
            IndexerRole.awaitReconcile(indexer.reconciler());
            songs = catalog.size().await(Steps.STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        url = URI.create("http://" + StartBanner.displayHost(config.http().host()) + ":" + httpPort);
        // the web origin is known only now (HTTP_PORT=0 picks one): until here the embedded S3 refused every Origin
        embedded.ifPresent(e -> e.allowWebOrigins(WebOrigins.of(config.http().host(), httpPort)));
        // one log line per banner line: the text format escapes control characters in a message (log injection),
        // so a multi-line message would print as one line of \x0a
        String banner = StartBanner.text(config, url, songs, embedded, queueUrl, deadLetterQueueUrl, clusterManager,
            setupCode);
        for (String line : banner.split("\n")) {
            LOG.info("{}", line);
        }
    }

    // ---- Vert.x, clustered or not ----------------------------------------------------------------------------

    private Vertx startVertx(com.hazelcast.config.Config hazelcast) throws Exception {
        // epoll where available (Linux, with the native jar): falls back to NIO by itself elsewhere
        VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
        LauncherConfig.Cluster cluster = config.cluster();
        if (!cluster.enabled()) {
            return observability.vertxBuilder(options).build();
        }
        options.getEventBusOptions().setPort(cluster.eventBusPort());
        // unset: Vert.x takes the address Hazelcast binds to (clusterHost()), which is what a task knows on ECS
        cluster.eventBusHost().ifPresent(h -> options.getEventBusOptions().setHost(h));
        clusterManager = new HazelcastClusterManager(hazelcast);
        long t = System.nanoTime();
        Vertx clustered = Steps.await(observability.vertxBuilder(options).withClusterManager(clusterManager)
                .buildClustered(),
            "joining the cluster" + (cluster.members().isEmpty() ? "" : " " + cluster.members()));
        LOG.info("joined the cluster as {} ({} members) in {} ms", clusterManager.getNodeId(),
            clusterManager.getNodes().size(), Steps.millisSince(t));
        return clustered;
    }

    private String redactedRedisUrl() {
        URI u = config.redis().url();
        return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
    }

    // ---- accessors -------------------------------------------------------------------------------------------

    public URI url() {
        return url;
    }

    public int httpPort() {
        return httpPort;
    }

    /** Readiness with details and /metrics: MANAGEMENT_PORT with the API, else the health port (HTTP_PORT). */
    public int managementPort() {
        return managementPort;
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

    /** The one-time setup code printed in the banner (no account and no ADMIN_PASSWORD at start), else empty. */
    Optional<String> setupCode() {
        return setupCode;
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
            GracefulStop.drain(readiness, config.shutdownGrace());
        }
        close();
    }

    /**
     * Stops at once: Vert.x first, then the clients and embedded services in reverse order of opening (see
     * {@link GracefulStop#close}). Safe to call twice.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        GracefulStop.close(vertx, opened);
    }
}
