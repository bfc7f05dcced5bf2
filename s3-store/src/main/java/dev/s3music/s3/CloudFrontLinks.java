package dev.s3music.s3;

import dev.s3music.model.DomainException;
import dev.s3music.model.port.SignedLinks;
import io.vertx.core.Future;
import software.amazon.awssdk.services.cloudfront.CloudFrontUtilities;
import software.amazon.awssdk.services.cloudfront.model.CannedSignerRequest;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

import java.net.URI;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The redirect mode's links through CloudFront: a signed URL (canned policy: one resource URL, an expiry) of
 * {@code https://<domain>/<key>}, signed on this server with the SDK's {@link CloudFrontUtilities} and the private
 * key of a CloudFront key pair whose public key is in the distribution's trusted key group. The distribution reads
 * the bucket through Origin Access Control, so the bucket stays private; a hot recording then comes from the edge,
 * with fewer S3 GETs and Standard-IA retrievals. Signing is local: no call to AWS. Each link is counted
 * ({@link dev.s3music.model.cost.S3Meters#LINKS}, target {@code cloudfront}).
 */
public final class CloudFrontLinks implements SignedLinks {

    private static final Pattern DOMAIN = Pattern.compile("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$");
    private static final Pattern KEY_ID = Pattern.compile("^[A-Z0-9]{8,64}$");

    private final CloudFrontUtilities utilities = CloudFrontUtilities.create();
    private final String domain;
    private final String keyId;
    private final PrivateKey privateKey;
    private final Duration validity;
    private final S3Metrics metrics;
    private final Clock clock;

    CloudFrontLinks(String domain, String keyId, PrivateKey privateKey, Duration validity, S3Metrics metrics, Clock clock) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.validity = Objects.requireNonNull(validity, "validity");
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Links to {@code https://<domain>/<key>} valid for {@code validity}, counted in {@code store}'s meters.
     *
     * @param domain        the distribution's domain ({@code d111111abcdef8.cloudfront.net} or an alias), no scheme
     * @param keyId         the CloudFront public key's id (in the distribution's trusted key group)
     * @param privateKeyPem its private key, PEM (PKCS#8, {@code -----BEGIN PRIVATE KEY-----})
     * @throws IllegalArgumentException naming what is wrong (never the key itself)
     */
    public static CloudFrontLinks create(String domain, String keyId, String privateKeyPem, Duration validity,
                                         S3ObjectStore store) {
        String d = Objects.requireNonNull(domain, "domain").strip().toLowerCase(Locale.ROOT);
        if (!DOMAIN.matcher(d).matches()) {
            throw new IllegalArgumentException("'" + domain + "' is not a host name (e.g. d111111abcdef8.cloudfront.net, "
                + "without https://)");
        }
        String id = Objects.requireNonNull(keyId, "keyId").strip();
        if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("'" + keyId + "' is not a CloudFront public key id (e.g. K2JCJMDEHXQW5F)");
        }
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("link validity must be positive: " + validity);
        }
        return new CloudFrontLinks(d, id, privateKey(privateKeyPem), validity, store == null ? new S3Metrics(null)
            : store.metrics(), Clock.systemUTC());
    }

    /** A PKCS#8 RSA private key from PEM text. */
    static PrivateKey privateKey(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("the private key is empty");
        }
        if (pem.contains("BEGIN RSA PRIVATE KEY")) {
            throw new IllegalArgumentException("the private key is PKCS#1 (BEGIN RSA PRIVATE KEY): convert it with "
                + "openssl pkcs8 -topk8 -nocrypt -in private_key.pem");
        }
        String body = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
            .replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (Exception e) {
            throw new IllegalArgumentException("the private key is not a PEM PKCS#8 RSA key (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** {@code contentType} is not applied: the edge serves the object's own type (see the stack's cache policy). */
    @Override
    public Future<URI> signedGet(String key, String contentType, long bytes) {
        try {
            String resource = "https://" + domain + "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key);
            String url = utilities.getSignedUrlWithCannedPolicy(CannedSignerRequest.builder()
                .resourceUrl(resource).keyPairId(keyId).privateKey(privateKey)
                .expirationDate(clock.instant().plus(validity)).build()).url();
            metrics.linked(true, bytes);
            return Future.succeededFuture(URI.create(url));
        } catch (RuntimeException e) {
            return Future.failedFuture(DomainException.invalid("cannot sign a CloudFront link to " + key + ": "
                + e.getMessage()));
        }
    }

    public String domain() {
        return domain;
    }
}
