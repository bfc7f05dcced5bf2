package dev.s3music.deploy;

/**
 * What the infrastructure promises the server image and what it expects from it: roles, ports, environment
 * variable names and the bucket prefix the metadata worker may write. The compose file and the Dockerfile use the
 * same names; {@code DeployContractTest} checks that they agree.
 */
public final class ServerContract {

    /** One image, one of these roles per process ({@code ROLE}). */
    public static final String ROLE_API = "api";
    public static final String ROLE_INDEXER = "indexer";
    public static final String ROLE_WORKER = "metadata-worker";

    /**
     * HTTP: the API, and the open health probes ({@code /health/live}, {@code /health/ready}, status only) on every
     * role. The only port the load balancer routes to.
     */
    public static final int HTTP_PORT = 8080;
    /**
     * The management port: health details and {@code /metrics}. Never behind the load balancer; reachable only
     * from the tasks' own security group (a scraper put in that group) and from inside the task (a sidecar).
     */
    public static final int MANAGEMENT_PORT = 9090;
    /** Hazelcast's member port (its default): membership, the cluster map and locks. */
    public static final int HAZELCAST_PORT = 5701;
    /**
     * The Vert.x clustered event bus listens on its own TCP port, next to Hazelcast's. Fixed (not random) so a
     * security group can allow it.
     */
    public static final int EVENTBUS_PORT = 17001;

    public static final String LIVE_PATH = "/health/live";
    public static final String READY_PATH = "/health/ready";

    /**
     * The server's own objects live under {@code .s3music/} (see {@code LibraryKeys.RESERVED_PREFIX}); the
     * metadata worker keeps its durable Discogs cache below this prefix and may write nowhere else.
     */
    public static final String CACHE_PREFIX = ".s3music/cache/";
    /** Resized cover art, written by the API ({@code ApiRole.ART_PREFIX}). */
    public static final String ART_PREFIX = ".s3music/art/";
    /**
     * The API's per-user documents (user-data module: favourites, ratings, plays, play queues) and playlists, written
     * with conditional PUTs by every API task; nothing else of the API's role may write.
     */
    public static final String USERS_PREFIX = ".s3music/users/";
    public static final String PLAYLISTS_PREFIX = ".s3music/playlists/";
    /**
     * The accounts module's documents, written by the API ({@code ApiRole.ACCOUNTS_PREFIX} + the module's keys):
     * accounts, share links, the one-time setup claim, Subsonic app passwords, API keys and their secret.
     */
    public static final java.util.List<String> ACCOUNT_PREFIXES = java.util.List.of(".s3music/accounts/",
        ".s3music/shares/", ".s3music/setup.json", ".s3music/subsonic/", ".s3music/subsonic-keys/");

    // environment variable names read by the launcher
    public static final String ENV_ROLE = "ROLE";
    public static final String ENV_HTTP_PORT = "HTTP_PORT";
    /** The launcher listens on 127.0.0.1 unless told otherwise; in a container it must listen on every interface. */
    public static final String ENV_HTTP_HOST = "HTTP_HOST";
    public static final String ALL_INTERFACES = "0.0.0.0";
    /** One JSON object per log line (CloudWatch Logs Insights parses them); the launcher defaults to text. */
    public static final String ENV_MANAGEMENT_PORT = "MANAGEMENT_PORT";
    /** The launcher binds the management port to 127.0.0.1 unless told otherwise; a scraper needs every interface. */
    public static final String ENV_MANAGEMENT_HOST = "MANAGEMENT_HOST";
    public static final String ENV_LOG_FORMAT = "LOG_FORMAT";
    public static final String LOG_FORMAT_JSON = "json";
    public static final String ENV_AWS_REGION = "AWS_REGION";
    public static final String ENV_S3_BUCKET = "S3_BUCKET";
    public static final String ENV_SQS_QUEUE_URL = "SQS_QUEUE_URL";
    public static final String ENV_SQS_DLQ_URL = "SQS_DLQ_URL";
    public static final String ENV_USE_REDIS = "USE_REDIS";
    public static final String ENV_REDIS_URL = "REDIS_URL";
    /** An S3-compatible endpoint instead of AWS (S3Proxy in compose); unset on AWS. */
    public static final String ENV_AWS_ENDPOINT_URL = "AWS_ENDPOINT_URL";
    /**
     * The AWS SDK (2.21+) reads service-specific endpoints from the environment; compose sets the SQS one so
     * the SQS client never follows {@link #ENV_AWS_ENDPOINT_URL} to the S3 stand-in.
     */
    public static final String ENV_AWS_ENDPOINT_URL_SQS = "AWS_ENDPOINT_URL_SQS";
    public static final String ENV_DISCOGS_URL = "DISCOGS_URL";
    public static final String ENV_CACHE_TTL = "CACHE_TTL";
    public static final String ENV_DISCOGS_TOKEN = "DISCOGS_TOKEN";
    public static final String ENV_DISCOGS_RATE = "DISCOGS_RATE";
    public static final String ENV_AUTH_SECRET = "AUTH_SECRET";
    /**
     * The first admin: when no account exists at start, the API creates {@code ADMIN_USER} (default {@code admin})
     * with {@code ADMIN_PASSWORD}. Ignored once any account exists.
     */
    public static final String ENV_ADMIN_USER = "ADMIN_USER";
    public static final String ENV_ADMIN_PASSWORD = "ADMIN_PASSWORD";
    public static final String DEFAULT_ADMIN_USER = "admin";
    /**
     * Addresses whose {@code X-Forwarded-For} / {@code X-Forwarded-Proto} the API trusts (comma-separated CIDRs): on
     * AWS the load balancer's subnets, so the client address (sign-in throttling, audit) and TLS (Secure cookies)
     * are the caller's, not the load balancer's.
     */
    public static final String ENV_TRUSTED_PROXIES = "TRUSTED_PROXIES";
    public static final String ENV_SHUTDOWN_GRACE = "SHUTDOWN_GRACE";
    public static final String ENV_CLUSTERED = "CLUSTERED";
    public static final String ENV_CLUSTER_MEMBERS = "CLUSTER_MEMBERS";
    public static final String ENV_EVENTBUS_HOST = "EVENTBUS_HOST";
    public static final String ENV_EVENTBUS_PORT = "EVENTBUS_PORT";

    /**
     * Hazelcast reads configuration overrides from {@code HZ_*} environment variables (Hazelcast 5 "override with
     * environment variables"). In ECS the members find each other through Hazelcast's AWS discovery in ECS mode:
     * it lists the tasks of the ECS cluster and connects to their private IPs on {@link #HAZELCAST_PORT}.
     */
    public static final String ENV_HZ_AWS_ENABLED = "HZ_NETWORK_JOIN_AWS_ENABLED";
    public static final String ENV_HZ_AWS_CLUSTER = "HZ_NETWORK_JOIN_AWS_CLUSTER";
    public static final String ENV_HZ_TCPIP_ENABLED = "HZ_NETWORK_JOIN_TCPIP_ENABLED";
    public static final String ENV_HZ_MULTICAST_ENABLED = "HZ_NETWORK_JOIN_MULTICAST_ENABLED";
    public static final String ENV_HZ_PORT = "HZ_NETWORK_PORT_PORT";

    private ServerContract() {
    }
}
