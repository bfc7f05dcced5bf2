package dev.s3music.s3;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay in front of a server (S3Proxy) that counts the bytes the server sent and the connections open to
 * it, with backpressure both ways. Tests use it to prove that a cancelled stream stops the S3 transfer: the
 * connection to the server closes and the byte count stops well short of the object size. It also breaks
 * connections on demand ({@link #cutAfter}): S3 failing midway, for the resume tests.
 */
public final class CountingTcpProxy implements AutoCloseable {

    private final NetServer server;
    private final NetClient client;
    private final AtomicLong bytesFromServer = new AtomicLong();
    private final AtomicInteger openUpstream = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final java.util.Set<NetSocket> sockets = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicInteger cutsLeft = new AtomicInteger();
    private final AtomicInteger cuts = new AtomicInteger();
    private volatile long cutAfterBytes = Long.MAX_VALUE;
    /** Bumped by each {@link #cutAfter}: a connection counts its bytes toward a cut from then on. */
    private final AtomicInteger cutEpoch = new AtomicInteger();
    private volatile java.util.function.Supplier<Future<Void>> afterCut = Future::succeededFuture;
    /** New connections wait for this before they reach the server (set by a cut). */
    private volatile Future<Void> gate = Future.succeededFuture();

    private CountingTcpProxy(NetServer server, NetClient client) {
        this.server = server;
        this.client = client;
    }

    private static final int RELAY_BUFFER = 256 * 1024;

    /** Starts a relay on a free 127.0.0.1 port to {@code host:port}. */
    public static Future<CountingTcpProxy> start(Vertx vertx, String host, int port) {
        // fixed socket buffers: what the relay holds in flight is then a few hundred KB, not whatever the kernel's
        // autotuning grew to on a busy machine (a client-abort test once counted 13.8 MB read from S3 by the relay
        // while the server under test had stopped after 5 MB), so its counts measure the server, not the relay
        NetClient client = vertx.createNetClient(new io.vertx.core.net.NetClientOptions()
            .setReceiveBufferSize(RELAY_BUFFER).setSendBufferSize(RELAY_BUFFER));
        NetServer server = vertx.createNetServer(new io.vertx.core.net.NetServerOptions()
            .setReceiveBufferSize(RELAY_BUFFER).setSendBufferSize(RELAY_BUFFER));
        CountingTcpProxy proxy = new CountingTcpProxy(server, client);
        server.connectHandler(downstream -> {
            downstream.pause();
            proxy.gate.transform(g -> client.connect(port, host)).onComplete(ar -> {
                if (ar.failed()) {
                    downstream.close();
                    return;
                }
                NetSocket upstream = ar.result();
                proxy.sockets.add(downstream);
                proxy.connections.incrementAndGet();
                proxy.openUpstream.incrementAndGet();
                upstream.closeHandler(v -> {
                    proxy.openUpstream.decrementAndGet();
                    downstream.close();
                });
                downstream.closeHandler(v -> {
                    proxy.sockets.remove(downstream);
                    upstream.close();
                });
                upstream.pause();
                long[] relayed = {0};
                int[] epoch = {proxy.cutEpoch.get()};
                boolean[] cut = {false};
                upstream.handler(buf -> {
                    if (cut[0]) {
                        return;
                    }
                    if (epoch[0] != proxy.cutEpoch.get()) {
                        epoch[0] = proxy.cutEpoch.get(); // a kept-alive connection counts from the new cutAfter
                        relayed[0] = 0;
                    }
                    long room = proxy.cutAfterBytes - relayed[0];
                    if (buf.length() >= room && proxy.cutsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        // S3 failing midway: relay exactly up to the cut, then drop both sides of this connection
                        cut[0] = true;
                        Buffer head = buf.slice(0, (int) Math.max(0, room));
                        proxy.bytesFromServer.addAndGet(head.length());
                        proxy.cuts.incrementAndGet();
                        proxy.gate = proxy.afterCut.get();
                        downstream.write(head).onComplete(w -> {
                            downstream.close();
                            upstream.close();
                        });
                        return;
                    }
                    relayed[0] += buf.length();
                    proxy.bytesFromServer.addAndGet(buf.length());
                    downstream.write(buf);
                    if (downstream.writeQueueFull()) {
                        upstream.pause();
                        downstream.drainHandler(d -> upstream.resume());
                    }
                });
                downstream.handler(buf -> {
                    upstream.write(buf);
                    if (upstream.writeQueueFull()) {
                        downstream.pause();
                        upstream.drainHandler(d -> downstream.resume());
                    }
                });
                upstream.resume();
                downstream.resume();
            });
        });
        return server.listen(0, "127.0.0.1").map(s -> proxy);
    }

    public int port() {
        return server.actualPort();
    }

    /** Bytes the server sent through the relay so far. */
    public long bytesFromServer() {
        return bytesFromServer.get();
    }

    /** Connections to the server open now. */
    public int openUpstream() {
        return openUpstream.get();
    }

    /** Connections made to the server so far. */
    public int connections() {
        return connections.get();
    }

    /**
     * Breaks the next {@code times} connections that relay {@code bytes} from the server from now on (response heads
     * included; a kept-alive connection counts from this call):
     * exactly that many bytes reach the client, then both sides are closed, as when S3 or the network fails midway.
     * {@code thenBeforeReconnect} runs at each cut; connections opened afterwards reach the server only once its
     * future completes (to change the object between a cut and the resume).
     */
    public void cutAfter(long bytes, int times, java.util.function.Supplier<Future<Void>> thenBeforeReconnect) {
        cutAfterBytes = bytes;
        afterCut = thenBeforeReconnect;
        cutsLeft.set(times);
        cutEpoch.incrementAndGet();
    }

    /** As {@link #cutAfter(long, int, java.util.function.Supplier)}, reconnecting at once. */
    public void cutAfter(long bytes, int times) {
        cutAfter(bytes, times, Future::succeededFuture);
    }

    /** Connections broken by {@link #cutAfter} so far. */
    public int cuts() {
        return cuts.get();
    }

    /** Closes every relayed connection, as a server dropping its idle keep-alive connections would. */
    public void dropConnections() {
        sockets.forEach(NetSocket::close);
    }

    @Override
    public void close() {
        server.close();
        client.close();
    }
}
