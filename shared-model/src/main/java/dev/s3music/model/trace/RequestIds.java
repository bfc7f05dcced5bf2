package dev.s3music.model.trace;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.context.storage.ContextLocal;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The request id that follows one request through every module: taken from the client's {@code X-Request-Id} (or
 * made up) by the API, kept in the Vert.x <em>context-local</em> storage of the request, carried across the event
 * bus as the {@link #HEADER} message header, and adopted by the consumer on the (duplicated) context of that
 * message. The logging setup reads {@link #current()} on the logging thread and puts it in every log line.
 *
 * <p>Why context-local and not the SLF4J MDC: the MDC is per thread, and one event-loop thread interleaves many
 * requests; Vert.x runs each HTTP request and each event-bus delivery on its own duplicated context, so a value
 * put there belongs to that request alone and follows its callbacks. (reactiverse-contextual-logging does this for
 * Vert.x 4 only: 1.2.1 is its latest release and relies on the 4.x context-data map that Vert.x 5 replaced with
 * {@link ContextLocal}.)
 *
 * <p>A {@link ContextLocal} must be registered before a {@code Vertx} is created; Vert.x discovers this class
 * through {@code META-INF/services/io.vertx.core.spi.VertxServiceProvider} before it captures its locals, as the
 * {@link ContextLocal} documentation recommends.
 */
public final class RequestIds implements VertxServiceProvider {

    /** HTTP header (request and response) and event-bus message header. */
    public static final String HEADER = "X-Request-Id";
    /** The MDC key (and JSON field under {@code mdc}) of the id in log lines. */
    public static final String MDC_KEY = "requestId";
    /** Longest id accepted from a client; a longer or odd one is replaced, never echoed. */
    public static final int MAX_LENGTH = 128;

    private static final ContextLocal<String> LOCAL = ContextLocal.registerLocal(String.class);
    /** Printable token characters only: the id goes into headers and logs verbatim. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1," + MAX_LENGTH + "}");

    /** For the service loader only. */
    public RequestIds() {
    }

    @Override
    public void init(VertxBootstrap bootstrap) {
        // nothing: loading this class registered LOCAL before the Vertx instance captured its locals
    }

    /** The id of the request running on the current context, or null (no context, or none set). */
    public static String current() {
        Context ctx = Vertx.currentContext();
        return ctx == null ? null : ctx.getLocal(LOCAL);
    }

    /** Sets the id of the current context (a duplicated one: a request or a message delivery); null clears it. */
    public static void set(String id) {
        Context ctx = Vertx.currentContext();
        if (ctx == null) {
            return;
        }
        if (id == null) {
            ctx.removeLocal(LOCAL);
        } else {
            ctx.putLocal(LOCAL, id);
        }
    }

    /** The client's id when it is a sane token, else a new one. */
    public static String acceptOrCreate(String fromClient) {
        return fromClient != null && VALID.matcher(fromClient).matches() ? fromClient : create();
    }

    public static String create() {
        return UUID.randomUUID().toString();
    }

    /** Adds the current request id, if any, to the options of an event-bus send/request/publish. */
    public static DeliveryOptions propagate(DeliveryOptions options) {
        String id = current();
        if (id != null) {
            options.addHeader(HEADER, id);
        }
        return options;
    }

    /** New delivery options carrying the current request id, if any. */
    public static DeliveryOptions deliveryOptions() {
        return propagate(new DeliveryOptions());
    }

    /**
     * Makes the message's request id (if it carries a valid one) the id of the current context; call first thing
     * in a consumer (Vert.x delivers each message on its own duplicated context). Answers the id or null.
     */
    public static String adopt(Message<?> message) {
        String id = message.headers().get(HEADER);
        if (id == null || !VALID.matcher(id).matches()) {
            return null;
        }
        set(id);
        return id;
    }
}
