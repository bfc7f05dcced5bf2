package dev.s3music.indexer.reconcile;

import dev.s3music.model.Addresses;
import dev.s3music.model.port.CatalogReader;
import dev.s3music.model.trace.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * Answers {@link Addresses#RESCAN_START} (starts a reconcile unless one runs; replies the status) and
 * {@link Addresses#RESCAN_STATUS} (replies the status), both with {@link RescanStatus#toJson()}, and starts a
 * reconcile when the catalog is empty at start ({@code reconcileWhenEmpty}).
 *
 * <p>Deploy one per cluster (the status lives in this instance): with several, a status request may reach an
 * instance that did not run the reconcile.
 */
public final class ReconcileVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileVerticle.class);

    private final Reconciler reconciler;
    private final CatalogReader catalog;
    private final boolean reconcileWhenEmpty;

    public ReconcileVerticle(Reconciler reconciler, CatalogReader catalog, boolean reconcileWhenEmpty) {
        this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.reconcileWhenEmpty = reconcileWhenEmpty;
    }

    @Override
    public Future<?> start() {
        MessageConsumer<Object> start = vertx.eventBus().consumer(Addresses.RESCAN_START, m -> {
            // the asking request's id: this line and the reconcile's own lines started from here carry it
            RequestIds.adopt(m);
            if (!noArguments(m)) {
                return;
            }
            LOG.info("rescan requested");
            Future<RescanStatus> run = reconciler.run();
            run.onFailure(e -> LOG.error("reconcile failed", e));
            m.reply(status());
        });
        MessageConsumer<Object> status = vertx.eventBus().consumer(Addresses.RESCAN_STATUS, m -> {
            if (noArguments(m)) {
                m.reply(status());
            }
        });
        return Future.all(start.completion(), status.completion()).onSuccess(v -> {
            if (reconcileWhenEmpty) {
                catalog.size().onSuccess(n -> {
                    if (n == 0) {
                        LOG.info("catalog is empty: reconciling");
                        reconciler.run();
                    }
                }).onFailure(e -> LOG.warn("cannot size the catalog, no reconcile at start: {}", e.toString()));
            }
        });
    }

    /** These commands take no arguments: anything but null or {} is refused, not ignored (a forged message). */
    private static boolean noArguments(Message<Object> m) {
        if (m.body() == null || (m.body() instanceof JsonObject j && j.isEmpty())) {
            return true;
        }
        LOG.info("malformed {} refused", m.address());
        m.fail(Addresses.RESCAN_FAILURE_INVALID, "expects no arguments (null or {})");
        return false;
    }

    private JsonObject status() {
        return reconciler.status().toJson();
    }
}
