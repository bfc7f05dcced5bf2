package dev.s3music.embedded;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Refuses browser requests from other web origins before S3Proxy sees them, and answers CORS for the allowed ones.
 *
 * <p>Why a filter: S3Proxy's own CORS rules ({@code s3proxy.cors-allow-*}) only decide the preflight answer and the
 * {@code Access-Control-*} response headers; the request itself is still performed. A page on
 * {@code http://evil.example} can send a "simple" cross-origin request without any preflight (a form POST upload,
 * {@code multipart/form-data}), and S3Proxy stored the file (issue 9, item 13); only reading the answer was blocked.
 * Browsers always send {@code Origin} on such requests (and on every POST, PUT, DELETE and preflight), so:
 * <ul>
 *   <li>no {@code Origin} header: not a cross-origin browser request (the AWS SDK, the CLI, curl): passed on, S3
 *       signature checks as usual;</li>
 *   <li>an allowed origin (the server's own web origin): passed on, with {@code Access-Control-Allow-Origin} for
 *       it, and preflights answered here (the web player's uploads need them);</li>
 *   <li>any other origin, {@code Origin: null} included (sandboxed frames, files): 403 {@code AccessDenied}, nothing
 *       performed;</li>
 *   <li>a browser form upload ({@code POST} with {@code multipart/form-data}) without an allowed origin: 403 too,
 *       whatever its {@code Origin} says (no S3 client sends one; only a browser form does).</li>
 * </ul>
 * The allowed set is replaced at run time ({@link #allow}): the server's web port is known only once it listens.
 */
public final class BrowserOriginFilter implements Filter {

    /** What a signed browser upload sends: the S3 headers, the signature, the content headers. */
    private static final String EXPOSED_HEADERS = "ETag, x-amz-request-id, x-amz-version-id, Content-Range, "
        + "Accept-Ranges, Content-Length";
    private static final String METHODS = "GET, HEAD, PUT, POST, DELETE";
    private static final String PREFLIGHT_MAX_AGE = "600";

    private volatile Set<String> allowed = Set.of();

    /** Replaces the allowed origins ({@code http://host:port}, compared without case); empty allows none. */
    public void allow(Collection<String> origins) {
        allowed = origins.stream().map(BrowserOriginFilter::normalize).collect(Collectors.toUnmodifiableSet());
    }

    public Set<String> allowed() {
        return allowed;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
        throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String origin = request.getHeader("Origin");
        boolean fromAllowedOrigin = origin != null && allowed.contains(normalize(origin));
        if (origin != null && !fromAllowedOrigin) {
            refuse(response, "requests from web origin " + printable(origin) + " are refused: only the music "
                + "server's own web pages may use this S3 endpoint from a browser");
            return;
        }
        if (!fromAllowedOrigin && isFormUpload(request)) {
            refuse(response, "browser form uploads (POST multipart/form-data) are refused");
            return;
        }
        if (fromAllowedOrigin) {
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.addHeader("Vary", "Origin");
            if ("OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null) {
                response.setHeader("Access-Control-Allow-Methods", METHODS);
                String headers = request.getHeader("Access-Control-Request-Headers");
                if (headers != null) {
                    response.setHeader("Access-Control-Allow-Headers", headers);
                }
                response.setHeader("Access-Control-Max-Age", PREFLIGHT_MAX_AGE);
                response.setStatus(HttpServletResponse.SC_OK);
                response.setContentLength(0);
                return;
            }
            response.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        }
        chain.doFilter(req, res);
    }

    private static boolean isFormUpload(HttpServletRequest request) {
        String type = request.getContentType();
        return "POST".equalsIgnoreCase(request.getMethod()) && type != null
            && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    private static void refuse(HttpServletResponse response, String message) throws IOException {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>"
            + message + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType("application/xml");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** An origin as it may appear in the answer: short, printable ASCII, no XML markup. */
    private static String printable(String origin) {
        String cut = origin.length() > 100 ? origin.substring(0, 100) + "..." : origin;
        StringBuilder b = new StringBuilder(cut.length());
        for (char c : cut.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f && c != '<' && c != '>' && c != '&' ? c : '?');
        }
        return b.toString();
    }

    private static String normalize(String origin) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
