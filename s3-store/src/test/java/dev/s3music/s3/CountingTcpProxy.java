package dev.s3music.s3;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay in front of a server (S3Proxy) that counts the bytes the server sent and the connections open to
 * it, with backpressure both ways. Tests use it to prove that a cancelled stream stops the S3 transfer: the
 * connection to the server closes and the byte count stops well short of the object size.
 */
public final class CountingTcpProxy implements AutoCloseable {

    private final NetServer server;
    private final NetClient client;
    private final AtomicLong bytesFromServer = new AtomicLong();
    private final AtomicInteger openUpstream = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final java.util.Set<NetSocket> sockets = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private CountingTcpProxy(NetServer server, NetClient client) {
        this.server = server;
        this.client = client;
    }

    /** Starts a relay on a free 127.0.0.1 port to {@code host:port}. */
    public static Future<CountingTcpProxy> start(Vertx vertx, String host, int port) {
        NetClient client = vertx.createNetClient();
        NetServer server = vertx.createNetServer();
        CountingTcpProxy proxy = new CountingTcpProxy(server, client);
        server.connectHandler(downstream -> {
            downstream.pause();
            client.connect(port, host).onComplete(ar -> {
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
                upstream.handler(buf -> {
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
