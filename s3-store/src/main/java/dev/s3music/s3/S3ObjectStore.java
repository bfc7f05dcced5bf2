package dev.s3music.s3;

import dev.s3music.model.ByteRange;
import dev.s3music.model.DomainException;
import dev.s3music.model.ObjectInfo;
import dev.s3music.model.ObjectListing;
import dev.s3music.model.port.ObjectBody;
import dev.s3music.model.port.ObjectStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.GetObjectPresignRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The {@link ObjectStore} port on S3.
 *
 * <p>Two paths, because they have different needs:
 * <ul>
 *   <li><b>control</b> (head, list, small ranged reads, check): the AWS SDK v2 {@link S3AsyncClient} on its own
 *       small Netty event loop group, with call timeouts and the SDK's bounded retries. Its futures enter Vert.x
 *       through {@link Future#fromCompletionStage(CompletionStage, Context)} on the caller's context.</li>
 *   <li><b>streaming</b> ({@link #open}): a presigned GET (SigV4 query signature, with {@code Range} and
 *       {@code If-Match} as signed headers) fetched by a Vert.x {@link HttpClientAgent} on the caller's event loop.
 *       The {@link HttpClientResponse} is the body stream, so bytes go from the S3 socket to the HTTP response
 *       with Vert.x backpressure and no reactive-streams bridge in between. Measured on loopback (see README), the
 *       SDK publisher bridged into a Vert.x response ran at about a third of direct; this path at about two thirds.</li>
 * </ul>
 *
 * <p>A cancelled stream resets its request, which closes the HTTP/1.1 connection: the S3 transfer stops and a
 * half-read connection never returns to the pool. A stream read to its end returns its connection to the pool.
 */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStore.class);

    /** Small control calls: an attempt that takes longer than this is stuck; the SDK retries (bounded) after it. */
    private static final Duration CONTROL_ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CONTROL_CALL_TIMEOUT = Duration.ofSeconds(15);
    /** {@link #read} is for tag reading: a few hundred KB at most; refuse anything that is not small. */
    public static final long MAX_READ_BYTES = 16L * 1024 * 1024;
    /** Presigned URLs are used at once; a short validity limits what a leaked URL could do. */
    private static final Duration PRESIGN_VALIDITY = Duration.ofMinutes(5);
    /** Time allowed for the connection and the response head of a streaming GET. */
    private static final long STREAM_HEAD_TIMEOUT_MS = 10_000;
    /**
     * A stream that moves no byte for this long is dead. Long, because a paused player stops reading and
     * backpressure then pauses the S3 socket too; S3 itself drops idle connections after a while anyway.
     */
    private static final long STREAM_IDLE_TIMEOUT_MS = 120_000;
    /**
     * One connection per concurrent stream (HTTP/1.1 to S3): the pool must hold as many streams as the server
     * serves at once, else streams wait for each other.
     */
    private static final int MAX_STREAM_CONNECTIONS = 1024;
    /**
     * Decoder chunk size of the streaming client. Netty's default (8 KB) cuts the body into small buffers, each
     * one a write and a flush on the way out; 64 KB chunks cut that work by eight with the same bounded memory
     * (backpressure still holds the socket, and the outbound queue stays at its high-water mark).
     */
    private static final int STREAM_CHUNK_SIZE = 64 * 1024;
    /** Credentials from a refreshing provider are renewed this long before they expire. */
    private static final Duration CREDENTIALS_MARGIN = Duration.ofMinutes(5);

    private final Vertx vertx;
    private final S3Config config;
    private final S3AsyncClient s3;
    private final SdkAsyncHttpClient sdkHttp;
    private final EventLoopGroup sdkEventLoop;
    private final S3Presigner presigner;
    /**
     * One streaming client per event loop. Vert.x pools hand an idle connection to whichever event loop asks,
     * and a connection made on loop A then delivers every chunk of a stream asked from loop B through a task hop;
     * with one client (one pool) per event loop, a stream's S3 socket and its HTTP response share a thread.
     * Built up front, outside any verticle, so that no deployment's undeploy closes them.
     */
    private final HttpClientAgent[] streamClients;
    private final Map<Thread, HttpClientAgent> clientOfThread = new ConcurrentHashMap<>();
    private final AtomicInteger nextClient = new AtomicInteger();
    private final AwsCredentialsProvider credentialsProvider;
    private final WorkerExecutor credentialsWorker;
    private volatile AwsCredentials credentials;

    @SuppressWarnings("deprecation")
    private S3ObjectStore(Vertx vertx, S3Config config) {
        this.vertx = vertx;
        this.config = config;
        this.credentialsProvider = config.staticCredentials()
            ? StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()))
            : DefaultCredentialsProvider.builder().build();
        this.credentialsWorker = config.staticCredentials() ? null : vertx.createSharedWorkerExecutor("s3-credentials", 1);
        // one small event loop of our own for the control calls; closed without Netty's 2 s quiet period
        // (NioEventLoopGroup, deprecated in Netty 4.2, because the SDK 2.57 does not recognise the new IO groups)
        this.sdkEventLoop = new io.netty.channel.nio.NioEventLoopGroup(1, new DefaultThreadFactory("s3-control", true));
        this.sdkHttp = NettyNioAsyncHttpClient.builder()
            .eventLoopGroup(SdkEventLoopGroup.create(sdkEventLoop, NioSocketChannel::new))
            .maxConcurrency(64)
            .connectionTimeout(Duration.ofSeconds(5))
            .build();
        S3Configuration s3Configuration = S3Configuration.builder().pathStyleAccessEnabled(config.pathStyle()).build();
        var builder = S3AsyncClient.builder()
            .region(Region.of(config.region()))
            .credentialsProvider(credentialsProvider)
            .httpClient(sdkHttp)
            .serviceConfiguration(s3Configuration)
            .overrideConfiguration(o -> o.apiCallAttemptTimeout(CONTROL_ATTEMPT_TIMEOUT).apiCallTimeout(CONTROL_CALL_TIMEOUT));
        var presignerBuilder = S3Presigner.builder()
            .region(Region.of(config.region()))
            // the presigner signs with the credentials already resolved off the event loop (see credentials())
            .credentialsProvider(() -> Objects.requireNonNull(credentials, "credentials not resolved"))
            .serviceConfiguration(s3Configuration);
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
            presignerBuilder.endpointOverride(config.endpoint());
        }
        this.s3 = builder.build();
        this.presigner = presignerBuilder.build();
        if (config.staticCredentials()) {
            this.credentials = (AwsCredentials) credentialsProvider.resolveCredentials();
        }
        HttpClientOptions options = new HttpClientOptions()
            .setMaxChunkSize(STREAM_CHUNK_SIZE)
            .setTcpNoDelay(true)
            .setKeepAlive(true)
            .setKeepAliveTimeout(30)
            .setConnectTimeout((int) STREAM_HEAD_TIMEOUT_MS)
            .setDecompressionSupported(false)
            .setName("s3-stream");
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(MAX_STREAM_CONNECTIONS).setMaxWaitQueueSize(4 * MAX_STREAM_CONNECTIONS);
        // as many as Vert.x has event loops by default (2 x cores); more loops than that share clients
        this.streamClients = new HttpClientAgent[2 * Runtime.getRuntime().availableProcessors()];
        for (int i = 0; i < streamClients.length; i++) {
            streamClients[i] = vertx.httpClientBuilder().with(new HttpClientOptions(options)).with(new PoolOptions(pool)).build();
        }
    }

    /** Builds the store; it owns its SDK client, presigner and HTTP client until {@link #close()}. */
    public static S3ObjectStore create(Vertx vertx, S3Config config) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(config, "config");
        return new S3ObjectStore(vertx, config);
    }

    public S3Config config() {
        return config;
    }

    @Override
    public String bucket() {
        return config.bucket();
    }

    @Override
    public Future<ObjectInfo> head(String key) {
        return call(() -> s3.headObject(HeadObjectRequest.builder().bucket(bucket()).key(key).build()), "HEAD " + key)
            .map(r -> new ObjectInfo(key, r.contentLength(), bareEtag(r.eTag()), r.lastModified()));
    }

    @Override
    public Future<Buffer> read(String key, ByteRange range) {
        Objects.requireNonNull(range, "range");
        if (range.length() > MAX_READ_BYTES) {
            return Future.failedFuture(DomainException.invalid("read of " + range.length() + " bytes is over "
                + MAX_READ_BYTES + "; use open() to stream"));
        }
        GetObjectRequest request = GetObjectRequest.builder().bucket(bucket()).key(key).range(rangeHeader(range)).build();
        return call(() -> s3.getObject(request, AsyncResponseTransformer.toBytes()), "GET " + key)
            .map(bytes -> Buffer.buffer(bytes.asByteArrayUnsafe()));
    }

    @Override
    public Future<ObjectListing> list(String token, int maxKeys) {
        if (maxKeys < 1 || maxKeys > 1000) {
            return Future.failedFuture(DomainException.invalid("maxKeys must be 1..1000: " + maxKeys));
        }
        ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket()).maxKeys(maxKeys)
            .continuationToken(token).build();
        return call(() -> s3.listObjectsV2(request), "LIST " + bucket()).map(S3ObjectStore::listing);
    }

    @Override
    public Future<Void> check() {
        return call(() -> s3.headBucket(HeadBucketRequest.builder().bucket(bucket()).build()), "HEAD bucket " + bucket())
            .recover(t -> Future.failedFuture(DomainException.is(t, DomainException.Kind.NOT_FOUND)
                ? DomainException.transientFailure("bucket " + bucket() + " does not exist", t) : t))
            .mapEmpty();
    }

    @Override
    public Future<ObjectBody> open(String key, ByteRange range, String ifMatch) {
        return credentials().compose(creds -> {
            PresignedGetObjectRequest presigned;
            try {
                GetObjectRequest.Builder get = GetObjectRequest.builder().bucket(bucket()).key(key);
                if (range != null) {
                    get.range(rangeHeader(range));
                }
                if (ifMatch != null && !ifMatch.isBlank()) {
                    get.ifMatch(quotedEtag(ifMatch));
                }
                presigned = presigner.presignGetObject(GetObjectPresignRequest.builder()
                    .signatureDuration(PRESIGN_VALIDITY).getObjectRequest(get.build()).build());
            } catch (RuntimeException e) {
                return Future.failedFuture(DomainException.invalid("cannot sign GET " + key + ": " + e.getMessage()));
            }
            return fetch(key, presigned, range);
        });
    }

    private Future<ObjectBody> fetch(String key, PresignedGetObjectRequest presigned, ByteRange range) {
        URL url = presigned.url();
        RequestOptions options = new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(url)
            .setConnectTimeout(STREAM_HEAD_TIMEOUT_MS)
            .setIdleTimeout(STREAM_IDLE_TIMEOUT_MS);
        for (Map.Entry<String, List<String>> h : presigned.signedHeaders().entrySet()) {
            if (!h.getKey().equalsIgnoreCase("host")) { // the client sends Host from the URL, as signed
                options.putHeader(h.getKey(), String.join(",", h.getValue()));
            }
        }
        Promise<ObjectBody> promise = Promise.promise();
        streamClient().request(options).onComplete(ar -> {
            if (ar.failed()) {
                promise.fail(DomainException.transientFailure("S3 unreachable for GET " + key + ": " + ar.cause().getMessage(), ar.cause()));
                return;
            }
            var request = ar.result();
            // a response head that does not come in time: reset (closes the connection), fail the open
            long timer = vertx.setTimer(STREAM_HEAD_TIMEOUT_MS, id -> request.reset(0, new java.util.concurrent.TimeoutException(
                "no response from S3 in " + STREAM_HEAD_TIMEOUT_MS + " ms")));
            request.send().onComplete(rr -> {
                vertx.cancelTimer(timer);
                if (rr.failed()) {
                    promise.fail(DomainException.transientFailure("S3 GET " + key + " failed: " + rr.cause().getMessage(), rr.cause()));
                    return;
                }
                HttpClientResponse response = rr.result();
                int status = response.statusCode();
                if (status == 200 || status == 206) {
                    response.pause(); // nothing flows until the caller pipes (or cancels)
                    String length = response.getHeader("Content-Length");
                    long contentLength;
                    try {
                        contentLength = Long.parseLong(length);
                    } catch (RuntimeException e) {
                        request.reset();
                        promise.fail(DomainException.transientFailure("S3 GET " + key + " without Content-Length", null));
                        return;
                    }
                    if (range != null && status == 200) {
                        // a server that ignored Range would send the whole object where a part was asked
                        request.reset();
                        promise.fail(DomainException.transientFailure("S3 ignored the Range of GET " + key, null));
                        return;
                    }
                    promise.complete(new StreamBody(response, contentLength));
                    return;
                }
                // error answers are small documents: read them whole so the connection can be reused
                response.body().onComplete(body -> promise.fail(statusFailure(status, key,
                    body.succeeded() ? body.result().toString() : "")));
            });
        });
        return promise.future();
    }

    private HttpClientAgent streamClient() {
        if (!Context.isOnEventLoopThread()) {
            return streamClients[0];
        }
        return clientOfThread.computeIfAbsent(Thread.currentThread(),
            t -> streamClients[Math.floorMod(nextClient.getAndIncrement(), streamClients.length)]);
    }

    /** The S3 response as the body. */
    private static final class StreamBody implements ObjectBody {
        private final HttpClientResponse response;
        private final long contentLength;
        private final AtomicBoolean cancelled = new AtomicBoolean();

        StreamBody(HttpClientResponse response, long contentLength) {
            this.response = response;
            this.contentLength = contentLength;
        }

        @Override
        public long contentLength() {
            return contentLength;
        }

        @Override
        public io.vertx.core.streams.ReadStream<Buffer> stream() {
            return response;
        }

        @Override
        public Future<Void> cancel() {
            if (!cancelled.compareAndSet(false, true)) {
                return Future.succeededFuture();
            }
            // HTTP/1.1 has no way to stop a response but closing its connection: reset() does that, so the
            // S3 transfer stops and the connection never goes back to the pool half-read. After a complete
            // read the connection is already back in the pool and reset is a no-op.
            return response.request().reset().otherwiseEmpty();
        }
    }

    // ---- credentials: resolved off the event loop, then used by the presigner ----

    private Future<AwsCredentials> credentials() {
        AwsCredentials current = credentials;
        if (current != null && (credentialsWorker == null || fresh(current))) {
            return Future.succeededFuture(current);
        }
        // the default chain may call the instance metadata service or read files: a worker, not the event loop
        return credentialsWorker.executeBlocking(() -> {
            AwsCredentials resolved = (AwsCredentials) credentialsProvider.resolveCredentials();
            credentials = resolved;
            return resolved;
        }, false).recover(t -> Future.failedFuture(
            DomainException.transientFailure("no AWS credentials: " + t.getMessage(), t)));
    }

    private static boolean fresh(AwsCredentials c) {
        return c.expirationTime().map(exp -> Instant.now().plus(CREDENTIALS_MARGIN).isBefore(exp)).orElse(true);
    }

    // ---- SDK futures into Vert.x, errors into domain errors ----

    private <T> Future<T> call(Supplier<CompletableFuture<T>> sdkCall, String what) {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<T> cf;
        try {
            cf = sdkCall.get();
        } catch (RuntimeException e) {
            return Future.failedFuture(mapSdkFailure(e, what));
        }
        return Future.fromCompletionStage(cf, context).recover(t -> Future.failedFuture(mapSdkFailure(t, what)));
    }

    static DomainException mapSdkFailure(Throwable t, String what) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof DomainException d) {
            return d;
        }
        if (cause instanceof SdkServiceException s) {
            return statusFailure(s.statusCode(), what, s.getMessage());
        }
        if (cause instanceof SdkClientException) {
            return DomainException.transientFailure("S3 unreachable for " + what + ": " + cause.getMessage(), cause);
        }
        return DomainException.transientFailure("S3 call failed for " + what + ": " + cause, cause);
    }

    private static DomainException statusFailure(int status, String what, String detail) {
        return switch (status) {
            case 404 -> DomainException.notFound(what);
            case 412 -> new DomainException(DomainException.Kind.PRECONDITION_FAILED, what + ": the object changed (ETag no longer matches)");
            case 416 -> DomainException.invalid(what + ": range not satisfiable");
            default -> {
                LOG.debug("S3 answered {} to {}: {}", status, what, detail);
                yield DomainException.transientFailure("S3 answered " + status + " to " + what, null);
            }
        };
    }

    // ---- mapping ----

    private static ObjectListing listing(ListObjectsV2Response r) {
        List<ObjectInfo> objects = r.contents().stream()
            .map(o -> new ObjectInfo(o.key(), o.size() == null ? 0 : o.size(), bareEtag(o.eTag()), o.lastModified()))
            .toList();
        return new ObjectListing(objects, Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null);
    }

    static String rangeHeader(ByteRange range) {
        return "bytes=" + range.first() + "-" + range.last();
    }

    /** The ETag without quotes (and without a weak prefix), or null when the store sent none. */
    static String bareEtag(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e.isEmpty() ? null : e;
    }

    static String quotedEtag(String etag) {
        String bare = bareEtag(etag);
        return bare == null ? null : "\"" + bare + "\"";
    }

    /** Closes the clients this store built. */
    @Override
    public void close() {
        for (HttpClientAgent c : streamClients) {
            c.close();
        }
        presigner.close();
        s3.close();
        sdkHttp.close();
        sdkEventLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        if (credentialsWorker != null) {
            credentialsWorker.close();
        }
    }
}
