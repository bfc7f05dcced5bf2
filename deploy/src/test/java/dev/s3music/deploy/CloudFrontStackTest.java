package dev.s3music.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static dev.s3music.deploy.ServerContract.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stack with CloudFront in front of the bucket (issue 14): the bucket stays private (BlockPublicAccess on, no
 * bucket policy statement for everyone; CloudFront reads it through Origin Access Control, as its service principal
 * for this one distribution), the distribution serves only URLs signed by its key group, and only the API tasks get
 * the private key (from Secrets Manager), the domain and the key id, with the redirect mode on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudFrontStackTest {

    static final String PUBLIC_KEY = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtest\n-----END PUBLIC KEY-----";

    private MusicServerStack stack;
    private Template template;
    private StackTemplate json;

    @BeforeAll
    void synthesize() {
        DeploySettings settings = DeploySettings.from(Map.<String, Object>of(
            "image", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/s3music:1.2.3",
            "cloudFrontPublicKey", PUBLIC_KEY,
            "cloudFrontPrivateKeySecret", "s3music/stream-url-private-key")::get);
        stack = new MusicServerStack(CdkJson.app(), "S3MusicEdge", StackProps.builder().build(), settings);
        template = Template.fromStack(stack);
        json = new StackTemplate(stack, template);
    }

    @Test
    void theBucketStaysPrivate() {
        template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
            "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                "IgnorePublicAcls", true, "RestrictPublicBuckets", true))));
        List<Map<String, Object>> statements = json.allStatements();
        assertThat(statements).isNotEmpty();
        for (Map<String, Object> s : statements) {
            if (!"Allow".equals(s.get("Effect"))) {
                continue;
            }
            Object principal = s.get("Principal");
            assertThat(String.valueOf(principal)).as("no Allow for everyone: %s", s)
                .isNotEqualTo("*").doesNotContain("AWS=*");
            if (String.valueOf(principal).contains("cloudfront.amazonaws.com")) {
                // Origin Access Control: only this distribution, reading objects
                assertThat(String.valueOf(s.get("Condition"))).contains("AWS:SourceArn");
                assertThat(String.valueOf(s.get("Action"))).isEqualTo("s3:GetObject");
            }
        }
        template.resourceCountIs("AWS::CloudFront::OriginAccessControl", 1);
        template.resourceCountIs("AWS::CloudFront::CloudFrontOriginAccessIdentity", 0);
    }

    @Test
    void theDistributionServesOnlySignedUrlsOverHttps() {
        template.resourceCountIs("AWS::CloudFront::Distribution", 1);
        template.hasResourceProperties("AWS::CloudFront::Distribution", Match.objectLike(Map.of(
            "DistributionConfig", Match.objectLike(Map.of("DefaultCacheBehavior", Match.objectLike(Map.of(
                "TrustedKeyGroups", Match.anyValue(),
                "ViewerProtocolPolicy", "https-only",
                "AllowedMethods", List.of("GET", "HEAD"))))))));
        template.hasResourceProperties("AWS::CloudFront::PublicKey", Match.objectLike(Map.of(
            "PublicKeyConfig", Match.objectLike(Map.of("EncodedKey", PUBLIC_KEY)))));
        template.resourceCountIs("AWS::CloudFront::KeyGroup", 1);
    }

    @Test
    void onlyTheApiGetsTheSigningKeyAndRedirects() {
        Map<String, Object> apiEnv = StackTemplate.env(json.container(ROLE_API));
        assertThat(apiEnv).containsEntry(ENV_STREAM_MODE, "redirect").containsKeys(ENV_CLOUDFRONT_DOMAIN,
            ENV_CLOUDFRONT_KEY_ID);
        assertThat(StackTemplate.secrets(json.container(ROLE_API))).containsKey(ENV_CLOUDFRONT_PRIVATE_KEY);
        for (String role : List.of(ROLE_INDEXER, ROLE_WORKER)) {
            assertThat(StackTemplate.env(json.container(role))).doesNotContainKeys(ENV_CLOUDFRONT_DOMAIN, ENV_STREAM_MODE);
            assertThat(StackTemplate.secrets(json.container(role))).doesNotContainKey(ENV_CLOUDFRONT_PRIVATE_KEY);
        }
        assertThat(stack.streams()).isNotNull();
    }

    @Test
    void withoutTheKeyPairThereIsNoDistributionAndTheServerProxies() {
        MusicServerStack plain = new MusicServerStack(CdkJson.app(), "S3MusicPlain", StackProps.builder().build(),
            DeploySettings.defaults("123456789012.dkr.ecr.eu-west-1.amazonaws.com/s3music:1.2.3"));
        Template t = Template.fromStack(plain);
        t.resourceCountIs("AWS::CloudFront::Distribution", 0);
        assertThat(StackTemplate.env(new StackTemplate(plain, t).container(ROLE_API))).doesNotContainKey(ENV_STREAM_MODE);
        assertThat(plain.streams()).isNull();
    }

    @Test
    void theKeyPairSettingsGoTogether() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DeploySettings.from(Map.<String, Object>of(
                "image", "i:1", "cloudFrontPublicKey", PUBLIC_KEY)::get))
            .hasMessageContaining("cloudFrontPrivateKeySecret");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DeploySettings.from(Map.<String, Object>of(
                "image", "i:1", "cloudFrontPublicKey", "not a key", "cloudFrontPrivateKeySecret", "s")::get))
            .hasMessageContaining("PEM public key");
    }
}
