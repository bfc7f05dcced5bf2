package dev.s3music.s3;

import dev.s3music.model.DomainException;
import dev.s3music.model.port.ObjectBody;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.streams.ReadStream;

import java.net.URL;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * The streaming GET to S3: a small HTTP/1.1 client on a Vert.x {@link NetClient} with Netty's
 * {@link HttpClientCodec}, written for one job, relaying a large body with memory bounded per stream.
 *
 * <p>Why not the Vert.x HttpClient: its response keeps reading the socket after {@code pause()} until 16 decoded
 * chunks wait in its inbound queue, so a paused stream (a slow or paused player) holds 16 to 32 chunks of heap:
 * measured 2.2 MB of heap per stalled stream with 64 KB chunks. Here a paused body stops the socket at once
 * ({@code autoRead} off), so at most one socket read (up to 64 KB, kept off-heap in Netty's pooled buffer) waits
 * per stream; the rest stays in the kernel and, behind TCP flow control, in S3. {@link ObjectBody#relayTo} hands
 * retained slices of that pooled buffer (no copy) to {@link BoundedRelay}, which releases each once written: the
 * release rule never leaves this module. {@link ObjectBody#stream()} hands heap copies instead.
 *
 * <p>Connections are kept per event loop (a stream's S3 socket and its HTTP response share a thread), reused
 * LIFO for keep-alive, dropped after {@link #IDLE_MILLIS} idle (under S3's own idle close). A request on a reused
 * connection that fails before any response byte is retried once on a new one (the server may have closed it).
 * A cancelled body closes its connection: the S3 transfer stops and a half-read connection is never reused.
 * Everything runs on the event loop of the caller; callbacks come back on the caller's context.
 */
final class S3StreamClient implements AutoCloseable {

    /** Idle keep-alive connections are closed after this (S3 closes idle connections after about 20 s). */
    static final long IDLE_MILLIS = 15_000;
    /** Idle connections kept per event loop. */
    static final int MAX_IDLE_PER_LOOP = 64;
    /** Netty's HTTP decoder cuts the body into chunks of at most this; one socket read is at most 64 KB anyway. */
    static final int MAX_CHUNK = 64 * 1024;
    /**
     * Size of the slices handed to the consumer (first measured as heap copies of Netty's pooled read buffer). Smaller
     * bounds what a consumer that queues writes by count holds (Vert.x 5's HTTP/1 server response queues up to 16
     * writes whatever their size: pipeTo with 64 KB buffers held 1.1 MB per stalled stream); larger costs less CPU
     * (relay CPU per 100 MB measured: 16 KB 84-94 ms, 32 KB 65 ms, 64 KB 68 ms under more load). 32 KB, with the
     * API's byte-bounded relay, held 61 KB of heap per stalled stream.
     */
    static final int SLICE = 32 * 1024;

    private final Vertx vertx;
    private final NetClient net;
    private final long headTimeoutMillis;
    private final Map<EventLoop, ArrayDeque<Conn>> idle = new ConcurrentHashMap<>();
    private final S3Metrics metrics;

    S3StreamClient(Vertx vertx, long connectTimeoutMillis, long headTimeoutMillis, int idleTimeoutSeconds) {
        this(vertx, connectTimeoutMillis, headTimeoutMillis, idleTimeoutSeconds, new S3Metrics(null));
    }

    /** @param metrics counts each GET sent (ranged or whole) and the body bytes read from S3 */
    S3StreamClient(Vertx vertx, long connectTimeoutMillis, long headTimeoutMillis, int idleTimeoutSeconds,
                   S3Metrics metrics) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.headTimeoutMillis = headTimeoutMillis;
        this.net = vertx.createNetClient(new NetClientOptions()
            .setConnectTimeout((int) connectTimeoutMillis)
            .setTcpNoDelay(true)
            .setIdleTimeout(idleTimeoutSeconds)
            .setHostnameVerificationAlgorithm("HTTPS"));
    }

    /**
     * GETs {@code url} with {@code headers} (the signed ones, Host included).
     *
     * @param statusFailure maps a non-2xx status to the failure to report
     * @param partial       true when a range was asked: a 200 then means the server ignored it
     */
    Future<Body> get(URL url, Map<String, List<String>> headers, boolean partial, IntFunction<Throwable> statusFailure) {
        ContextInternal caller = (ContextInternal) vertx.getOrCreateContext();
        Promise<Body> promise = caller.promise();
        Request request = new Request(caller, url, headers, partial, statusFailure, promise);
        if (caller.inThread()) {
            attempt(request, true);
        } else {
            caller.runOnContext(v -> attempt(request, true));
        }
        return promise.future();
    }

    /**
     * Any exception while building or sending a request (a header value Netty refuses, a bad URL) fails that request
     * at once: before this, it was thrown past the head timer, and the caller waited for nothing (issue 9, item 7).
     */
    private void attempt(Request request, boolean mayReuse) {
        try {
            tryAttempt(request, mayReuse);
        } catch (RuntimeException e) {
            request.promise.tryFail(cannotSend(e));
        }
    }

    private static DomainException cannotSend(RuntimeException e) {
        return DomainException.invalid("cannot send GET to S3: " + e.getMessage());
    }

    private void tryAttempt(Request request, boolean mayReuse) {
        Conn pooled = mayReuse ? pollIdle(request.caller) : null;
        if (pooled != null) {
            new Exchange(request, pooled, true).send();
            return;
        }
        URL url = request.url;
        boolean tls = url.getProtocol().equalsIgnoreCase("https");
        int port = url.getPort() != -1 ? url.getPort() : tls ? 443 : 80;
        ConnectOptions options = new ConnectOptions().setHost(url.getHost()).setPort(port).setSsl(tls);
        if (tls) {
            options.setSniServerName(url.getHost());
        }
        net.connect(options).onComplete(ar -> {
            if (ar.failed()) {
                request.promise.tryFail(DomainException.transientFailure("S3 unreachable: " + ar.cause().getMessage(), ar.cause()));
                return;
            }
            NetSocketInternal so = (NetSocketInternal) ar.result();
            try {
                so.channelHandlerContext().pipeline().addBefore("handler", "s3-http", new HttpClientCodec(4096, 16 * 1024, MAX_CHUNK));
            } catch (RuntimeException e) {
                so.close();
                request.promise.tryFail(cannotSend(e));
                return;
            }
            new Exchange(request, new Conn(so, request.caller), false).send();
        });
    }

    private Conn pollIdle(ContextInternal caller) {
        if (!caller.isEventLoopContext()) {
            return null;
        }
        ArrayDeque<Conn> deque = idle.get(caller.nettyEventLoop());
        while (deque != null && !deque.isEmpty()) {
            Conn c = deque.pollLast();
            if (!c.closed) {
                vertx.cancelTimer(c.idleTimer);
                return c;
            }
        }
        return null;
    }

    private void release(Conn conn) {
        conn.channel.config().setAutoRead(true); // so that a close by the server is noticed while idle
        if (conn.closed || !conn.owner.isEventLoopContext()) {
            conn.close();
            return;
        }
        ArrayDeque<Conn> deque = idle.computeIfAbsent(conn.owner.nettyEventLoop(), k -> new ArrayDeque<>());
        if (deque.size() >= MAX_IDLE_PER_LOOP) {
            conn.close();
            return;
        }
        deque.addLast(conn);
        conn.idleTimer = vertx.setTimer(IDLE_MILLIS, t -> {
            deque.remove(conn);
            conn.close();
        });
    }

    @Override
    public void close() {
        net.close();
    }

    private record Request(ContextInternal caller, URL url, Map<String, List<String>> headers, boolean partial,
                           IntFunction<Throwable> statusFailure, Promise<Body> promise) {
    }

    /**
     * One response body from S3, read once as a stream with demand: the raw material of the port's
     * {@link ObjectBody} ({@link ResumingBody} strings several together when S3 breaks midway). Callbacks come on the
     * caller's context. Slices are retained slices of Netty's pooled buffers unless {@link #heapCopies} was asked.
     */
    interface Body extends ReadStream<Buffer> {

        /** The Content-Length of this response. */
        long contentLength();

        /** The response's ETag header as sent (quoted), or null. */
        String etag();

        /** Hand over heap copies (true) or pooled slices the consumer must release (false, the default). */
        void heapCopies(boolean copies);

        /** Stops the transfer (closes the connection); safe to call more than once. */
        Future<Void> cancel();
    }

    /** One TCP connection to S3 and the exchange on it, if any. */
    private final class Conn {
        final NetSocketInternal socket;
        final Channel channel;
        /** The context that connected it: its event loop runs the socket. */
        final ContextInternal owner;
        Exchange current;
        boolean closed;
        long idleTimer = -1;

        Conn(NetSocketInternal socket, ContextInternal owner) {
            this.socket = socket;
            this.channel = socket.channelHandlerContext().channel();
            this.owner = owner;
            socket.messageHandler(msg -> {
                Exchange e = current;
                if (e == null) {
                    ReferenceCountUtil.release(msg); // nothing expected on an idle connection
                    if (!(msg instanceof LastHttpContent)) {
                        close();
                    }
                } else {
                    e.onMessage(msg);
                }
            });
            socket.exceptionHandler(t -> {
                Exchange e = current;
                if (e != null) {
                    e.onFailure(t);
                }
                close();
            });
            socket.closeHandler(v -> {
                closed = true;
                Exchange e = current;
                current = null;
                if (e != null) {
                    e.onFailure(new VertxException("S3 connection closed", true));
                }
            });
        }

        void close() {
            if (!closed) {
                closed = true;
                socket.close();
            }
        }
    }

    /** One GET: the request, its response head, and its body as a {@link ReadStream} with demand. */
    private final class Exchange implements Body {
        private final Request request;
        private final Conn conn;
        private final boolean reused;
        /** Read from the socket, not yet handed over: pooled (off-heap) buffers, at most about one socket read. */
        private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
        private long headTimer = -1;
        private boolean headReceived;
        private boolean keepAlive;
        private long contentLength;
        private String etag;
        private boolean lastReceived;
        private boolean ended;
        private boolean cancelled;
        private boolean failed;
        /** Whether {@link #stream()} was asked for: hand over heap copies instead of pooled slices. */
        private boolean heapCopies;
        /** Starts paused: nothing flows until the caller pipes or resumes. */
        private long demand;
        private Handler<Buffer> handler;
        private Handler<Void> endHandler;
        private Handler<Throwable> exceptionHandler;

        Exchange(Request request, Conn conn, boolean reused) {
            this.request = request;
            this.conn = conn;
            this.reused = reused;
        }

        void send() {
            try {
                trySend();
            } catch (RuntimeException e) {
                // a header Netty refuses (CR/LF in a value...): fail now, not after a timeout; what the connection
                // has seen of it is unknown: close it rather than reuse it
                fail(cannotSend(e));
            }
        }

        private void trySend() {
            conn.current = this;
            URL url = request.url;
            // URL keeps path and query encoded, as signed
            String target = url.getPath() + (url.getQuery() == null ? "" : "?" + url.getQuery());
            DefaultFullHttpRequest get = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target, Unpooled.EMPTY_BUFFER);
            for (Map.Entry<String, List<String>> h : request.headers.entrySet()) {
                get.headers().set(h.getKey(), String.join(",", h.getValue()));
            }
            if (!get.headers().contains("Host")) {
                get.headers().set("Host", url.getPort() == -1 ? url.getHost() : url.getHost() + ":" + url.getPort());
            }
            headTimer = vertx.setTimer(headTimeoutMillis, t -> {
                if (!headReceived) {
                    onFailure(new java.util.concurrent.TimeoutException("no response from S3 in " + headTimeoutMillis + " ms"));
                    conn.close();
                }
            });
            conn.channel.config().setAutoRead(true);
            metrics.request(request.partial ? dev.s3music.model.cost.S3Meters.Kind.GET_RANGED
                : dev.s3music.model.cost.S3Meters.Kind.GET_FULL);
            conn.socket.writeMessage(get).onFailure(this::onFailure);
        }

        void onMessage(Object msg) {
            try {
                if (msg instanceof HttpResponse response) {
                    onHead(response);
                }
                if (msg instanceof HttpContent content && !failed) {
                    if (content.decoderResult().isFailure()) {
                        // a broken chunk or framing: the body cannot be trusted past here
                        onFailure(content.decoderResult().cause());
                        return;
                    }
                    ByteBuf b = content.content();
                    metrics.read(b.readableBytes()); // billed as retrieval whether or not the consumer takes it
                    if (b.isReadable() && !cancelled) {
                        pending.add(b.retain());
                    }
                    if (msg instanceof LastHttpContent) {
                        lastReceived = true;
                        conn.current = null;
                        if (keepAlive && !cancelled) {
                            release(conn);
                        } else {
                            conn.close();
                        }
                    }
                    drain();
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void onHead(HttpResponse response) {
            vertx.cancelTimer(headTimer);
            headReceived = true;
            int status = response.status().code();
            if (response.decoderResult().isFailure()) {
                fail(DomainException.transientFailure("bad response from S3: " + response.decoderResult().cause(), null));
                return;
            }
            if (status != 200 && status != 206) {
                fail(request.statusFailure.apply(status));
                return;
            }
            if (request.partial && status == 200) {
                fail(DomainException.transientFailure("S3 ignored the Range", null));
                return;
            }
            contentLength = HttpUtil.getContentLength(response, -1L);
            if (contentLength < 0) {
                fail(DomainException.transientFailure("S3 answered without Content-Length", null));
                return;
            }
            keepAlive = HttpUtil.isKeepAlive(response);
            etag = response.headers().get("ETag");
            conn.channel.config().setAutoRead(false); // paused until the caller asks for data
            request.promise.tryComplete(this);
        }

        /** A failure before the body is handed over fails the open; the connection is not reused. */
        private void fail(Throwable t) {
            failed = true;
            vertx.cancelTimer(headTimer);
            conn.current = null;
            conn.close();
            request.promise.tryFail(t);
        }

        void onFailure(Throwable t) {
            if (failed || ended || cancelled) {
                return;
            }
            failed = true;
            vertx.cancelTimer(headTimer);
            conn.current = null;
            conn.close();
            if (!headReceived) {
                if (reused) {
                    attempt(request, false); // a kept-alive connection the server had closed: once more, fresh
                } else {
                    request.promise.tryFail(DomainException.transientFailure("S3 GET failed: " + t.getMessage(), t));
                }
                return;
            }
            if (lastReceived) {
                return; // every byte is here; the connection died afterwards
            }
            releasePending();
            Handler<Throwable> h = exceptionHandler;
            if (h != null) {
                request.caller.emit(t, h);
            }
        }

        private void drain() {
            while (demand > 0 && !pending.isEmpty() && !cancelled) {
                ByteBuf head = pending.peek();
                // hand over retained slices of Netty's pooled read buffer, not copies: the consumer owns each slice
                // and releases it once written (the API's BoundedRelay does). Copying to the heap here, then Netty
                // copying back off-heap for the socket, cost about a quarter of the server's CPU per byte (measured
                // with epoll: 171 vs 227 ms per 100 MB). The consumer's byte bound, not the slice size, bounds what
                // a slow stream holds.
                int n = Math.min(SLICE, head.readableBytes());
                Buffer slice;
                if (heapCopies) {
                    byte[] copy = new byte[n];
                    head.readBytes(copy);
                    slice = Buffer.buffer(copy);
                } else {
                    slice = BufferInternal.buffer(head.readRetainedSlice(n));
                }
                if (!head.isReadable()) {
                    pending.poll().release();
                }
                if (demand != Long.MAX_VALUE) {
                    demand--;
                }
                Handler<Buffer> h = handler;
                if (h != null) {
                    request.caller.emit(slice, h);
                } else if (!heapCopies) {
                    BoundedRelay.releaseIfOffHeap(slice); // nobody to hand it to
                }
            }
            if (cancelled || failed) {
                return;
            }
            if (lastReceived) {
                if (pending.isEmpty() && !ended) {
                    ended = true;
                    Handler<Void> h = endHandler;
                    if (h != null) {
                        request.caller.emit(null, h);
                    }
                }
            } else if (!conn.closed) {
                // read from S3 only while the consumer wants more and nothing waits here
                conn.channel.config().setAutoRead(demand > 0 && pending.isEmpty());
            }
        }

        private void releasePending() {
            for (ByteBuf b : pending) {
                b.release();
            }
            pending.clear();
        }

        private void onLoop(Runnable r) {
            if (conn.owner.nettyEventLoop().inEventLoop()) {
                r.run();
            } else {
                conn.owner.nettyEventLoop().execute(r);
            }
        }

        // ---- Body ----

        @Override
        public long contentLength() {
            return contentLength;
        }

        @Override
        public String etag() {
            return etag;
        }

        /** Heap copies: the consumer keeps them, nothing to release (tests, small consumers). */
        @Override
        public void heapCopies(boolean copies) {
            onLoop(() -> heapCopies = copies);
        }

        @Override
        public Future<Void> cancel() {
            onLoop(() -> {
                if (cancelled) {
                    return;
                }
                cancelled = true;
                releasePending();
                if (conn.current == this) {
                    conn.current = null;
                    conn.close(); // the only way to stop an HTTP/1.1 response: S3 stops sending
                }
            });
            return Future.succeededFuture();
        }

        // ---- ReadStream ----

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
            exceptionHandler = h;
            return this;
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> h) {
            handler = h;
            return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
            onLoop(() -> {
                demand = 0;
                if (!lastReceived && !conn.closed && conn.current == this) {
                    conn.channel.config().setAutoRead(false);
                }
            });
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            return fetch(Long.MAX_VALUE);
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            onLoop(() -> {
                demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
                drain();
            });
            return this;
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> h) {
            endHandler = h;
            return this;
        }
    }
}
