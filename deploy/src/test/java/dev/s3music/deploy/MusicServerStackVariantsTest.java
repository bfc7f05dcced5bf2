package dev.s3music.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The stack as an operator with a domain, an ECR image and the library already in a bucket would deploy it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MusicServerStackVariantsTest {

    private static final String ECR_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/s3music:1.2.3";
    private static final String CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/0b1c";

    private MusicServerStack stack;
    private Template template;
    private StackTemplate json;

    @BeforeAll
    void synthesize() {
        long start = System.nanoTime();
        DeploySettings settings = DeploySettings.from(Map.<String, Object>of(
            "image", ECR_IMAGE,
            "domainName", "music.example.org",
            "certificateArn", CERTIFICATE,
            "existingBucketName", "my-music",
            "apiMax", 3,
            "adminUser", "teacher",
            "logRetentionDays", 90)::get);
        stack = new MusicServerStack(CdkJson.app(), "S3MusicProd", StackProps.builder().build(), settings);
        template = Template.fromStack(stack);
        json = new StackTemplate(stack, template);
        System.out.printf("synthesized the variant stack in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void anExistingBucketsCorsIsLeftAloneWithAWarningSayingWhatUploadsNeed() {
        template.resourceCountIs("AWS::S3::Bucket", 0);
        Annotations.fromStack(stack).hasWarning("*", Match.stringLikeRegexp(".*ExposeHeaders ETag.*"));
    }

    @Test
    void servesHttpsWithTheCertificateAndRedirectsHttp() {
        template.resourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 2);
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.objectLike(Map.of(
            "Port", 443, "Protocol", "HTTPS", "Certificates", List.of(Map.of("CertificateArn", CERTIFICATE)))));
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.objectLike(Map.of(
            "Port", 80, "Protocol", "HTTP",
            "DefaultActions", List.of(Match.objectLike(Map.of("Type", "redirect",
                "RedirectConfig", Match.objectLike(Map.of("Protocol", "HTTPS", "Port", "443"))))))));
        template.hasOutput("Url", Map.of("Value", "https://music.example.org"));
        Annotations.fromStack(stack).hasNoWarning("*", Match.stringLikeRegexp(".*plain HTTP.*"));
    }

    @Test
    void httpsForwardsToTheApiAndTheRedirectIsPermanent() {
        String apiTargets = json.resources("AWS::ElasticLoadBalancingV2::TargetGroup").keySet().iterator().next();
        template.resourceCountIs("AWS::ElasticLoadBalancingV2::TargetGroup", 1);
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.objectLike(Map.of(
            "Port", 443, "Protocol", "HTTPS",
            "DefaultActions", List.of(Match.objectLike(Map.of(
                "Type", "forward", "TargetGroupArn", Map.of("Ref", apiTargets)))))));
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.objectLike(Map.of(
            "Port", 80,
            "DefaultActions", List.of(Map.of("Type", "redirect", "RedirectConfig", Match.objectLike(Map.of(
                "Protocol", "HTTPS", "Port", "443", "StatusCode", "HTTP_301")))))));
        // the internet reaches the load balancer on 443, and on 80 for the redirect only
        String albGroup = json.logicalId(stack.loadBalancer().getConnections().getSecurityGroups().get(0));
        List<Map<String, Object>> open = json.ingressRules().stream()
            .filter(r -> r.get("GroupId").toString().contains(albGroup))
            .toList();
        assertThat(open).extracting(r -> r.get("FromPort")).containsExactlyInAnyOrder(443, 80);
        assertThat(open).allSatisfy(r -> assertThat(r.get("CidrIp")).isEqualTo("0.0.0.0/0"));
    }

    @Test
    void nothingRoutesToTheManagementPortWithHttpsEither() {
        MusicServerStackTest.assertManagementPortUnreachableFromTheLoadBalancer(stack, json);
    }

    @Test
    void aChosenAdminNameReachesTheApi() {
        assertThat(StackTemplate.env(json.container(ServerContract.ROLE_API)))
            .containsEntry(ServerContract.ENV_ADMIN_USER, "teacher");
    }

    @Test
    void usesTheExistingBucketAndOnlyAddsItsNotifications() {
        template.resourceCountIs("AWS::S3::Bucket", 0);
        template.hasResourceProperties("Custom::S3BucketNotifications", Match.objectLike(Map.of(
            "BucketName", "my-music",
            // the custom resource keeps notifications someone else configured on that bucket
            "Managed", false)));
        assertThat(StackTemplate.env(json.container(ServerContract.ROLE_API)))
            .containsEntry(ServerContract.ENV_S3_BUCKET, "my-music");
        assertThat(json.actionsOf(stack.api().getTaskDefinition().getTaskRole())).contains("s3:GetObject", "s3:ListBucket");
    }

    @Test
    void pullsAnEcrImageWithTheExecutionRole() {
        for (var service : List.of(stack.api(), stack.indexer(), stack.worker())) {
            assertThat(json.actionsOf(service.getTaskDefinition().getExecutionRole()))
                .contains("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:GetAuthorizationToken");
        }
        assertThat(json.containers()).extracting(c -> c.get("Image").toString()).allMatch(i -> i.contains("/s3music:1.2.3"));
    }

    @Test
    void appliesTheOperatorsSizes() {
        template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Map.of("MinCapacity", 2, "MaxCapacity", 3));
        template.allResourcesProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 90));
    }
}
