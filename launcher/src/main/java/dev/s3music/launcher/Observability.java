package dev.s3music.launcher;

import dev.s3music.api.RequestGuard;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.EnumSet;
import java.util.Map;

/**
 * Metrics and log format of one server process.
 *
 * <p><b>Metrics.</b> One {@link PrometheusMeterRegistry} per process: Vert.x writes its own meters into it
 * (vertx-micrometer-metrics: HTTP server and client, event bus, pools, plus JVM meters) and the modules add their
 * domain meters ({@code s3music_*}) to the same registry, which {@code GET /metrics} scrapes (on the API port, or
 * on the health port of roles without the API). Request paths are not a label: song ids would make one series
 * per song.
 *
 * <p><b>Logs.</b> {@code LOG_FORMAT=text} (default: a person at a terminal) or {@code json} (containers: one JSON
 * object per line, for CloudWatch and friends), chosen in {@code logback.xml}; logback's own
 * {@code JsonEncoder} was picked over logstash-logback-encoder because it is already on the classpath and adds no
 * Jackson to a build whose S3Proxy pins Jackson versions; what it lacks (renaming fields) no consumer here needs.
 * Every line logged for a request carries its {@code requestId} (the MDC, filled by
 * {@code dev.s3music.api.logging.RequestIdMdcFilter} from the Vert.x context).
 */
final class Observability {

    /** Declared in {@link LauncherConfig#VARIABLES}; read raw here (not stripped) because logback reads it raw. */
    static final String LOG_FORMAT = "LOG_FORMAT";

    /**
     * Distinct {@code route} values kept per Vert.x HTTP meter: route templates are a few dozen; beyond this bound
     * a new value is not recorded rather than growing the scrape.
     */
    static final int MAX_ROUTES = 200;

    private final PrometheusMeterRegistry registry = bounded(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));

    /** The registry the modules' meters go into and {@code /metrics} scrapes. */
    PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * A Vert.x builder whose metrics go into {@link #registry()}. HTTP meters are labelled by method, status code
     * and route template (vertx-web's, e.g. {@code /api/songs/:id/stream}), never by path.
     */
    VertxBuilder vertxBuilder(VertxOptions options) {
        options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
            // Vert.x's defaults plus the route template
            .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE,
                Label.POOL_NAME, Label.EB_SIDE)));
        return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry));
    }

    /**
     * Bounds the label values input can choose (issue 9: 2,000 random 1,000-character methods grew the scrape to
     * 23 MB). Vert.x records a request's method before any handler can refuse it, so the filter maps any method
     * outside {@link RequestGuard#METHODS} to {@code other}, and keeps at most {@link #MAX_ROUTES} route values per
     * Vert.x HTTP meter.
     */
    static PrometheusMeterRegistry bounded(PrometheusMeterRegistry registry) {
        registry.config()
            .meterFilter(MeterFilter.replaceTagValues(Label.HTTP_METHOD.toString(),
                m -> RequestGuard.METHODS.contains(m) ? m : "other"))
            .meterFilter(MeterFilter.maximumAllowableTags("vertx.http", Label.HTTP_ROUTE.toString(), MAX_ROUTES,
                MeterFilter.deny()));
        return registry;
    }

    /**
     * Checks {@code LOG_FORMAT} (logback reads it itself, before any code runs, and would silently log nothing
     * for an unknown value).
     */
    static void checkLogFormat(Map<String, String> env) {
        String v = env.get(LOG_FORMAT);
        if (v != null && !v.isBlank() && !v.equals("json") && !v.equals("text")) {
            throw new ConfigException(LOG_FORMAT, "must be json or text, not " + v);
        }
    }
}
