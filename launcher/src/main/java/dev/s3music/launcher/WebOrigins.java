package dev.s3music.launcher;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The server's own web origins: what a browser sends as {@code Origin} from the server's pages. The embedded S3
 * accepts browser requests from these only (the web player's uploads), so they must name every way the same
 * listener is browsed to: the configured host, and the loopback names ({@code 127.0.0.1}, {@code localhost},
 * {@code [::1]}); on a wildcard listener ({@code 0.0.0.0}, {@code ::}) also this machine's interface addresses.
 * Port 80 also appears without a port (browsers leave the default out).
 */
final class WebOrigins {

    private WebOrigins() {
    }

    static List<String> of(String httpHost, int port) {
        Set<String> hosts = new LinkedHashSet<>();
        boolean wildcard = httpHost.equals("0.0.0.0") || httpHost.equals("::") || httpHost.equals("[::]");
        if (!wildcard) {
            hosts.add(bracketed(httpHost));
        }
        hosts.add("127.0.0.1");
        hosts.add("localhost");
        hosts.add("[::1]");
        if (wildcard) {
            hosts.addAll(interfaceAddresses());
        }
        Set<String> origins = new LinkedHashSet<>();
        for (String h : hosts) {
            origins.add("http://" + h + ":" + port);
            if (port == 80) {
                origins.add("http://" + h);
            }
        }
        return List.copyOf(origins);
    }

    private static String bracketed(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static Set<String> interfaceAddresses() {
        Set<String> out = new LinkedHashSet<>();
        try {
            for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(n.getInetAddresses())) {
                    String text = a.getHostAddress();
                    int zone = text.indexOf('%');
                    out.add(bracketed(zone < 0 ? text : text.substring(0, zone)));
                }
            }
        } catch (SocketException e) {
            // only the loopback names then
        }
        return out;
    }
}
