package dev.s3music.launcher;

import dev.s3music.api.ApiConfig;
import dev.s3music.api.auth.TrustedProxies;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything a process reads from its environment, parsed once at start and validated: a bad value fails the
 * start with a message naming the variable. Nothing below the composition root reads the environment; it gets
 * these records (or the module config records built from them).
 *
 * @param role    {@code ROLE}: what this process runs
 * @param http    the HTTP API listener
 * @param storage where the music is: the embedded S3 over a folder, or a real bucket
 * @param sqs     where upload events come from
 * @param redis   whether the catalog and caches live in Redis
 * @param discogs artist and album information
 * @param cluster whether and how this process joins the Vert.x cluster
 * @param shutdownGrace {@code SHUTDOWN_GRACE}, default 30s: on SIGTERM, how long requests in flight (streams) may
 *                go on after readiness turned 503 and new requests are refused
 * @param authSecret {@code AUTH_SECRET}: the key the Subsonic app passwords are encrypted with (accounts'
 *                {@code StoredSubsonicCredentials}; deploy injects it into the API tasks from Secrets Manager). Unset:
 *                a secret stored once beside the accounts. When set it must be at least
 *                {@value #MIN_AUTH_SECRET_LENGTH} characters. Never logged.
 * @param auth    the first admin, the trusted proxies and the session lifetimes of the API's sign-in
 * @param playsFlushEvery {@code PLAYS_FLUSH_EVERY}, default 1m: an API instance writes each user's buffered plays
 *                to S3 at most this often (a killed process loses at most this much of them)
 */
public record LauncherConfig(Role role, Http http, Storage storage, Sqs sqs, Redis redis, Discogs discogs,
                             Cluster cluster, Duration shutdownGrace, Optional<String> authSecret,
                             Optional<Duration> reconcileEvery, Auth auth, Duration playsFlushEvery) {

    /** With the default {@code PLAYS_FLUSH_EVERY}: for the callers that predate it. */
    public LauncherConfig(Role role, Http http, Storage storage, Sqs sqs, Redis redis, Discogs discogs,
                          Cluster cluster, Duration shutdownGrace, Optional<String> authSecret,
                          Optional<Duration> reconcileEvery, Auth auth) {
        this(role, http, storage, sqs, redis, discogs, cluster, shutdownGrace, authSecret, reconcileEvery, auth,
            DEFAULT_PLAYS_FLUSH_EVERY);
    }

    /** Without the sign-in settings (all defaults): for the callers that predate them. */
    public LauncherConfig(Role role, Http http, Storage storage, Sqs sqs, Redis redis, Discogs discogs,
                          Cluster cluster, Duration shutdownGrace, Optional<String> authSecret,
                          Optional<Duration> reconcileEvery) {
        this(role, http, storage, sqs, redis, discogs, cluster, shutdownGrace, authSecret, reconcileEvery, Auth.DEFAULTS);
    }

    /**
     * Every environment variable the launcher reads, the only names {@link Env} lets it read (plus
     * {@code LOG_LEVEL} and {@code LOG_FORMAT}, which logback.xml reads). The defaults are the {@code DEFAULT_*} constants below,
     * owned here; the top-level README's configuration table documents the same names.
     */
    public static final List<String> VARIABLES = List.of(
        "ROLE",
        "HTTP_HOST", "HTTP_PORT", "HTTP_INSTANCES", "MANAGEMENT_HOST", "MANAGEMENT_PORT",
        "IDLE_TIMEOUT", "HEADER_TIMEOUT", "MAX_STREAMS", "MAX_STREAMS_PER_USER",
        "MUSIC_DIR", "DEMO_LIBRARY", "S3_HOST", "S3_PORT", "S3_CREDENTIALS_FILE", "S3_BUCKET",
        "AWS_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_SQS",
        "SQS_QUEUE_URL", "SQS_DLQ_URL",
        "USE_REDIS", "REDIS_URL", "REDIS_TIMEOUT", "CACHE_TTL",
        "DISCOGS_TOKEN", "DISCOGS_URL", "DISCOGS_RATE", "LOOKUP_LEASE",
        "CLUSTERED", "CLUSTER_MEMBERS", "CLUSTER_HOST", "EVENTBUS_HOST", "EVENTBUS_PORT", "CLUSTER_JOIN_WAIT",
        "SHUTDOWN_GRACE", "AUTH_SECRET", "RECONCILE_EVERY",
        "ADMIN_USER", "ADMIN_PASSWORD", "TRUSTED_PROXIES", "SESSION_LIFETIME", "SESSION_IDLE",
        "PLAYS_FLUSH_EVERY",
        // read by logback.xml itself (LOG_FORMAT is also checked by Observability)
        "LOG_LEVEL", Observability.LOG_FORMAT);

    /** The embedded S3 serves the music folder as this bucket. */
    public static final String EMBEDDED_BUCKET = "music";
    /** Region the embedded S3 client signs for; S3Proxy accepts any. */
    public static final String EMBEDDED_REGION = "us-east-1";
    public static final String DEFAULT_HTTP_HOST = "127.0.0.1";
    /** {@code ADMIN_USER}'s default: the name of the first admin. */
    public static final String DEFAULT_ADMIN_USER = "admin";
    public static final int DEFAULT_HTTP_PORT = 8080;
    /** Health details and /metrics: loopback unless the operator opens it (a scraper or sidecar on the host). */
    public static final String DEFAULT_MANAGEMENT_HOST = "127.0.0.1";
    public static final int DEFAULT_MANAGEMENT_PORT = 9090;
    public static final String DEFAULT_MUSIC_DIR = "./music";
    public static final String DEFAULT_S3_HOST = "127.0.0.1";
    public static final URI DEFAULT_REDIS_URL = URI.create("redis://127.0.0.1:6379");
    /** Vert.x's clustered event bus on a free port; the containers set 17001 (deploy's ServerContract). */
    public static final int DEFAULT_EVENTBUS_PORT = 0;
    /** AUTH_SECRET's minimum length: 32 characters (256 bits of a random alphanumeric key are about 43). */
    public static final int MIN_AUTH_SECRET_LENGTH = 32;
    /**
     * Where the embedded S3's per-installation credentials live, under the user's home (never in the music folder,
     * which the embedded S3 serves): {@code ~/.config/s3music/embedded-s3.properties}.
     */
    public static final String DEFAULT_S3_CREDENTIALS_FILE = ".config/s3music/embedded-s3.properties";
    /** The usual port of a local S3 (MinIO's); when taken and not set explicitly, a free port is used. */
    public static final int DEFAULT_S3_PORT = 9000;
    public static final String DEFAULT_DISCOGS_URL = "https://api.discogs.com";
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofDays(7);
    /** {@code REDIS_TIMEOUT}: far above a healthy round trip, short enough that an API caller gets its 503 soon. */
    public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
    /**
     * {@code RECONCILE_EVERY}: a full reconcile this often heals catalog updates lost for any reason (a DLQ nobody
     * redrove, a missing notification); {@code 0} or {@code off} turns it off.
     */
    public static final Duration DEFAULT_RECONCILE_EVERY = Duration.ofDays(1);
    /** {@code RECONCILE_EVERY}'s floor: each reconcile lists the whole bucket. */
    public static final Duration MIN_RECONCILE_EVERY = Duration.ofMinutes(1);
    /**
     * {@code PLAYS_FLUSH_EVERY}: S3 bills each PUT; at most one per active listener per minute per API instance keeps
     * a class's plays cheap, and a killed process loses at most a minute of plays (the graceful stop writes them).
     */
    public static final Duration DEFAULT_PLAYS_FLUSH_EVERY = Duration.ofMinutes(1);
    /** Discogs allows 60 authenticated calls a minute; the budget is for the whole cluster. */
    public static final int DEFAULT_DISCOGS_RATE = 60;
    /** Longer than any lookup (bounded retries with backoff under the budget), short enough to heal a crash. */
    public static final Duration DEFAULT_LOOKUP_LEASE = Duration.ofMinutes(5);

    /** S3 bucket naming rules (the common subset: no dots-next-to-dashes subtleties needed here). */
    private static final Pattern BUCKET = Pattern.compile("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$");

    /**
     * @param host      {@code HTTP_HOST}, default 127.0.0.1 (opening it to the network is a choice, e.g.
     *                  {@code HTTP_HOST=0.0.0.0}; every route but health, sign-in and share links needs a session)
     * @param port      {@code HTTP_PORT}, default 8080; 0 picks a free port
     * @param instances {@code HTTP_INSTANCES}, HTTP verticle instances (event loops serving HTTP), default the
     *                  number of processors
     * @param managementHost {@code MANAGEMENT_HOST}, default 127.0.0.1: where the API role serves /health/ready with
     *                  details and /metrics
     * @param managementPort {@code MANAGEMENT_PORT}, default 9090 (when taken and not set explicitly, a free port,
     *                  printed in the banner); 0 picks a free port. Roles without the API serve their management
     *                  endpoints on {@code HTTP_PORT} (their only port) and ignore both
     * @param managementPortExplicit whether {@code MANAGEMENT_PORT} was set
     * @param idleTimeout {@code IDLE_TIMEOUT}, default 60s: a connection with no byte read or written is closed
     * @param headerTimeout {@code HEADER_TIMEOUT}, default 10s: a request head must arrive within this long
     * @param maxStreams {@code MAX_STREAMS}, default 2000: song bodies relayed at once by this process; more: 503
     * @param maxStreamsPerUser {@code MAX_STREAMS_PER_USER}, default 8: song bodies relayed at once by this process
     *                  for one user (share links under the share's owner); more: 429
     */
    public record Http(String host, int port, int instances, String managementHost, int managementPort,
                       boolean managementPortExplicit, Duration idleTimeout, Duration headerTimeout, int maxStreams,
                       int maxStreamsPerUser) {
    }

    /**
     * Where the music is.
     *
     * @param embedded   true: S3Proxy over {@code musicDir} (no {@code S3_BUCKET}); false: the bucket
     *                   {@code bucket} on AWS or on {@code endpoint}
     * @param musicDir   {@code MUSIC_DIR}, default ./music: the folder the embedded S3 serves as bucket "music"
     * @param demoLibrary {@code DEMO_LIBRARY}, default true: copy the demo library into a missing or empty
     *                   {@code musicDir} at start
     * @param s3Host     {@code S3_HOST}, default 127.0.0.1: where the embedded S3 listens (anyone who can reach it
     *                   and holds the credentials can write into the music folder: keep it on loopback unless the
     *                   network is yours)
     * @param s3Port     {@code S3_PORT}, default 9000; 0 picks a free port
     * @param s3PortExplicit whether {@code S3_PORT} was set (the default falls back to a free port when taken)
     * @param credentialsFile {@code S3_CREDENTIALS_FILE}, default {@code ~/.config/s3music/embedded-s3.properties}:
     *                   the embedded S3's access key pair, generated at the first start (0600) and reused; never
     *                   inside {@code MUSIC_DIR}
     * @param bucket     {@code S3_BUCKET}, or "music" when embedded
     * @param region     {@code AWS_REGION}: embedded: us-east-1 (S3Proxy accepts any); required with
     *                   {@code S3_BUCKET} (ECS sets it in every task)
     * @param endpoint   {@code AWS_ENDPOINT_URL_S3}, else {@code AWS_ENDPOINT_URL} (the AWS SDK's names): an
     *                   S3-compatible endpoint instead of AWS (path-style)
     */
    public record Storage(boolean embedded, Path musicDir, boolean demoLibrary, String s3Host, int s3Port,
                          boolean s3PortExplicit, Path credentialsFile, String bucket, String region,
                          Optional<URI> endpoint) {
    }

    /**
     * @param queueUrl {@code SQS_QUEUE_URL}: the queue S3 notifies; empty with the embedded default runs the
     *                 embedded SQS (ElasticMQ)
     * @param deadLetterQueueUrl {@code SQS_DLQ_URL}: where the indexer moves poison messages at once; empty leaves
     *                 them to the queue's redrive policy
     * @param endpoint {@code AWS_ENDPOINT_URL_SQS}, else {@code AWS_ENDPOINT_URL}: an SQS-compatible endpoint
     *                 (ElasticMQ) instead of AWS
     */
    public record Sqs(Optional<URI> queueUrl, Optional<URI> deadLetterQueueUrl, Optional<URI> endpoint) {
    }

    /**
     * @param enabled  {@code USE_REDIS}, default false: in-memory catalog and caches
     * @param url      {@code REDIS_URL}, default redis://127.0.0.1:6379
     * @param cacheTtl {@code CACHE_TTL}, default 7d: how long a metadata cache entry lives
     * @param timeout  {@code REDIS_TIMEOUT}, default 2s: the deadline of every Redis command; past it the call
     *                 fails as unavailable (an API request answers 503 instead of hanging on a stalled Redis)
     */
    public record Redis(boolean enabled, URI url, Duration cacheTtl, Duration timeout) {
        public Redis(boolean enabled, URI url, Duration cacheTtl) {
            this(enabled, url, cacheTtl, DEFAULT_REDIS_TIMEOUT);
        }
    }

    /**
     * @param token   {@code DISCOGS_TOKEN}: empty means no metadata lookups (answers "unavailable")
     * @param baseUrl {@code DISCOGS_URL}, default https://api.discogs.com (tests point it at the fake); http only
     *                on loopback (the token would travel in clear)
     * @param rate    {@code DISCOGS_RATE}, default 60: Discogs calls per minute for the whole cluster (1 to 60)
     * @param lease   {@code LOOKUP_LEASE}, default 5m: how long a worker owns a taken lookup before another worker
     *                may take it again (a killed worker's lookup comes back after this)
     */
    public record Discogs(Optional<String> token, URI baseUrl, int rate, Duration lease) {
    }

    /**
     * @param enabled      {@code CLUSTERED}, default false: join the Vert.x cluster (Hazelcast)
     * @param members      {@code CLUSTER_MEMBERS}: comma-separated hosts (or host:port) for Hazelcast's TCP/IP join;
     *                     when set, multicast and auto-detection are off. Empty: Hazelcast's configuration with its
     *                     {@code HZ_*} environment overrides decides (AWS/ECS discovery in production)
     * @param host         {@code CLUSTER_HOST}: the interface Hazelcast binds to (e.g. 127.0.0.1 for a local cluster);
     *                     empty lets Hazelcast pick one
     * @param eventBusHost {@code EVENTBUS_HOST}: the host other members reach this event bus at; empty takes the
     *                     address Hazelcast binds to
     * @param eventBusPort {@code EVENTBUS_PORT}, default 0 (a free port); 17001 in containers
     * @param joinWait     {@code CLUSTER_JOIN_WAIT}: Hazelcast's {@code hazelcast.wait.seconds.before.join} (tests: 1s)
     */
    public record Cluster(boolean enabled, List<String> members, Optional<String> host, Optional<String> eventBusHost,
                          int eventBusPort, Optional<Duration> joinWait) {
    }

    /** Reads and validates the environment; throws {@link ConfigException} naming the first bad variable. */
    public static LauncherConfig fromEnv(Map<String, String> environment) {
        Env env = new Env(environment);
        Role role = env.optional("ROLE").map(v -> Role.parse("ROLE", v)).orElse(Role.ALL);

        Http http = new Http(env.string("HTTP_HOST", DEFAULT_HTTP_HOST), env.port("HTTP_PORT", DEFAULT_HTTP_PORT),
            env.intInRange("HTTP_INSTANCES", Runtime.getRuntime().availableProcessors(), 1, 64),
            env.string("MANAGEMENT_HOST", DEFAULT_MANAGEMENT_HOST), env.port("MANAGEMENT_PORT", DEFAULT_MANAGEMENT_PORT),
            env.optional("MANAGEMENT_PORT").isPresent(),
            positive(env, "IDLE_TIMEOUT", ApiConfig.DEFAULT_IDLE_TIMEOUT),
            positive(env, "HEADER_TIMEOUT", ApiConfig.DEFAULT_HEADER_TIMEOUT),
            env.intInRange("MAX_STREAMS", ApiConfig.DEFAULT_MAX_STREAMS, 1, 100_000),
            env.intInRange("MAX_STREAMS_PER_USER", ApiConfig.DEFAULT_MAX_STREAMS_PER_USER, 1, 100_000));
        if (http.managementPort() != 0 && http.managementPort() == http.port()) {
            throw new ConfigException("MANAGEMENT_PORT", "must differ from HTTP_PORT (" + http.port() + ")");
        }

        Optional<String> bucket = env.optional("S3_BUCKET");
        bucket.ifPresent(b -> {
            if (!BUCKET.matcher(b).matches()) {
                throw new ConfigException("S3_BUCKET", "'" + b + "' is not a valid S3 bucket name "
                    + "(3 to 63 lower-case letters, digits, dots and dashes)");
            }
        });
        Optional<String> region = env.optional("AWS_REGION");
        region.ifPresent(r -> {
            if (!r.matches("^[a-z0-9-]{2,32}$")) {
                throw new ConfigException("AWS_REGION", "'" + r + "' is not a region name (e.g. eu-west-1)");
            }
        });
        Optional<URI> anyEndpoint = env.uri("AWS_ENDPOINT_URL", "http", "https");
        Optional<URI> endpoint = env.uri("AWS_ENDPOINT_URL_S3", "http", "https").or(() -> anyEndpoint);
        boolean embedded = bucket.isEmpty();
        if (embedded && anyEndpoint.isPresent()) {
            throw new ConfigException("AWS_ENDPOINT_URL",
                "is set but S3_BUCKET is not: set S3_BUCKET to use that endpoint, or unset AWS_ENDPOINT_URL to run "
                    + "the embedded S3 over MUSIC_DIR");
        }
        Path musicDir = env.path("MUSIC_DIR", DEFAULT_MUSIC_DIR);
        Path credentialsFile = env.path("S3_CREDENTIALS_FILE",
            Path.of(System.getProperty("user.home"), DEFAULT_S3_CREDENTIALS_FILE).toString());
        if (credentialsFile.startsWith(musicDir)) {
            // the embedded S3 serves MUSIC_DIR: keys stored there could be downloaded with themselves
            throw new ConfigException("S3_CREDENTIALS_FILE", "'" + credentialsFile + "' is inside MUSIC_DIR, which "
                + "the embedded S3 serves: keep the credentials outside the music");
        }
        Storage storage = new Storage(embedded, musicDir, env.bool("DEMO_LIBRARY", true),
            env.string("S3_HOST", DEFAULT_S3_HOST), env.port("S3_PORT", DEFAULT_S3_PORT),
            env.optional("S3_PORT").isPresent(), credentialsFile, bucket.orElse(EMBEDDED_BUCKET),
            region.orElseGet(() -> {
                if (!embedded) {
                    throw new ConfigException("AWS_REGION", "is required with S3_BUCKET (the bucket's region, e.g. "
                        + "eu-west-1; us-east-1 for most S3-compatible servers)");
                }
                return EMBEDDED_REGION;
            }), endpoint);

        Sqs sqs = new Sqs(env.uri("SQS_QUEUE_URL", "http", "https"), env.uri("SQS_DLQ_URL", "http", "https"),
            env.uri("AWS_ENDPOINT_URL_SQS", "http", "https").or(() -> anyEndpoint));

        Redis redis = new Redis(env.bool("USE_REDIS", false),
            env.uri("REDIS_URL", "redis", "rediss").orElse(DEFAULT_REDIS_URL),
            env.duration("CACHE_TTL", DEFAULT_CACHE_TTL), env.duration("REDIS_TIMEOUT", DEFAULT_REDIS_TIMEOUT));

        URI discogsUrl = env.uri("DISCOGS_URL", "http", "https").orElse(URI.create(DEFAULT_DISCOGS_URL));
        if ("http".equalsIgnoreCase(discogsUrl.getScheme()) && !isLoopback(discogsUrl.getHost())) {
            // every call carries "Authorization: Discogs token=...": in clear on the network it is anyone's token
            throw new ConfigException("DISCOGS_URL", "'" + Env.withoutUserInfo(discogsUrl.toString()) + "' sends the "
                + "Discogs token in clear: use https, or http only on loopback (127.0.0.1, ::1, localhost; a local "
                + "fake or test double)");
        }
        Discogs discogs = new Discogs(env.optional("DISCOGS_TOKEN"), discogsUrl,
            env.intInRange("DISCOGS_RATE", DEFAULT_DISCOGS_RATE, 1, 60),
            env.duration("LOOKUP_LEASE", DEFAULT_LOOKUP_LEASE));

        List<String> members = env.optional("CLUSTER_MEMBERS").map(LauncherConfig::members).orElse(List.of());
        Cluster cluster = new Cluster(env.bool("CLUSTERED", false), members, env.optional("CLUSTER_HOST"),
            env.optional("EVENTBUS_HOST"), env.port("EVENTBUS_PORT", DEFAULT_EVENTBUS_PORT),
            // no default of ours: unset leaves Hazelcast's own wait (5 s)
            Optional.ofNullable(env.duration("CLUSTER_JOIN_WAIT", null)));
        if (!cluster.enabled() && !members.isEmpty()) {
            throw new ConfigException("CLUSTER_MEMBERS", "is set but CLUSTERED is not true: set CLUSTERED=true to join "
                + "those members, or unset CLUSTER_MEMBERS");
        }

        requireWhatTheRoleNeeds(role, storage, sqs, redis);
        Optional<String> authSecret = env.optional("AUTH_SECRET");
        authSecret.ifPresent(secret -> {
            if (secret.length() < MIN_AUTH_SECRET_LENGTH) {
                // the value itself is never part of the message
                throw new ConfigException("AUTH_SECRET", "is " + secret.length() + " characters long; use at least "
                    + MIN_AUTH_SECRET_LENGTH + " random characters (e.g. openssl rand -base64 48)");
            }
        });
        return new LauncherConfig(role, http, storage, sqs, redis, discogs, cluster,
            env.duration("SHUTDOWN_GRACE", DEFAULT_SHUTDOWN_GRACE), authSecret, reconcileEvery(env), auth(env),
            positive(env, "PLAYS_FLUSH_EVERY", DEFAULT_PLAYS_FLUSH_EVERY));
    }

    /** {@code RECONCILE_EVERY}: a duration of at least a minute, or {@code 0}/{@code off} for none. */
    private static Optional<Duration> reconcileEvery(Env env) {
        Optional<String> v = env.optional("RECONCILE_EVERY");
        if (v.isPresent() && (v.get().strip().equals("0") || v.get().strip().equalsIgnoreCase("off"))) {
            return Optional.empty();
        }
        Duration d = env.duration("RECONCILE_EVERY", DEFAULT_RECONCILE_EVERY);
        if (d.compareTo(MIN_RECONCILE_EVERY) < 0) {
            throw new ConfigException("RECONCILE_EVERY", "'" + v.orElse("") + "' is under a minute (each reconcile "
                + "lists the whole bucket); use e.g. 1h, 1d, or 0/off for none");
        }
        return Optional.of(d);
    }

    private static Duration positive(Env env, String name, Duration fallback) {
        Duration d = env.duration(name, fallback);
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException(name, "must be positive, e.g. " + fallback.toSeconds() + "s");
        }
        return d;
    }

    /**
     * Sign-in (the API's accounts; see the accounts module).
     *
     * @param adminUser       {@code ADMIN_USER}, default {@code admin}: the name of the first admin
     * @param adminPassword   {@code ADMIN_PASSWORD}: when no account exists at start, creates that admin (the AWS
     *                        stack passes it from Secrets Manager); unset: the start banner prints a one-time setup
     *                        link instead. Never logged; a password breaking the rules fails the start
     * @param trustedProxies  {@code TRUSTED_PROXIES}: comma-separated CIDR blocks (or addresses) of the reverse
     *                        proxies whose {@code X-Forwarded-Proto} (Secure cookie, same-origin check) and
     *                        {@code X-Forwarded-For} (the client address failed sign-ins are throttled by) are
     *                        believed; default none
     * @param sessionLifetime {@code SESSION_LIFETIME}: absolute session expiry; unset: the accounts module's (30d)
     * @param sessionIdle     {@code SESSION_IDLE}: a session unused this long ends; unset: the accounts module's (7d)
     */
    public record Auth(String adminUser, Optional<String> adminPassword, TrustedProxies trustedProxies,
                       Optional<Duration> sessionLifetime, Optional<Duration> sessionIdle) {

        public static final Auth DEFAULTS = new Auth(DEFAULT_ADMIN_USER, Optional.empty(), TrustedProxies.NONE,
            Optional.empty(), Optional.empty());

        /** Never the password. */
        @Override
        public String toString() {
            return "Auth[adminUser=" + adminUser + ", adminPassword=" + (adminPassword.isPresent() ? "(set)" : "(unset)")
                + ", sessionLifetime=" + sessionLifetime + ", sessionIdle=" + sessionIdle + "]";
        }
    }

    static Auth auth(Env env) {
        String adminUser = env.string("ADMIN_USER", DEFAULT_ADMIN_USER);
        if (adminUser.isBlank() || adminUser.length() > 64) {
            throw new ConfigException("ADMIN_USER", "must be 1 to 64 characters");
        }
        Optional<String> adminPassword = env.optional("ADMIN_PASSWORD");
        adminPassword.ifPresent(p -> {
            int bytes = p.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes < 10 || bytes > 256) {
                // the value itself is never part of the message
                throw new ConfigException("ADMIN_PASSWORD", "is " + bytes + " bytes long; use 10 to 256");
            }
        });
        TrustedProxies proxies;
        try {
            proxies = TrustedProxies.parse(env.optional("TRUSTED_PROXIES").orElse(""));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("TRUSTED_PROXIES", e.getMessage() + " (a comma-separated list such as "
                + "10.0.0.0/16,192.168.1.7)");
        }
        Optional<Duration> lifetime = Optional.ofNullable(env.duration("SESSION_LIFETIME", null));
        Optional<Duration> idle = Optional.ofNullable(env.duration("SESSION_IDLE", null));
        for (var d : List.of(Map.entry("SESSION_LIFETIME", lifetime), Map.entry("SESSION_IDLE", idle))) {
            if (d.getValue().isPresent() && d.getValue().get().compareTo(Duration.ofMinutes(1)) < 0) {
                throw new ConfigException(d.getKey(), "must be at least 1m");
            }
        }
        if (lifetime.isPresent() && idle.isPresent() && idle.get().compareTo(lifetime.get()) > 0) {
            throw new ConfigException("SESSION_IDLE", "is longer than SESSION_LIFETIME");
        }
        return new Auth(adminUser, adminPassword, proxies, lifetime, idle);
    }

    /** Separate roles share state: a real bucket and Redis; the indexer needs its queue. */
    private static void requireWhatTheRoleNeeds(Role role, Storage storage, Sqs sqs, Redis redis) {
        if (role == Role.ALL) {
            return;
        }
        String why = " (ROLE=" + role.value() + " runs beside other roles: ";
        if (storage.embedded()) {
            throw new ConfigException("S3_BUCKET", "is required with ROLE=" + role.value()
                + why + "they must read the same bucket; the embedded S3 exists only with ROLE=all)");
        }
        if (!redis.enabled()) {
            throw new ConfigException("USE_REDIS", "must be true with ROLE=" + role.value()
                + why + "the catalog, caches, lookup queue and rate limiter are shared in Redis)");
        }
        if (role == Role.INDEXER && sqs.queueUrl().isEmpty()) {
            throw new ConfigException("SQS_QUEUE_URL", "is required with ROLE=indexer (the queue S3 notifies)");
        }
    }

    /**
     * Whether a URL's host is this machine's loopback: 127.0.0.0/8 as a dotted IPv4 literal, {@code [::1]} or
     * {@code localhost}. Decided on the text, never by resolving a name (a DNS answer could say anything).
     */
    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(java.util.Locale.ROOT);
        if (h.equals("localhost") || h.equals("[::1]") || h.equals("::1")
            || h.equals("[0:0:0:0:0:0:0:1]") || h.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String p : parts) {
            if (!p.matches("^(0|[1-9]\\d{0,2})$") || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** {@code a, b:5702 ,c} -> [a, b:5702, c]; each a host name or IPv4 address, with an optional port. */
    private static List<String> members(String text) {
        List<String> list = Arrays.stream(text.split(",")).map(String::strip).filter(m -> !m.isEmpty()).toList();
        for (String m : list) {
            if (!m.matches("^[A-Za-z0-9._-]+(:\\d{1,5})?$")) {
                throw new ConfigException("CLUSTER_MEMBERS", "'" + m + "' is not a host or host:port (no port "
                    + "ranges; a plain host tries Hazelcast's ports from 5701 up)");
            }
        }
        return list;
    }
}
