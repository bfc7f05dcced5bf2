package dev.s3music.accounts;

import dev.s3music.model.DocumentPage;
import dev.s3music.model.DomainException;
import dev.s3music.model.auth.Principal;
import dev.s3music.model.auth.Share;
import dev.s3music.model.auth.ShareService;
import dev.s3music.model.port.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Share links as documents beside the accounts:
 * <ul>
 *   <li>{@code shares/<id>.json}: id, owner, songId | albumId, created, expiresAt, tokenHash;</li>
 *   <li>{@code share-tokens/<tokenHash>.json}: {@code {"id"}}, the index a link's token is resolved by.</li>
 * </ul>
 * Why an index document rather than a Redis map: a link is a promise to someone outside (a parent, an examiner)
 * that must outlive a Redis flush or failover, and S3 is the durable store here; resolving costs two small GETs,
 * only when a link is opened. The token is never stored: only its SHA-256. Written share first, index second (a
 * share without index is visible to its owner and deletable, never reachable); deleted index first.
 */
public final class DocumentShareService implements ShareService {

    static final String SHARES = "shares/";
    static final String TOKENS = "share-tokens/";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final DocumentStore docs;
    private final Duration maxLifetime;
    private final Clock clock;

    public DocumentShareService(DocumentStore docs, AccountsConfig config, Clock clock) {
        this.docs = docs;
        this.maxLifetime = config.maxShareLifetime();
        this.clock = clock;
    }

    public DocumentShareService(DocumentStore docs, AccountsConfig config) {
        this(docs, config, Clock.systemUTC());
    }

    @Override
    public Future<CreatedShare> create(Principal by, String songId, String albumId, Duration expiresIn) {
        if (by == null) {
            return Future.failedFuture(DomainException.unauthenticated("no session"));
        }
        if ((songId == null) == (albumId == null)) {
            return Future.failedFuture(DomainException.invalid("exactly one of songId and albumId"));
        }
        if (expiresIn == null || expiresIn.isNegative() || expiresIn.isZero() || expiresIn.compareTo(maxLifetime) > 0) {
            return Future.failedFuture(DomainException.invalid("expiresIn must be between 1 s and " + maxLifetime.toDays() + " days"));
        }
        String id = Tokens.random(12);
        String token = Tokens.newToken();
        String tokenHash = Tokens.hash(token);
        Instant now = clock.instant();
        Share share = new Share(id, by.username(), songId, albumId, now, now.plus(expiresIn));
        JsonObject doc = toJson(share).put("tokenHash", tokenHash);
        return docs.create(SHARES + id + ".json", doc)
            .compose(v -> docs.create(TOKENS + tokenHash + ".json", new JsonObject().put("id", id))
                .recover(e -> docs.delete(SHARES + id + ".json").transform(x -> Future.failedFuture(e))))
            .map(v -> {
                Audit.share("created", by.username(), id, songId != null ? "song:" + songId : "album:" + albumId);
                return new CreatedShare(share, token);
            });
    }

    @Override
    public Future<List<Share>> list(Principal by) {
        if (by == null) {
            return Future.failedFuture(DomainException.unauthenticated("no session"));
        }
        String me = AccountRules.fold(by.username());
        Instant now = clock.instant();
        return all(null, new ArrayList<>()).map(all -> all.stream()
            .filter(s -> by.isAdmin() || AccountRules.fold(s.owner()).equals(me))
            .filter(s -> s.expiresAt().isAfter(now))
            .sorted(Comparator.comparing(Share::created).reversed())
            .toList());
    }

    private Future<List<Share>> all(String cursor, List<Share> acc) {
        return docs.list(SHARES, cursor, DocumentStore.MAX_LIST_LIMIT).compose(page -> {
            Future<Void> chain = Future.succeededFuture();
            for (DocumentPage.Entry e : page.documents()) {
                chain = chain.compose(v -> docs.get(e.key()).map(d -> {
                    if (d != null) {
                        acc.add(fromJson(d.value()));
                    }
                    return null;
                }));
            }
            return chain.compose(v -> page.cursor() == null ? Future.succeededFuture(acc) : all(page.cursor(), acc));
        });
    }

    @Override
    public Future<Void> delete(Principal by, String id) {
        if (by == null) {
            return Future.failedFuture(DomainException.unauthenticated("no session"));
        }
        if (id == null || !ID.matcher(id).matches()) {
            return Future.failedFuture(DomainException.notFound("share"));
        }
        return docs.get(SHARES + id + ".json").compose(d -> {
            if (d == null) {
                return Future.failedFuture(DomainException.notFound("share"));
            }
            Share s = fromJson(d.value());
            if (!by.isAdmin() && !AccountRules.fold(s.owner()).equals(AccountRules.fold(by.username()))) {
                return Future.failedFuture(DomainException.notFound("share"));
            }
            String tokenHash = d.value().getString("tokenHash");
            Future<Void> index = tokenHash != null && HASH.matcher(tokenHash).matches()
                ? docs.delete(TOKENS + tokenHash + ".json") : Future.succeededFuture();
            return index.compose(v -> docs.delete(SHARES + id + ".json"))
                .onSuccess(v -> Audit.share("deleted", by.username(), id, null));
        });
    }

    @Override
    public Future<Share> resolve(String token) {
        if (token == null || token.isEmpty() || token.length() > 256) {
            return Future.failedFuture(DomainException.notFound("share"));
        }
        String tokenHash = Tokens.hash(token);
        return docs.get(TOKENS + tokenHash + ".json").compose(idx -> {
            String id = idx == null ? null : idx.value().getString("id");
            if (id == null || !ID.matcher(id).matches()) {
                return Future.failedFuture(DomainException.notFound("share"));
            }
            return docs.get(SHARES + id + ".json");
        }).compose(d -> {
            if (d == null || !tokenHash.equals(d.value().getString("tokenHash"))) {
                return Future.failedFuture(DomainException.notFound("share"));
            }
            Share s = fromJson(d.value());
            return s.expiresAt().isAfter(clock.instant()) ? Future.succeededFuture(s)
                : Future.failedFuture(DomainException.notFound("share"));
        });
    }

    private static JsonObject toJson(Share s) {
        return new JsonObject().put("v", 1).put("id", s.id()).put("owner", s.owner()).put("songId", s.songId())
            .put("albumId", s.albumId()).put("created", s.created().toString()).put("expiresAt", s.expiresAt().toString());
    }

    private static Share fromJson(JsonObject j) {
        return new Share(j.getString("id"), j.getString("owner"), j.getString("songId"), j.getString("albumId"),
            Instant.parse(j.getString("created")), Instant.parse(j.getString("expiresAt")));
    }
}
