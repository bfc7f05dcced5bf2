package dev.s3music.accounts;

import dev.s3music.model.DocumentPage;
import dev.s3music.model.DomainException;
import dev.s3music.model.Versioned;
import dev.s3music.model.port.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * Accounts as documents {@code accounts/<key>.json} ({@link AccountRules#key}: base64url of the folded name, so any
 * name is a safe file name and two names differing only in case are one key). Created with {@code create} (fails
 * CONFLICT when the name is taken, by whichever instance) and changed with {@code replace} from the version read:
 * on CONFLICT the change is applied again to a fresh read, after a short jittered pause, at most
 * {@code attempts} times, so concurrent edits of one account from any number of instances all land.
 */
final class AccountDocuments {

    static final String PREFIX = "accounts/";

    private final Vertx vertx;
    private final DocumentStore docs;
    private final int attempts;

    AccountDocuments(Vertx vertx, DocumentStore docs, int attempts) {
        this.vertx = vertx;
        this.docs = docs;
        this.attempts = attempts;
    }

    static String path(String nfcName) {
        return PREFIX + AccountRules.key(nfcName) + ".json";
    }

    /** The account and its version, or null. */
    Future<Versioned<Account>> get(String nfcName) {
        return docs.get(path(nfcName))
            .map(v -> v == null ? null : new Versioned<>(Account.fromJson(v.value()), v.version()));
    }

    /** Creates it; CONFLICT when an account of that name (ignoring case) exists. */
    Future<Account> create(Account a) {
        return docs.create(path(a.username()), a.toJson())
            .recover(e -> Future.failedFuture(DomainException.is(e, DomainException.Kind.CONFLICT)
                ? DomainException.conflict("username exists") : e))
            .map(a);
    }

    /**
     * Applies {@code change} to the current account and writes it conditionally, again on a fresh read when another
     * writer won. {@code change} may throw a DomainException (it fails the update) and must be free of side effects
     * (it may run more than once). The account as written; NOT_FOUND when there is none.
     */
    Future<Account> update(String nfcName, UnaryOperator<Account> change) {
        return attempt(nfcName, change, 1);
    }

    private Future<Account> attempt(String nfcName, UnaryOperator<Account> change, int n) {
        return get(nfcName).compose(current -> {
            if (current == null) {
                return Future.failedFuture(DomainException.notFound("user"));
            }
            Account next = change.apply(current.value());
            if (next.equals(current.value())) {
                return Future.succeededFuture(next);
            }
            return docs.replace(path(nfcName), next.toJson(), current.version()).map(next);
        }).recover(e -> {
            if (!DomainException.is(e, DomainException.Kind.CONFLICT) || n >= attempts) {
                return Future.failedFuture(DomainException.is(e, DomainException.Kind.CONFLICT)
                    ? DomainException.transientFailure("account kept changing; try again", e) : e);
            }
            long pause = ThreadLocalRandom.current().nextLong(1, 10L * n + 2);
            return vertx.timer(pause).compose(t -> attempt(nfcName, change, n + 1));
        });
    }

    Future<Void> delete(String nfcName) {
        return docs.delete(path(nfcName));
    }

    /** Whether any account exists. */
    Future<Boolean> any() {
        return docs.list(PREFIX, null, 1).map(p -> !p.documents().isEmpty());
    }

    /** Every account (a music teacher's studio: tens, not millions), page by page. */
    Future<List<Account>> all() {
        return allFrom(null, new ArrayList<>());
    }

    private Future<List<Account>> allFrom(String cursor, List<Account> acc) {
        return docs.list(PREFIX, cursor, DocumentStore.MAX_LIST_LIMIT).compose(page -> {
            Future<Void> chain = Future.succeededFuture();
            for (DocumentPage.Entry e : page.documents()) {
                chain = chain.compose(v -> docs.get(e.key()).map(d -> {
                    if (d != null) {
                        acc.add(Account.fromJson(d.value()));
                    }
                    return null;
                }));
            }
            return chain.compose(v -> page.cursor() == null ? Future.succeededFuture(acc) : allFrom(page.cursor(), acc));
        });
    }
}
