package dev.s3music.accounts;

import dev.s3music.model.Addresses;
import dev.s3music.model.DomainException;
import dev.s3music.model.auth.Principal;
import dev.s3music.model.auth.SubsonicCredentials;
import dev.s3music.model.event.SessionsRevoked;
import dev.s3music.model.port.DocumentStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link SubsonicCredentials} over the accounts of a {@link StoredAccountService} and documents beside them:
 *
 * <pre>
 *  subsonic/&lt;account key&gt;.json      {"v":1,"username","iv","ct","created"}   the app password, AES-256-GCM
 *                                    (key = HMAC-SHA256(secret, "s3music subsonic app password v1"), the
 *                                    folded username as associated data: a document moved to another user fails)
 *  subsonic-keys/&lt;sha256(key)&gt;.json  {"username","created"}                   one per API key (256 random bits,
 *                                    so a plain SHA-256 is enough: nothing to brute-force)
 *  subsonic/secret.json              {"secret"}   only without AUTH_SECRET ({@link #storedSecret})
 * </pre>
 *
 * <p>Every mode is throttled with the keys of {@code POST /api/auth/login} ({@code user:}, {@code addr:}). Clients
 * send credentials with every request, so successes are trusted for {@link #DEFAULT_CACHE_FOR} in this process: a
 * verified account password (its SHA-256 with the user, never the password), the user's decrypted app password and
 * role, a verified API key. A wrong password never reaches a cache. A revocation event naming the user (disable,
 * delete, role or password change by an admin) drops the user's entries at once; otherwise a change reaches this
 * cache within that time.
 */
public final class StoredSubsonicCredentials implements SubsonicCredentials, AutoCloseable {

    /** Long enough that a client's burst (browse, then play) costs one check; short enough for changes to reach it. */
    public static final Duration DEFAULT_CACHE_FOR = Duration.ofSeconds(60);
    static final String APP_PREFIX = "subsonic/";
    static final String KEY_PREFIX = "subsonic-keys/";
    static final String SECRET_DOC = "subsonic/secret.json";
    private static final String INVALID = "invalid_credentials";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StoredAccountService accounts;
    private final DocumentStore docs;
    private final SecretKeySpec key;
    private final Clock clock;
    private final long cacheNanos;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final Map<String, Verified> keys = new ConcurrentHashMap<>();
    private final MessageConsumer<SessionsRevoked> revocations;

    /** A check that succeeded: the digest it was for and whom it signed in, until when (nanoTime). */
    private record Verified(String digest, Principal principal, long until) {
    }

    /** A user's role and app password (null: none), as read, until when. */
    private record Known(Principal principal, String appPassword, long until) {
    }

    /**
     * @param secret the server's secret ({@code AUTH_SECRET}, or {@link #storedSecret}); at least 32 characters
     */
    public StoredSubsonicCredentials(Vertx vertx, StoredAccountService accounts, DocumentStore docs, String secret,
                                     Duration cacheFor, Clock clock) {
        if (secret == null || secret.length() < 32) {
            throw new IllegalArgumentException("the secret must be at least 32 characters");
        }
        this.accounts = accounts;
        this.docs = docs;
        this.clock = clock;
        this.cacheNanos = cacheFor.toNanos();
        this.key = new SecretKeySpec(hmac(secret.getBytes(StandardCharsets.UTF_8),
            "s3music subsonic app password v1"), "AES");
        this.revocations = vertx.eventBus().consumer(Addresses.SESSIONS_REVOKED, m -> {
            if (m.body().username() != null) {
                forget(m.body().username());
            }
        });
    }

    public StoredSubsonicCredentials(Vertx vertx, StoredAccountService accounts, DocumentStore docs, String secret) {
        this(vertx, accounts, docs, secret, DEFAULT_CACHE_FOR, Clock.systemUTC());
    }

    /**
     * The secret of a server started without {@code AUTH_SECRET} (the embedded default): 256 random bits created
     * once in the documents (a conditional create, so every instance ends with the same) and read back after. It sits
     * beside the ciphertexts it protects, so it only keeps app passwords out of casual reads of the bucket: set
     * {@code AUTH_SECRET} where the bucket is shared.
     */
    public static Future<String> storedSecret(DocumentStore docs) {
        return docs.get(SECRET_DOC).compose(found -> {
            if (found != null && found.value().getString("secret", "").length() >= 32) {
                return Future.succeededFuture(found.value().getString("secret"));
            }
            String fresh = Tokens.random(32);
            return docs.create(SECRET_DOC, new JsonObject().put("secret", fresh)).map(fresh)
                .recover(e -> DomainException.is(e, DomainException.Kind.CONFLICT)
                    ? docs.get(SECRET_DOC).map(v -> v.value().getString("secret")) : Future.failedFuture(e));
        });
    }

    /** Completes once this instance hears revocations. */
    public Future<Void> ready() {
        return revocations.completion();
    }

    // ------------------------------------------------------------------------------------------ sign-in

    @Override
    public Future<Principal> password(String username, String password, String client) {
        if (username == null || password == null) {
            return Future.failedFuture(DomainException.unauthenticated(INVALID));
        }
        String folded = fold(username);
        String digest = digest(folded + "\0" + password);
        Verified v = verified.get(folded);
        if (v != null && v.until() - System.nanoTime() > 0 && MessageDigest.isEqual(
            v.digest().getBytes(StandardCharsets.US_ASCII), digest.getBytes(StandardCharsets.US_ASCII))) {
            return Future.succeededFuture(v.principal());
        }
        String userKey = StoredAccountService.userKey(username);
        String addrKey = "addr:" + client;
        return accounts.throttled(userKey, addrKey, username, client)
            .compose(x -> knownUser(username).recover(e -> DomainException.is(e, DomainException.Kind.UNAUTHENTICATED)
                ? Future.succeededFuture(null) : Future.failedFuture(e)))
            .compose(k -> {
                if (k != null && k.appPassword() != null && Tokens.same(k.appPassword(), password)) {
                    return Future.succeededFuture(k.principal());
                }
                // the account password: Argon2 on the bounded pool (an unknown user costs the same)
                return accounts.verify(username, password, client, "subsonic_password")
                    .map(a -> new Principal(a.username(), a.role(), null));
            })
            .onSuccess(p -> verified.put(folded, new Verified(digest, p, System.nanoTime() + cacheNanos)));
    }

    @Override
    public Future<Principal> token(String username, String token, String salt, String client) {
        if (username == null || token == null || salt == null) {
            return Future.failedFuture(DomainException.unauthenticated(INVALID));
        }
        String userKey = StoredAccountService.userKey(username);
        String addrKey = "addr:" + client;
        return accounts.throttled(userKey, addrKey, username, client)
            .compose(x -> knownUser(username))
            .recover(e -> DomainException.is(e, DomainException.Kind.UNAUTHENTICATED)
                ? accounts.failed(userKey, addrKey, username, client, "unknown_user") : Future.failedFuture(e))
            .compose(k -> {
                if (k.appPassword() == null) {
                    return Future.failedFuture(new DomainException(DomainException.Kind.PRECONDITION_FAILED,
                        "token sign-in needs a Subsonic app password: create one with POST /api/me/subsonic-password"));
                }
                String expected = md5Hex(k.appPassword() + salt);
                if (!Tokens.same(expected, token.toLowerCase(Locale.ROOT))) {
                    return accounts.failed(userKey, addrKey, k.principal().username(), client, "wrong_token");
                }
                return Future.succeededFuture(k.principal());
            });
    }

    @Override
    public Future<Principal> apiKey(String apiKey, String client) {
        if (apiKey == null || apiKey.isEmpty() || apiKey.length() > 256) {
            return Future.failedFuture(DomainException.unauthenticated(INVALID));
        }
        String hash = Tokens.hash(apiKey);
        Verified v = keys.get(hash);
        if (v != null && v.until() - System.nanoTime() > 0) {
            return Future.succeededFuture(v.principal());
        }
        String addrKey = "addr:" + client;
        return accounts.throttled(null, addrKey, "(api key)", client)
            .compose(x -> docs.get(KEY_PREFIX + hash + ".json"))
            .compose(doc -> doc == null
                ? accounts.<Principal>failed(null, addrKey, "(api key)", client, "unknown_api_key")
                : accounts.active(doc.value().getString("username"))
                    .map(a -> new Principal(a.username(), a.role(), null))
                    .recover(e -> DomainException.is(e, DomainException.Kind.UNAUTHENTICATED)
                        ? accounts.failed(null, addrKey, doc.value().getString("username"), client, "disabled")
                        : Future.failedFuture(e)))
            .onSuccess(p -> keys.put(hash, new Verified(hash, p, System.nanoTime() + cacheNanos)));
    }

    /** The user's principal and app password, from the cache or read (UNAUTHENTICATED for no enabled account). */
    private Future<Known> knownUser(String username) {
        String folded = fold(username);
        Known k = known.get(folded);
        if (k != null && k.until() - System.nanoTime() > 0) {
            return Future.succeededFuture(k);
        }
        return accounts.active(username).compose(a -> docs.get(appDoc(a.username())).map(doc -> {
            String app = doc == null ? null : decrypt(doc.value(), AccountRules.fold(a.username()));
            Known fresh = new Known(new Principal(a.username(), a.role(), null), app, System.nanoTime() + cacheNanos);
            known.put(folded, fresh);
            return fresh;
        }));
    }

    // ------------------------------------------------------------------------------------------ issuing

    @Override
    public Future<String> newAppPassword(Principal who) {
        // 18 random bytes: 24 URL-safe characters, typed once into an app
        String password = Tokens.random(18);
        String path = appDoc(who.username());
        String folded = AccountRules.fold(who.username());
        JsonObject doc = encrypt(password, folded)
            .put("v", 1).put("username", who.username()).put("created", clock.instant().toString());
        return docs.get(path).compose(old -> old == null ? docs.create(path, doc) : docs.replace(path, doc, old.version()))
            .map(v -> {
                forget(who.username());
                Audit.credential(who.username(), "subsonic_password");
                return password;
            });
    }

    @Override
    public Future<String> newApiKey(Principal who) {
        String apiKey = Tokens.newToken();
        return docs.create(KEY_PREFIX + Tokens.hash(apiKey) + ".json",
                new JsonObject().put("username", who.username()).put("created", clock.instant().toString()))
            .map(v -> {
                Audit.credential(who.username(), "api_key");
                return apiKey;
            });
    }

    private void forget(String username) {
        String folded = fold(username);
        verified.remove(folded);
        known.remove(folded);
        keys.values().removeIf(v -> fold(v.principal().username()).equals(folded));
    }

    // ------------------------------------------------------------------------------------------ crypto

    private static String appDoc(String username) {
        return APP_PREFIX + AccountRules.key(username) + ".json";
    }

    private JsonObject encrypt(String plain, String aad) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getEncoder();
            return new JsonObject().put("iv", b64.encodeToString(iv)).put("ct", b64.encodeToString(ct));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The app password, or null when the document cannot be decrypted (another secret, or moved): none. */
    private String decrypt(JsonObject doc, String aad) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, Base64.getDecoder().decode(doc.getString("iv"))));
            c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(Base64.getDecoder().decode(doc.getString("ct"))), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] hmac(byte[] secret, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String md5Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String digest(String s) {
        return Tokens.hash(s);
    }

    private static String fold(String username) {
        try {
            return AccountRules.fold(AccountRules.username(username));
        } catch (DomainException e) {
            return "invalid:" + Tokens.hash(String.valueOf(username));
        }
    }

    @Override
    public void close() {
        revocations.unregister();
    }
}
