package dev.s3music.deploy;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What an operator chooses when deploying: the image, the optional domain, and the sizes. Read once from CDK
 * context ({@code cdk deploy -c image=... -c apiMax=6}, or the {@code context} block of cdk.json), validated here,
 * and handed to {@link MusicServerStack}. A bad value fails the synth with a message naming the context key.
 *
 * @param image            container image of the server (all three roles run it), e.g. an ECR URI with a tag
 * @param domainName       public host name of the API, or null for plain HTTP on the load balancer's DNS name
 * @param certificateArn   ACM certificate for {@code domainName}; required with it
 * @param existingBucketName the bucket that already holds the library, or null to create one (with the lifecycle
 *                         rule, encryption and public-access block); an existing bucket only gets the event
 *                         notifications
 * @param apiCpu           Fargate CPU units of one API task (256, 512, 1024, 2048, 4096)
 * @param apiMemoryMiB     memory of one API task
 * @param apiMin           fewest API tasks
 * @param apiMax           most API tasks
 * @param indexerCpu       CPU units of one indexer task
 * @param indexerMemoryMiB memory of one indexer task
 * @param indexerMin       fewest indexer tasks (at least 1: someone must poll the queue and reconcile)
 * @param indexerMax       most indexer tasks
 * @param workerCpu        CPU units of one metadata-worker task
 * @param workerMemoryMiB  memory of one metadata-worker task
 * @param workerCount      metadata-worker tasks; they share one Discogs budget, so more only adds redundancy
 * @param redisNodeType    ElastiCache node type
 * @param redisReplicas    ElastiCache nodes (1 = no failover; 2 or more = a replica with automatic failover)
 * @param natGateways      NAT gateways of the VPC (1 is cheap, one per AZ survives an AZ outage)
 * @param logRetentionDays CloudWatch log retention of every role
 * @param shutdownGraceSeconds how long a stopping API task lets in-flight streams finish ({@code SHUTDOWN_GRACE})
 * @param discogsRate      Discogs calls per minute for the whole cluster ({@code DISCOGS_RATE})
 * @param cacheTtl         metadata cache TTL ({@code CACHE_TTL}): 30s, 15m, 12h, 7d or an ISO-8601 duration
 * @param adminUser        name of the first admin ({@code ADMIN_USER}), created at the first start with the generated
 *                         password of the {@code AdminPassword} secret ({@code ADMIN_PASSWORD}); 1-64 characters
 * @param siteOrigin       the web origin browsers load the player from ({@code https://music.example.org}), allowed by
 *                         the bucket's CORS rule for the player's direct uploads; null: {@code https://<domainName>},
 *                         else the load balancer's {@code http://} DNS name
 */
public record DeploySettings(
    String image,
    String domainName,
    String certificateArn,
    String existingBucketName,
    int apiCpu,
    int apiMemoryMiB,
    int apiMin,
    int apiMax,
    int indexerCpu,
    int indexerMemoryMiB,
    int indexerMin,
    int indexerMax,
    int workerCpu,
    int workerMemoryMiB,
    int workerCount,
    String redisNodeType,
    int redisReplicas,
    int natGateways,
    int logRetentionDays,
    int shutdownGraceSeconds,
    int discogsRate,
    String cacheTtl,
    String adminUser,
    String siteOrigin) {

    /** Fargate stops a container at most 120 s after SIGTERM; the grace plus a margin to leave the cluster must fit. */
    static final int MAX_STOP_TIMEOUT_SECONDS = 120;
    static final int LEAVE_MARGIN_SECONDS = 15;

    /** The launcher's duration syntax: a number with ms/s/m/h/d, or ISO-8601. */
    private static final Pattern DURATION = Pattern.compile("(?i)\\d+(ms|s|m|h|d)|P(?!$)(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?");

    private static final Set<Integer> FARGATE_CPU = Set.of(256, 512, 1024, 2048, 4096);

    /** Every context key this record reads, with its default (null = required or optional without default). */
    static final Map<String, String> DEFAULTS = Map.ofEntries(
        Map.entry("apiCpu", "512"),
        Map.entry("apiMemoryMiB", "1024"),
        Map.entry("apiMin", "2"),
        Map.entry("apiMax", "6"),
        Map.entry("indexerCpu", "512"),
        Map.entry("indexerMemoryMiB", "1024"),
        Map.entry("indexerMin", "1"),
        Map.entry("indexerMax", "4"),
        Map.entry("workerCpu", "256"),
        Map.entry("workerMemoryMiB", "512"),
        Map.entry("workerCount", "1"),
        Map.entry("redisNodeType", "cache.t4g.small"),
        Map.entry("redisReplicas", "2"),
        Map.entry("natGateways", "1"),
        Map.entry("logRetentionDays", "30"),
        Map.entry("shutdownGraceSeconds", "30"),
        Map.entry("discogsRate", "60"),
        Map.entry("cacheTtl", "7d"),
        Map.entry("adminUser", ServerContract.DEFAULT_ADMIN_USER));

    public DeploySettings {
        require(image != null && !image.isBlank(), "image", "is required (the container image URI, e.g. an ECR repository with a tag)");
        require((domainName == null) == (certificateArn == null), domainName == null ? "domainName" : "certificateArn",
            "domainName and certificateArn go together (HTTPS needs both)");
        require(certificateArn == null || certificateArn.startsWith("arn:"), "certificateArn", "must be an ACM certificate ARN");
        require(existingBucketName == null || existingBucketName.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"),
            "existingBucketName", "is not a valid S3 bucket name: " + existingBucketName);
        requireFargate("api", apiCpu, apiMemoryMiB);
        requireFargate("indexer", indexerCpu, indexerMemoryMiB);
        requireFargate("worker", workerCpu, workerMemoryMiB);
        require(apiMin >= 1 && apiMax >= apiMin, "apiMax", "needs 1 <= apiMin <= apiMax, got " + apiMin + ".." + apiMax);
        require(indexerMin >= 1 && indexerMax >= indexerMin, "indexerMax",
            "needs 1 <= indexerMin <= indexerMax, got " + indexerMin + ".." + indexerMax);
        require(workerCount >= 1, "workerCount", "must be at least 1");
        require(redisNodeType != null && redisNodeType.startsWith("cache."), "redisNodeType", "must be an ElastiCache node type like cache.t4g.small");
        require(redisReplicas >= 1 && redisReplicas <= 6, "redisReplicas", "must be 1..6");
        require(natGateways >= 0 && natGateways <= 3, "natGateways", "must be 0..3");
        require(LogRetention.isSupported(logRetentionDays), "logRetentionDays", "must be one of " + LogRetention.supportedDays());
        require(shutdownGraceSeconds >= 0 && shutdownGraceSeconds + LEAVE_MARGIN_SECONDS <= MAX_STOP_TIMEOUT_SECONDS,
            "shutdownGraceSeconds", "must be 0.." + (MAX_STOP_TIMEOUT_SECONDS - LEAVE_MARGIN_SECONDS) + " (Fargate kills a task 120 s after SIGTERM)");
        require(discogsRate >= 1 && discogsRate <= 60, "discogsRate", "must be 1..60 (Discogs allows 60 authenticated calls a minute)");
        require(cacheTtl != null && DURATION.matcher(cacheTtl).matches(), "cacheTtl",
            "must be a duration like 12h, 7d or P7D, got " + cacheTtl);
        // the server's username rule (1-64 characters); no spaces or control characters, which a shell or the
        // console would mangle
        require(adminUser != null && adminUser.codePointCount(0, adminUser.length()) <= 64
                && adminUser.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)),
            "adminUser", "must be 1-64 characters without spaces, got '" + adminUser + "'");
        require(siteOrigin == null || SITE_ORIGIN.matcher(siteOrigin).matches(), "siteOrigin",
            "must be a web origin like https://music.example.org (scheme, host, optional port; no path), got " + siteOrigin);
    }

    /** A browser's {@code Origin}: scheme, host, optional port, nothing else. */
    private static final Pattern SITE_ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]{1,253}(:\\d{1,5})?");

    /** The origin the bucket's CORS rule allows: {@link #siteOrigin}, else {@code https://<domainName>}, else null. */
    public String corsOrigin() {
        return siteOrigin != null ? siteOrigin : domainName != null ? "https://" + domainName : null;
    }

    /**
     * Reads the settings from a key lookup (CDK's {@code node.tryGetContext}, or a map in tests). Values may be strings
     * (from {@code -c key=value}) or numbers (from cdk.json).
     */
    public static DeploySettings from(Function<String, Object> context) {
        Function<String, String> text = key -> {
            Object v = context.apply(key);
            if (v == null || v.toString().isBlank()) {
                return DEFAULTS.get(key);
            }
            return v.toString().trim();
        };
        return new DeploySettings(
            text.apply("image"),
            text.apply("domainName"),
            text.apply("certificateArn"),
            text.apply("existingBucketName"),
            integer(text, "apiCpu"),
            integer(text, "apiMemoryMiB"),
            integer(text, "apiMin"),
            integer(text, "apiMax"),
            integer(text, "indexerCpu"),
            integer(text, "indexerMemoryMiB"),
            integer(text, "indexerMin"),
            integer(text, "indexerMax"),
            integer(text, "workerCpu"),
            integer(text, "workerMemoryMiB"),
            integer(text, "workerCount"),
            text.apply("redisNodeType"),
            integer(text, "redisReplicas"),
            integer(text, "natGateways"),
            integer(text, "logRetentionDays"),
            integer(text, "shutdownGraceSeconds"),
            integer(text, "discogsRate"),
            text.apply("cacheTtl"),
            text.apply("adminUser"),
            text.apply("siteOrigin"));
    }

    /** Convenience for tests and scripts: only {@code image} is given, everything else takes its default. */
    public static DeploySettings defaults(String image) {
        return from(key -> "image".equals(key) ? image : null);
    }

    /** Container stop timeout: the stream grace plus time to leave the cluster and close clients. */
    public int stopTimeoutSeconds() {
        return shutdownGraceSeconds + LEAVE_MARGIN_SECONDS;
    }

    public boolean https() {
        return domainName != null;
    }

    private static int integer(Function<String, String> text, String key) {
        String v = text.apply(key);
        try {
            return Integer.parseInt(Objects.requireNonNull(v));
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("context " + key + ": not a whole number: " + v);
        }
    }

    private static void requireFargate(String role, int cpu, int memoryMiB) {
        require(FARGATE_CPU.contains(cpu), role + "Cpu", "must be one of " + FARGATE_CPU + " (Fargate CPU units)");
        // Fargate's CPU/memory pairs: 256 CPU units take 512, 1024 or 2048 MiB; larger sizes take 2x..8x their
        // CPU units in 1 GiB steps (4096 stops at 30 GiB)
        boolean ok;
        String allowed;
        if (cpu == 256) {
            ok = memoryMiB == 512 || memoryMiB == 1024 || memoryMiB == 2048;
            allowed = "512, 1024 or 2048";
        } else {
            int max = cpu == 4096 ? 30720 : cpu * 8;
            ok = memoryMiB >= cpu * 2 && memoryMiB <= max && memoryMiB % 1024 == 0;
            allowed = (cpu * 2) + ".." + max + " in steps of 1024";
        }
        require(ok, role + "MemoryMiB", "must be " + allowed + " MiB for " + cpu + " CPU units, got " + memoryMiB);
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new IllegalArgumentException("context " + key + ": " + message);
        }
    }
}
