package dev.s3music.launcher;

import dev.s3music.accounts.AccountsConfig;
import dev.s3music.accounts.DocumentShareService;
import dev.s3music.accounts.StoredAccountService;
import dev.s3music.accounts.StoredSubsonicCredentials;
import dev.s3music.api.ApiConfig;
import dev.s3music.api.HealthVerticle;
import dev.s3music.api.HttpApiVerticle;
import dev.s3music.api.Readiness;
import dev.s3music.api.RouteArea;
import dev.s3music.api.StreamService;
import dev.s3music.api.art.ArtArea;
import dev.s3music.api.art.CoverArtService;
import dev.s3music.api.art.RemoteImages;
import dev.s3music.api.auth.AuthArea;
import dev.s3music.api.upload.UploadArea;
import dev.s3music.api.auth.AuthHandler;
import dev.s3music.api.auth.ShareLinkArea;
import dev.s3music.indexer.tags.RangedTagReader;
import dev.s3music.api.user.UserArea;
import dev.s3music.api.cost.CatalogBytes;
import dev.s3music.api.cost.CostArea;
import dev.s3music.api.cost.CostPanel;
import dev.s3music.metadata.CachedMetadataReader;
import dev.s3music.subsonic.SubsonicArea;
import dev.s3music.metadata.ReaderConfig;
import dev.s3music.model.DomainException;
import dev.s3music.model.auth.LoginThrottle;
import dev.s3music.model.auth.SessionStore;
import dev.s3music.model.auth.ThrottlePolicy;
import dev.s3music.model.memory.InMemoryLoginThrottle;
import dev.s3music.model.memory.InMemorySessionStore;
import dev.s3music.model.memory.InMemoryUserDataCache;
import dev.s3music.model.port.Catalog;
import dev.s3music.model.port.CatalogReader;
import dev.s3music.model.port.SignedLinks;
import dev.s3music.s3.CloudFrontLinks;
import dev.s3music.api.catalog.CachedCatalog;
import dev.s3music.model.port.DocumentStore;
import dev.s3music.model.port.MetadataReader;
import dev.s3music.model.user.UserDataCache;
import dev.s3music.userdata.PlayFlushVerticle;
import dev.s3music.userdata.StoredUserDataService;
import dev.s3music.userdata.UserDataConfig;
import dev.s3music.redis.auth.RedisLoginThrottle;
import dev.s3music.redis.auth.RedisSessionStore;
import dev.s3music.redis.user.RedisUserDataCache;
import dev.s3music.web.WebPlayerArea;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wiring of {@code ROLE=api} (and of the API inside {@code ROLE=all}): {@code HTTP_INSTANCES} HTTP verticles on
 * the shared catalog, S3 client and readiness, with the cached metadata reader, and its management port
 * ({@link #startManagementPort}: readiness with details, {@code /metrics}). Roles without the API get only that
 * management port, on {@code HTTP_PORT} ({@link #startHealthPort}).
 */
final class ApiRole {

    private static final Logger LOG = LoggerFactory.getLogger(ApiRole.class);

    private ApiRole() {
    }

    /**
     * The API as deployed.
     *
     * @param port      where it listens
     * @param setupCode the one-time code of {@code POST /api/setup} when no account exists and {@code ADMIN_PASSWORD}
     *                  is unset (for the start banner only), else empty
     */
    record Started(int port, Optional<String> setupCode) {
    }

    /**
     * Deploys the API, always behind the auth handler: the standard areas, sign-in and users ({@link AuthArea}), share
     * links ({@link ShareLinkArea}), with the accounts module over the bucket's {@code .s3music/} documents and the
     * sessions and throttle in Redis (in memory without it). There is no path to an API without sign-in here.
     */
    static Started start(SharedClients shared, Catalog stored, Readiness readiness) throws Exception {
        LauncherConfig config = shared.config();
        // what every area reads: the shared catalog, behind this process's L1 when it lives in Redis
        CatalogReader catalog = catalogL1(shared, stored);
        LauncherConfig.Http http = config.http();
        LauncherConfig.Auth auth = config.auth();
        MetadataReader metadata = metadataReader(shared);
        int port = http.port() == 0 ? freePort() : http.port();
        ApiConfig apiConfig = ApiConfig.of(http.host(), port)
            .withLimits(http.idleTimeout(), http.headerTimeout(), http.maxStreams(),
                http.maxStreamsPerUser());
        long t = System.nanoTime();

        AccountsConfig accountsConfig = AccountsConfig.defaults();
        if (auth.sessionLifetime().isPresent() || auth.sessionIdle().isPresent()) {
            accountsConfig = accountsConfig.withSessions(
                auth.sessionLifetime().orElse(accountsConfig.sessionLifetime()),
                auth.sessionIdle().orElse(accountsConfig.sessionIdle()));
        }
        ThrottlePolicy policy = accountsConfig.throttle();
        SessionStore sessions = shared.redis().<SessionStore>map(r -> new RedisSessionStore(r, RedisKeys.SESSIONS))
            .orElseGet(InMemorySessionStore::new);
        LoginThrottle throttle = shared.redis().<LoginThrottle>map(r -> new RedisLoginThrottle(r, RedisKeys.THROTTLE, policy))
            .orElseGet(() -> new InMemoryLoginThrottle(policy));
        DocumentStore documents = shared.store().documents(ACCOUNTS_PREFIX);
        StoredAccountService accounts = new StoredAccountService(shared.vertx(), documents, sessions, throttle,
            accountsConfig);
        shared.opened().push(accounts);
        Optional<String> setupCode;
        try {
            accounts.ready().await(Steps.STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            setupCode = accounts.bootstrap(Optional.of(auth.adminUser()), auth.adminPassword())
                .await(Steps.STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (DomainException e) {
            if (e.kind() == DomainException.Kind.INVALID && auth.adminPassword().isPresent()) {
                // the rule it breaks, never the value
                throw new ConfigException("ADMIN_PASSWORD", e.getMessage());
            }
            throw e;
        }
        DocumentShareService shares = new DocumentShareService(documents, accountsConfig);
        StoredUserDataService userData = startUserData(shared, documents);
        // the key of the Subsonic app passwords: from AUTH_SECRET, else a secret kept beside the accounts
        String subsonicSecret = config.authSecret().isPresent() ? config.authSecret().get()
            : StoredSubsonicCredentials.storedSecret(documents).await(Steps.STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        StoredSubsonicCredentials subsonic = new StoredSubsonicCredentials(shared.vertx(), accounts, documents,
            subsonicSecret);
        shared.opened().push(subsonic);
        subsonic.ready().await(Steps.STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);

        MeterRegistry registry = shared.observability().registry();
        // one per process: the stream cap (MAX_STREAMS) counts every instance's streams
        LauncherConfig.Streaming streaming = config.streaming();
        // the redirect mode's links: the CloudFront edge when configured, else presigned S3 GETs
        SignedLinks links = streaming.cloudFront().<SignedLinks>map(cf -> CloudFrontLinks.create(cf.domain(), cf.keyId(),
            cf.privateKeyPem(), streaming.linkTtl(), shared.store())).orElseGet(() -> shared.store().links(streaming.linkTtl()));
        StreamService streams = new StreamService(catalog, shared.store(), registry, apiConfig.maxStreams(),
            apiConfig.maxStreamsPerUser(), links, streaming.mode());
        List<RouteArea> areas = new ArrayList<>(
            HttpApiVerticle.standardAreas(apiConfig, catalog, metadata, streams, readiness, registry));
        areas.add(new AuthArea(accounts, shares, subsonic, auth.trustedProxies()));
        areas.add(new ShareLinkArea(shares, catalog, streams));
        CoverArtService covers = coverArt(shared, catalog, metadata, apiConfig);
        areas.add(new ArtArea(covers));
        areas.add(new UploadArea(shared.store().uploads()));
        areas.add(new UserArea(userData, catalog, accounts));
        areas.add(new SubsonicArea(shared.vertx(), catalog, streams, userData, metadata, accounts, subsonic,
            auth.trustedProxies(), covers, apiConfig.metadataTimeout(), apiConfig.eventBusTimeout()));
        // GET /api/admin/costs: this process's S3 meters (counted by the store) priced, and the library's size
        areas.add(new CostArea(new CostPanel(registry, streaming.prices(), new CatalogBytes(stored))));
        // the web player at "/": a catch-all, so last
        areas.add(new WebPlayerArea(s3Origins(shared)));
        try {
            shared.vertx().deployVerticle(() -> new HttpApiVerticle(apiConfig, readiness, areas,
                        table -> new AuthHandler(table, accounts, auth.trustedProxies())),
                    new DeploymentOptions().setInstances(http.instances()))
                .await(Steps.STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw httpFailure(http, port, e);
        }
        LOG.info("HTTP API ({} instances) deployed in {} ms", http.instances(), Steps.millisSince(t));
        return new Started(port, setupCode);
    }

    /**
     * Where the player's uploads go (the presigned part URLs) and redirected streams come from: the S3 endpoint's
     * origin (the embedded S3, or AWS_ENDPOINT_URL), else AWS's S3 over https, and the CloudFront domain when
     * redirects go there; the page's Content-Security-Policy allows requests there.
     */
    static List<String> s3Origins(SharedClients shared) {
        List<String> origins = new ArrayList<>();
        java.net.URI endpoint = shared.store().config().endpoint();
        if (endpoint == null) {
            origins.add("https://*.amazonaws.com");
        } else {
            int port = endpoint.getPort();
            origins.add(endpoint.getScheme() + "://" + endpoint.getHost() + (port < 0 ? "" : ":" + port));
        }
        // redirect mode behind CloudFront: the page's audio element follows the 302 to the edge
        shared.config().streaming().cloudFront().ifPresent(cf -> origins.add("https://" + cf.domain()));
        return List.copyOf(origins);
    }

    /** Where resized covers are kept in the bucket. */
    static final String ART_PREFIX = ".s3music/art/";

    /**
     * Cover art, one per process: resized on a small named worker pool; embedded pictures read by the indexer's
     * ranged tag reader (its sparse files in a temporary folder removed at stop); Discogs images from Discogs' hosts.
     */
    private static CoverArtService coverArt(SharedClients shared, CatalogReader catalog, MetadataReader metadata,
                                            ApiConfig apiConfig) throws IOException {
        Path pictureTemp = Files.createTempDirectory("s3music-art-");
        shared.opened().push(() -> IndexerRole.deleteTree(pictureTemp));
        var vertx = shared.vertx();
        RangedTagReader pictures = new RangedTagReader(shared.store(), vertx.createSharedWorkerExecutor("art-tags", 1),
            pictureTemp);
        return new CoverArtService(catalog, shared.store(), shared.store().blobs(ART_PREFIX), pictures, metadata,
            RemoteImages.discogs(vertx), vertx.createSharedWorkerExecutor("cover-art", 2), apiConfig.metadataTimeout());
    }

    /**
     * Favourites, ratings, plays, queues and playlists ({@code users/}, {@code playlists/} below the bucket's
     * {@code .s3music/}), cached in memory (Redis with {@code USE_REDIS=true}); the flush verticle writes buffered
     * plays every minute and, when Vert.x closes at the stop (before the S3 client does), all of them.
     */
    private static StoredUserDataService startUserData(SharedClients shared, DocumentStore documents) throws Exception {
        UserDataCache cache = shared.redis().<UserDataCache>map(r -> new RedisUserDataCache(r, RedisKeys.USER_DATA))
            .orElseGet(InMemoryUserDataCache::new);
        StoredUserDataService userData = new StoredUserDataService(shared.vertx(), documents, cache,
            UserDataConfig.defaults().withFlushEvery(shared.config().playsFlushEvery()));
        shared.vertx().deployVerticle(new PlayFlushVerticle(userData))
            .await(Steps.STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return userData;
    }

    /**
     * The catalog L1 ({@link CachedCatalog}, {@code CATALOG_CACHE_SIZE} items) in front of the Redis catalog,
     * invalidated by the indexer's catalog events; none in front of the in-memory catalog (it is the memory) or with
     * {@code CATALOG_CACHE_SIZE=0}.
     */
    private static CatalogReader catalogL1(SharedClients shared, Catalog stored) throws Exception {
        int size = shared.config().streaming().catalogCacheSize();
        if (shared.redis().isEmpty() || size == 0) {
            return stored;
        }
        CachedCatalog l1 = CachedCatalog.create(shared.vertx(), stored, size, shared.observability().registry());
        shared.opened().push(l1);
        l1.ready().await(Steps.STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        LOG.info("catalog L1: up to {} items, invalidated by the catalog events", size);
        return l1;
    }

    /** Where account, share and setup documents live in the bucket (the accounts module's keys below it). */
    static final String ACCOUNTS_PREFIX = ".s3music/";

    /**
     * The management port of the API role ({@code MANAGEMENT_HOST:MANAGEMENT_PORT}): readiness with its details and
     * {@code /metrics}; returns the port it listens on.
     */
    static int startManagementPort(SharedClients shared, Readiness readiness) throws Exception {
        LauncherConfig.Http http = shared.config().http();
        int port = http.managementPort();
        if (port != 0 && !http.managementPortExplicit() && !isFree(http.managementHost(), port)) {
            LOG.warn("port {} is taken: the management port is a free one instead (set MANAGEMENT_PORT to choose)",
                port);
            port = 0;
        }
        return startManagement(shared, readiness, "MANAGEMENT_PORT", http.managementHost(), port);
    }

    /**
     * The API's metadata reader. ROLE=all knows whether it runs a worker (a token); ROLE=api never sees the token
     * (it is the worker's secret), so it always asks and the worker answers {@code unavailable} without one.
     */
    private static MetadataReader metadataReader(SharedClients shared) {
        LauncherConfig config = shared.config();
        boolean enabled = config.role() == Role.API || config.discogs().token().isPresent();
        return enabled ? new CachedMetadataReader(shared.vertx(), ReaderConfig.defaults(true), shared.metadataCache(),
            shared.observability().registry()) : MetadataReader.unavailable();
    }

    /**
     * The port of roles without the API (indexer, metadata worker): it is their management port (readiness with
     * details, /metrics) on {@code HTTP_HOST:HTTP_PORT}; returns the port it listens on.
     */
    static int startHealthPort(SharedClients shared, Readiness readiness) throws Exception {
        LauncherConfig.Http http = shared.config().http();
        return startManagement(shared, readiness, "HTTP_PORT", http.host(), http.port());
    }

    private static int startManagement(SharedClients shared, Readiness readiness, String variable, String host,
                                       int configured) throws Exception {
        int port = configured == 0 ? freePort() : configured;
        try {
            shared.vertx().deployVerticle(new HealthVerticle(host, port, readiness,
                    r -> r.get("/metrics").handler(HttpApiVerticle.metricsHandler(shared.observability().registry()))))
                .await(Steps.STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw httpFailure(variable, host, port, e);
        }
        return port;
    }

    private static Exception httpFailure(LauncherConfig.Http http, int port, Exception e) {
        return httpFailure("HTTP_PORT", http.host(), port, e);
    }

    private static Exception httpFailure(String variable, String host, int port, Exception e) {
        // NIO reports a BindException; the native (epoll) transport a Netty NativeIoException with EADDRINUSE
        // (Netty exposes no EADDRINUSE constant: its message is strerror's)
        if (e instanceof java.net.BindException || e instanceof io.netty.channel.unix.Errors.NativeIoException
            && String.valueOf(e.getMessage()).contains("Address already in use")) {
            return new ConfigException(variable, "cannot listen on " + host + ":" + port
                + " (" + e.getMessage() + "); choose another port, or 0 for a free one");
        }
        return new IllegalStateException("starting HTTP on port " + port + ": " + e.getMessage(), e);
    }

    private static boolean isFree(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new java.net.InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * {@code HTTP_PORT=0}: a free port chosen before the deploy, so every HTTP verticle instance listens on the
     * same one and the banner can print it (the same way embedded-services' {@code FreePorts} picks one).
     */
    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
