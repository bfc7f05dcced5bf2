package dev.s3music.launcher.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal HTTP/1.1 GET over a plain socket, so both sides of the benchmark pay the same small client cost and
 * the time to the first body byte is measured without a client library's buffering in between.
 * {@code Connection: close}; the body is read to its Content-Length or to the end of the stream.
 */
final class RawHttp {

    static final int TIMEOUT_MS = 30_000;

    record Result(int status, Map<String, String> headers, long bodyBytes, long firstByteNanos, long endNanos) {
    }

    private RawHttp() {
    }

    /** Sends the request; returns with the socket and input positioned at the first body byte. */
    /** {@code Bearer <token>} sent with every {@code /api/} request (the server's routes need a session), or null. */
    static volatile String authorization;

    static Socket open(String host, int port, String pathAndQuery, String range, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.setTcpNoDelay(true);
        s.setSoTimeout(TIMEOUT_MS);
        s.connect(new InetSocketAddress(host, port), 5_000);
        StringBuilder req = new StringBuilder()
            .append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n")
            .append("Host: ").append(host).append(':').append(port).append("\r\n")
            .append("Connection: close\r\n");
        if (range != null) {
            req.append("Range: ").append(range).append("\r\n");
        }
        String auth = authorization;
        if (auth != null && pathAndQuery.startsWith("/api/")) {
            req.append("Authorization: ").append(auth).append("\r\n");
        }
        req.append("\r\n");
        OutputStream out = s.getOutputStream();
        out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return s;
    }

    /** Reads the status line and headers (bounded to 64 KiB). */
    static Map.Entry<Integer, Map<String, String>> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(1024);
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the end of the headers");
            }
            head.write(b);
            if (head.size() > 65_536) {
                throw new IOException("headers too long");
            }
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                ? state + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
        }
        return Map.entry(status, headers);
    }

    /** One whole GET: status, headers, bytes of body, and when the first body byte and the last arrived. */
    static Result get(String host, int port, String pathAndQuery, String range, byte[] buffer) throws IOException {
        long t0 = System.nanoTime();
        try (Socket s = open(host, port, pathAndQuery, range, 0)) {
            InputStream in = s.getInputStream();
            var head = readHead(in);
            long expected = Long.parseLong(head.getValue().getOrDefault("content-length", "-1"));
            long first = -1;
            long n = 0;
            while (expected < 0 || n < expected) {
                int max = expected < 0 ? buffer.length : (int) Math.min(buffer.length, expected - n);
                int r = in.read(buffer, 0, max);
                if (r < 0) {
                    break;
                }
                if (first < 0) {
                    first = System.nanoTime() - t0;
                }
                n += r;
            }
            return new Result(head.getKey(), head.getValue(), n, first, System.nanoTime() - t0);
        }
    }
}
