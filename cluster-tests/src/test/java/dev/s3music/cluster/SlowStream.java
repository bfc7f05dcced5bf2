package dev.s3music.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * A listener on a slow connection: GET a song over a raw socket with a small receive buffer and read its body at a
 * bounded rate (so the server is still sending when the test stops it). Reports status, body length and SHA-256.
 */
final class SlowStream implements Callable<SlowStream.Result> {

    record Result(int status, long contentLength, long bytes, String sha256, long millis, String error) {
        boolean complete() {
            return status == 200 && error == null && bytes == contentLength;
        }
    }

    private final String host;
    private final int port;
    private final String path;
    private final int chunk;
    private final long pauseMillis;
    private volatile long bytesSoFar;

    /** The {@code Authorization} header value sent, or null. */
    private final String authorization;

    /** Reads {@code chunk} bytes, then sleeps {@code pauseMillis}, until the end of the body. */
    SlowStream(String host, int port, String path, int chunk, long pauseMillis) {
        this(host, port, path, chunk, pauseMillis, null);
    }

    /** As above, signed in with {@code authorization} ({@code Bearer <token>}). */
    SlowStream(String host, int port, String path, int chunk, long pauseMillis, String authorization) {
        this.authorization = authorization;
        this.host = host;
        this.port = port;
        this.path = path;
        this.chunk = chunk;
        this.pauseMillis = pauseMillis;
    }

    long bytesSoFar() {
        return bytesSoFar;
    }

    @Override
    public Result call() {
        long start = System.nanoTime();
        int status = -1;
        long length = -1;
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(16 * 1024);
            socket.connect(new InetSocketAddress(host, port), 2_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nConnection: close\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            status = Integer.parseInt(head.substring(9, 12));
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Long.parseLong(line.substring(15).trim());
                }
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[chunk];
            long total = 0;
            while (length < 0 || total < length) {
                int want = (int) Math.min(chunk, length < 0 ? chunk : length - total);
                int n = in.readNBytes(buffer, 0, want);
                if (n <= 0) {
                    break;
                }
                sha.update(buffer, 0, n);
                total += n;
                bytesSoFar = total;
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                }
            }
            return new Result(status, length, total, HexFormat.of().formatHex(sha.digest()),
                (System.nanoTime() - start) / 1_000_000, null);
        } catch (IOException | RuntimeException | NoSuchAlgorithmException e) {
            return new Result(status, length, bytesSoFar, "", (System.nanoTime() - start) / 1_000_000, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(status, length, bytesSoFar, "", (System.nanoTime() - start) / 1_000_000, "interrupted");
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head: " + head);
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1
                : (b == '\r' ? 1 : 0);
            if (head.size() > 16_384) {
                throw new IOException("response head too long");
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
