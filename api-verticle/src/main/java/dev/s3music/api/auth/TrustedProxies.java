package dev.s3music.api.auth;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code TRUSTED_PROXIES}: the CIDR blocks of the reverse proxies (the load balancer) whose {@code X-Forwarded-Proto}
 * and {@code X-Forwarded-For} are believed. A request from anywhere else is judged by its own connection only, so a
 * client cannot claim TLS (and get a non-Secure cookie treated as secure) or spoof its address for the throttle.
 * Immutable.
 */
public final class TrustedProxies {

    /** Nobody is trusted: the connection alone says whether it is TLS and who the client is. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /**
     * Parses a comma-separated list of CIDR blocks or single addresses ({@code 10.0.0.0/8, 192.168.1.7, fd00::/8}),
     * literal addresses only (no host names: nothing is resolved).
     *
     * @throws IllegalArgumentException naming the entry that is not one
     */
    public static TrustedProxies parse(String list) {
        if (list == null || list.isBlank()) {
            return NONE;
        }
        List<Block> blocks = new ArrayList<>();
        for (String raw : list.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            String host = slash < 0 ? entry : entry.substring(0, slash);
            byte[] address = literal(host);
            if (address == null) {
                throw new IllegalArgumentException("not an IP address or CIDR block: " + entry);
            }
            int prefix = address.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a CIDR prefix length: " + entry);
                }
                if (prefix < 0 || prefix > address.length * 8) {
                    throw new IllegalArgumentException("CIDR prefix length out of range: " + entry);
                }
            }
            blocks.add(new Block(address, prefix));
        }
        return new TrustedProxies(blocks);
    }

    /** Whether {@code host} (a literal address) lies in one of the blocks. */
    public boolean trusts(String host) {
        if (blocks.isEmpty() || host == null) {
            return false;
        }
        byte[] address = literal(host);
        if (address == null) {
            return false;
        }
        for (Block b : blocks) {
            if (b.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the request reached the client's side over TLS: its own connection, or a trusted proxy's word. */
    public boolean secure(HttpServerRequest request) {
        if (request.isSSL()) {
            return true;
        }
        if (!trusts(host(request.remoteAddress()))) {
            return false;
        }
        String proto = request.getHeader("X-Forwarded-Proto");
        if (proto == null) {
            return false;
        }
        int comma = proto.indexOf(',');
        String first = (comma < 0 ? proto : proto.substring(0, comma)).trim().toLowerCase(Locale.ROOT);
        return first.equals("https");
    }

    /**
     * The client's address: the connection's peer, or, when that is a trusted proxy, the right-most address of
     * {@code X-Forwarded-For} that is not itself a trusted proxy (the left part is the client's own claim).
     */
    public String clientAddress(HttpServerRequest request) {
        String peer = host(request.remoteAddress());
        if (!trusts(peer)) {
            return peer;
        }
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded == null) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (literal(hop) == null) {
                return peer; // garbage from a proxy we trust: keep what we know
            }
            if (!trusts(hop)) {
                return hop;
            }
        }
        return peer;
    }

    private static String host(SocketAddress address) {
        return address == null ? null : address.hostAddress();
    }

    /** The bytes of a literal IPv4 or IPv6 address, or null (never a DNS lookup). */
    static byte[] literal(String host) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean v4 = h.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
        boolean v6 = h.indexOf(':') >= 0 && h.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%');
        if (v4) {
            String[] parts = h.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (parts[i].isEmpty() || parts[i].length() > 3) {
                    return null;
                }
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    return null;
                }
                b[i] = (byte) v;
            }
            return b;
        }
        if (v6) {
            try {
                int zone = h.indexOf('%');
                // a literal with colons is parsed without any lookup
                byte[] b = InetAddress.getByName(zone < 0 ? h : h.substring(0, zone)).getAddress();
                if (b.length == 16 && isV4Mapped(b)) {
                    return java.util.Arrays.copyOfRange(b, 12, 16);
                }
                return b;
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
    }
}
