package dev.s3music.s3;

import dev.s3music.model.cost.S3Meters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * CloudFront signed URLs as the edge checks them: the canned policy (this resource URL, this expiry) verifies with the
 * public key of the pair under the key id, in CloudFront's URL-safe base64; an altered resource or expiry does not.
 */
class CloudFrontLinksTest {

    static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    static KeyPair pair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    static String pem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> m = new HashMap<>();
        for (String p : uri.getRawQuery().split("&")) {
            int eq = p.indexOf('=');
            m.put(p.substring(0, eq), p.substring(eq + 1));
        }
        return m;
    }

    static boolean verifies(KeyPair pair, String resource, long expires, String signature) throws Exception {
        String policy = "{\"Statement\":[{\"Resource\":\"" + resource + "\",\"Condition\":{\"DateLessThan\":"
            + "{\"AWS:EpochTime\":" + expires + "}}}]}";
        Signature v = Signature.getInstance("SHA1withRSA");
        v.initVerify(pair.getPublic());
        v.update(policy.getBytes(StandardCharsets.UTF_8));
        byte[] sig = Base64.getDecoder().decode(signature.replace('-', '+').replace('_', '=').replace('~', '/'));
        return v.verify(sig);
    }

    @Test
    void aLinkIsACannedPolicyOnTheOneKeyThatTheKeyPairVerifies() throws Exception {
        KeyPair pair = pair();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CloudFrontLinks links = new CloudFrontLinks("d111111abcdef8.cloudfront.net", "K2JCJMDEHXQW5F",
            CloudFrontLinks.privateKey(pem(pair)), Duration.ofMinutes(5), new S3Metrics(registry),
            Clock.fixed(NOW, ZoneOffset.UTC));
        URI link = links.signedGet("Björk/Homogenic/02 Jóga + more.flac", "audio/flac", 1234).result();

        String resource = "https://d111111abcdef8.cloudfront.net/Bj%C3%B6rk/Homogenic/02%20J%C3%B3ga%20%2B%20more.flac";
        assertThat(link.toString()).startsWith(resource + "?");
        Map<String, String> q = query(link);
        assertThat(q.get("Key-Pair-Id")).isEqualTo("K2JCJMDEHXQW5F");
        long expires = Long.parseLong(q.get("Expires"));
        assertThat(expires).isEqualTo(NOW.plus(Duration.ofMinutes(5)).getEpochSecond());
        assertThat(verifies(pair, resource, expires, q.get("Signature"))).isTrue();
        // what the edge would refuse: another key, a later expiry, another key pair
        assertThat(verifies(pair, resource.replace("02%20", "03%20"), expires, q.get("Signature"))).isFalse();
        assertThat(verifies(pair, resource, expires + 3600, q.get("Signature"))).isFalse();
        assertThat(verifies(pair(), resource, expires, q.get("Signature"))).isFalse();

        assertThat(registry.get(S3Meters.LINKS).tag(S3Meters.TARGET, S3Meters.TARGET_CLOUDFRONT).counter().count())
            .isEqualTo(1);
        assertThat(registry.get(S3Meters.LINK_BYTES).tag(S3Meters.TARGET, S3Meters.TARGET_CLOUDFRONT).counter().count())
            .isEqualTo(1234);
        assertThat(registry.get(S3Meters.LINKS).tag(S3Meters.TARGET, S3Meters.TARGET_S3).counter().count()).isZero();
    }

    @Test
    void badSettingsAreRefusedWithoutShowingTheKey() throws Exception {
        String pem = pem(pair());
        assertThatThrownBy(() -> CloudFrontLinks.create("https://d1.cloudfront.net", "K2JCJMDEHXQW5F", pem,
            Duration.ofMinutes(5), null)).hasMessageContaining("host name");
        assertThatThrownBy(() -> CloudFrontLinks.create("d1.cloudfront.net", "k-1", pem, Duration.ofMinutes(5), null))
            .hasMessageContaining("key id");
        assertThatThrownBy(() -> CloudFrontLinks.create("d1.cloudfront.net", "K2JCJMDEHXQW5F",
            "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----", Duration.ofMinutes(5), null))
            .hasMessageContaining("PKCS#1");
        assertThatThrownBy(() -> CloudFrontLinks.create("d1.cloudfront.net", "K2JCJMDEHXQW5F",
            "-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----", Duration.ofMinutes(5), null))
            .hasMessageContaining("not a PEM").hasMessageNotContaining("not-a-key");
        assertThat(CloudFrontLinks.create("D1.CloudFront.net", "K2JCJMDEHXQW5F", pem, Duration.ofMinutes(5), null)
            .domain()).isEqualTo("d1.cloudfront.net");
    }
}
