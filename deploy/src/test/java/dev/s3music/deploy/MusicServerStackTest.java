package dev.s3music.deploy;

import static dev.s3music.deploy.ServerContract.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * Synthesizes the stack once (the jsii/Node start and the synth take most of this class's time) and checks its
 * resources and permissions on the CloudFormation template.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MusicServerStackTest {

    private static final String IMAGE = "ghcr.io/example/s3music:1.0.0";

    private MusicServerStack stack;
    private Template template;
    private StackTemplate json;

    @BeforeAll
    void synthesize() {
        long start = System.nanoTime();
        stack = new MusicServerStack(CdkJson.app(), "S3Music", StackProps.builder().build(), DeploySettings.defaults(IMAGE));
        template = Template.fromStack(stack);
        json = new StackTemplate(stack, template);
        System.out.printf("synthesized the stack in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void runsThreeFargateServicesOfOneImageInOneCluster() {
        template.resourceCountIs("AWS::EC2::VPC", 1);
        template.resourceCountIs("AWS::ECS::Cluster", 1);
        template.resourceCountIs("AWS::ECS::Service", 3);
        template.resourceCountIs("AWS::ECS::TaskDefinition", 3);
        template.allResourcesProperties("AWS::ECS::Service", Map.of("LaunchType", "FARGATE"));

        List<Map<String, Object>> containers = json.containers();
        assertThat(containers).hasSize(3);
        assertThat(containers).extracting(c -> c.get("Image")).containsOnly(IMAGE);
        assertThat(containers).extracting(c -> StackTemplate.env(c).get(ENV_ROLE))
            .containsExactlyInAnyOrder(ROLE_API, ROLE_INDEXER, ROLE_WORKER);
    }

    @Test
    void everyRoleGetsRedisTheBucketAndEcsDiscovery() {
        for (Map<String, Object> container : json.containers()) {
            Map<String, Object> env = StackTemplate.env(container);
            assertThat(env).containsKeys(ENV_S3_BUCKET, ENV_REDIS_URL, ENV_AWS_REGION, ENV_EVENTBUS_PORT, ENV_HZ_AWS_CLUSTER)
                .containsEntry(ENV_USE_REDIS, "true")
                .containsEntry(ENV_CLUSTERED, "true")
                .containsEntry(ENV_HZ_AWS_ENABLED, "true")
                .containsEntry(ENV_HZ_TCPIP_ENABLED, "false")
                .containsEntry(ENV_HZ_MULTICAST_ENABLED, "false")
                .containsEntry(ENV_HTTP_PORT, "8080")
                .containsEntry(ENV_LOG_FORMAT, LOG_FORMAT_JSON)
                .containsEntry(ENV_EVENTBUS_PORT, Integer.toString(EVENTBUS_PORT));
            assertThat(container.get("HealthCheck").toString()).contains(LIVE_PATH);
            assertThat(container.get("StopTimeout")).isEqualTo(30 + DeploySettings.LEAVE_MARGIN_SECONDS);
        }
        assertThat(StackTemplate.env(json.container(ROLE_INDEXER))).containsKeys(ENV_SQS_QUEUE_URL, ENV_SQS_DLQ_URL);
        assertThat(StackTemplate.env(json.container(ROLE_API))).doesNotContainKeys(ENV_SQS_QUEUE_URL, ENV_SQS_DLQ_URL);
        assertThat(StackTemplate.env(json.container(ROLE_WORKER))).containsEntry(ENV_DISCOGS_RATE, "60")
            .doesNotContainKey(ENV_SQS_QUEUE_URL);
    }

    @Test
    void eventsQueueHandsPoisonToDeadLetterQueueAfterFiveReceives() {
        template.resourceCountIs("AWS::SQS::Queue", 2);
        template.hasResourceProperties("AWS::SQS::Queue", Map.of(
            "RedrivePolicy", Map.of(
                "maxReceiveCount", MusicServerStack.MAX_RECEIVE_COUNT,
                "deadLetterTargetArn", Map.of("Fn::GetAtt", List.of(json.logicalId(stack.deadLetterQueue()), "Arn"))),
            "VisibilityTimeout", 120,
            "ReceiveMessageWaitTimeSeconds", 20));
    }

    @Test
    void bucketNotifiesQueueOfCreatedAndRemovedObjects() {
        String queueArn = json.logicalId(stack.queue());
        template.resourceCountIs("Custom::S3BucketNotifications", 1);
        template.hasResourceProperties("Custom::S3BucketNotifications", Map.of(
            "NotificationConfiguration", Map.of("QueueConfigurations", List.of(
                Map.of("Events", List.of("s3:ObjectCreated:*"), "QueueArn", Map.of("Fn::GetAtt", List.of(queueArn, "Arn"))),
                Map.of("Events", List.of("s3:ObjectRemoved:*"), "QueueArn", Map.of("Fn::GetAtt", List.of(queueArn, "Arn")))))));
        // S3 may send to the queue (its resource policy), scoped to this bucket
        template.hasResourceProperties("AWS::SQS::QueuePolicy", Match.objectLike(Map.of(
            "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                "Action", Match.arrayWith(List.of("sqs:SendMessage")),
                "Principal", Map.of("Service", "s3.amazonaws.com"))))))))));
    }

    @Test
    void bucketMovesMusicToInfrequentAccessEncryptsAndBlocksPublicAccess() {
        template.resourceCountIs("AWS::S3::Bucket", 1);
        template.hasResourceProperties("AWS::S3::Bucket", Map.of(
            "LifecycleConfiguration", Map.of("Rules", List.of(Match.objectLike(Map.of(
                "Status", "Enabled",
                "Transitions", List.of(Map.of("StorageClass", "STANDARD_IA", "TransitionInDays", 30)))))),
            "PublicAccessBlockConfiguration", Map.of(
                "BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
            "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256"))))));
        template.hasResource("AWS::S3::Bucket", Map.of("DeletionPolicy", "Retain"));
    }

    @Test
    void lifecycleMovesNoObjectUnderIasMinimumBillableSizeSoDocumentsStayInStandard() {
        // no prefix can exclude .s3music/: objects under 128 KB (the documents, a few KB each and written
        // STANDARD, and anything else IA would bill as 128 KB) must never transition
        Map<String, Object> lifecycle = StackTemplate.map(StackTemplate.properties(
            json.resources("AWS::S3::Bucket").values().iterator().next()).get("LifecycleConfiguration"));
        assertThat(lifecycle).containsEntry("TransitionDefaultMinimumObjectSize", "all_storage_classes_128K");
        List<Map<String, Object>> transitioning = StackTemplate.list(lifecycle.get("Rules")).stream()
            .map(StackTemplate::map).filter(r -> r.containsKey("Transitions")).toList();
        assertThat(transitioning).isNotEmpty();
        for (Map<String, Object> rule : transitioning) {
            // a rule's own size filter would override the bucket's minimum
            if (rule.containsKey("ObjectSizeGreaterThan")) {
                assertThat(Long.parseLong(String.valueOf(rule.get("ObjectSizeGreaterThan")))).isGreaterThanOrEqualTo(128 * 1024);
            }
            assertThat(rule).doesNotContainKeys("ObjectSizeLessThan");
        }
    }

    @Test
    void s3TrafficOfThePrivateSubnetsTakesTheGatewayEndpointNotTheNat() {
        // the route tables whose default route goes to a NAT gateway: the tasks' private subnets
        Set<Object> natRouteTables = json.resources("AWS::EC2::Route").values().stream()
            .map(StackTemplate::properties)
            .filter(p -> p.containsKey("NatGatewayId"))
            .map(p -> p.get("RouteTableId"))
            .collect(Collectors.toSet());
        assertThat(natRouteTables).isNotEmpty();
        template.resourceCountIs("AWS::EC2::VPCEndpoint", 1);
        Map<String, Object> endpoint = StackTemplate.properties(
            json.resources("AWS::EC2::VPCEndpoint").get(json.logicalId(stack.s3Endpoint())));
        assertThat(endpoint).containsEntry("VpcEndpointType", "Gateway");
        assertThat(String.valueOf(endpoint.get("ServiceName"))).contains(".s3");
        // each of them gets the endpoint's S3 prefix-list route, more specific than the NAT's 0.0.0.0/0
        assertThat(StackTemplate.list(endpoint.get("RouteTableIds"))).containsAll(natRouteTables);
    }

    @Test
    void clusterTasksAdmitEachOtherOnHazelcastAndEventBusPorts() {
        String sg = json.logicalId(stack.clusterSecurityGroup());
        Map<String, Object> self = Map.of("Fn::GetAtt", List.of(sg, "GroupId"));
        for (int port : new int[] {HAZELCAST_PORT, EVENTBUS_PORT}) {
            template.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Map.of(
                "IpProtocol", "tcp", "FromPort", port, "ToPort", port, "GroupId", self, "SourceSecurityGroupId", self));
        }
        // every service runs in that group, in private subnets, without public IPs
        template.allResourcesProperties("AWS::ECS::Service", Map.of("NetworkConfiguration", Map.of(
            "AwsvpcConfiguration", Match.objectLike(Map.of(
                "AssignPublicIp", "DISABLED",
                "SecurityGroups", List.of(self))))));
    }

    @Test
    void redisIsEncryptedAndReachableFromClusterTasksOnly() {
        template.resourceCountIs("AWS::ElastiCache::ReplicationGroup", 1);
        template.resourceCountIs("AWS::ElastiCache::SubnetGroup", 1);
        template.hasResourceProperties("AWS::ElastiCache::ReplicationGroup", Map.of(
            "TransitEncryptionEnabled", true,
            "AtRestEncryptionEnabled", true,
            "AutomaticFailoverEnabled", true,
            "NumCacheClusters", 2,
            "SecurityGroupIds", List.of(Map.of("Fn::GetAtt", List.of(json.logicalId(stack.redisSecurityGroup()), "GroupId")))));
        List<Map<String, Object>> redisIngress = json.resources("AWS::EC2::SecurityGroupIngress").values().stream()
            .map(StackTemplate::properties)
            .filter(p -> p.get("GroupId").toString().contains(json.logicalId(stack.redisSecurityGroup())))
            .toList();
        assertThat(redisIngress).singleElement().satisfies(p -> {
            assertThat(p).containsEntry("FromPort", 6379).containsEntry("ToPort", 6379);
            assertThat(p.get("SourceSecurityGroupId").toString()).contains(json.logicalId(stack.clusterSecurityGroup()));
        });
        assertThat(StackTemplate.env(json.container(ROLE_API)).get(ENV_REDIS_URL).toString()).contains("rediss://");
    }

    @Test
    void apiRoleReadsMusicWritesCoversUploadsAndItsDocumentsDeletesOnlyDocumentsAndCannotTouchSqs() {
        var role = stack.api().getTaskDefinition().getTaskRole();
        Set<String> actions = json.actionsOf(role);
        assertThat(actions).contains("s3:GetObject", "s3:ListBucket", "s3:PutObject", "s3:AbortMultipartUpload",
                "s3:ListMultipartUploadParts", "s3:DeleteObject")
            .noneMatch(a -> a.startsWith("sqs:"))
            .noneMatch(a -> a.startsWith("secretsmanager:"));
        List<Map<String, Object>> statements = json.statementsOf(role);
        for (Map<String, Object> st : statements) {
            if (StackTemplate.strings(st.get("Action")).contains("s3:DeleteObject")) {
                // deletes: only the server's own documents (user data, playlists, accounts), never the music
                String resources = st.get("Resource").toString();
                for (String prefix : documentPrefixes()) {
                    resources = resources.replace(prefix + "*", "");
                }
                assertThat(resources).as("statement %s", st).doesNotContain("*");
            }
        }
        Map<String, Object> userData = statements.stream().filter(st -> "UserDataDocuments".equals(st.get("Sid")))
            .findFirst().orElseThrow();
        assertThat(userData.get("Resource").toString()).contains("/" + USERS_PREFIX + "*")
            .contains("/" + PLAYLISTS_PREFIX + "*");
        Map<String, Object> accounts = statements.stream().filter(st -> "AccountDocuments".equals(st.get("Sid")))
            .findFirst().orElseThrow();
        for (String prefix : ACCOUNT_PREFIXES) {
            assertThat(accounts.get("Resource").toString()).contains("/" + prefix + "*");
        }
        Map<String, Object> covers = statements.stream().filter(st -> "CoverArtCache".equals(st.get("Sid"))).findFirst()
            .orElseThrow();
        assertThat(StackTemplate.strings(covers.get("Action"))).containsExactlyInAnyOrder("s3:GetObject", "s3:PutObject");
        assertThat(covers.get("Resource").toString()).contains("/" + ART_PREFIX + "*");
        Map<String, Object> uploads = statements.stream().filter(st -> "BrowserUploads".equals(st.get("Sid"))).findFirst()
            .orElseThrow();
        assertThat(StackTemplate.strings(uploads.get("Action")))
            .containsExactlyInAnyOrder("s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts");
    }

    @Test
    void bucketCorsLetsTheSitesPagesPutPartsAndReadTheirEtag() {
        // without a domain the site is the load balancer's DNS name over HTTP
        template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of("CorsConfiguration", Map.of(
            "CorsRules", List.of(Match.objectLike(Map.of(
                "Id", "player-uploads",
                "AllowedMethods", List.of("PUT", "GET", "HEAD"),
                "AllowedHeaders", List.of("*"),
                "ExposedHeaders", List.of("ETag"),
                "AllowedOrigins", List.of(Map.of("Fn::Join", List.of("", List.of("http://",
                    Map.of("Fn::GetAtt", List.of(json.logicalId(stack.loadBalancer()), "DNSName")))))))))))));

        for (var context : List.of(
                Map.<String, Object>of("image", IMAGE, "domainName", "music.example.org",
                    "certificateArn", "arn:aws:acm:eu-west-1:123456789012:certificate/0b1c"),
                Map.<String, Object>of("image", IMAGE, "siteOrigin", "https://player.example.org:8443"))) {
            MusicServerStack other = new MusicServerStack(CdkJson.app(), "S3MusicCors", StackProps.builder().build(),
                DeploySettings.from(context::get));
            String expected = context.containsKey("siteOrigin") ? "https://player.example.org:8443" : "https://music.example.org";
            Template.fromStack(other).hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "CorsConfiguration", Map.of("CorsRules", List.of(Match.objectLike(Map.of(
                    "AllowedOrigins", List.of(expected), "ExposedHeaders", List.of("ETag"))))))));
        }
    }

    @Test
    void indexerRoleReadsMusicConsumesTheEventsQueueAndRedrivesTheDeadLetterQueue() {
        var role = stack.indexer().getTaskDefinition().getTaskRole();
        assertThat(json.actionsOf(role)).contains("s3:GetObject", "s3:ListBucket")
            .doesNotContain("s3:PutObject", "s3:DeleteObject");
        // Every SQS action on every queue, exactly (statements may be merged by minimizePolicies, so they are
        // gathered per queue ARN). The admin's DLQ redrive (POST /api/admin/dlq/redrive: receive from the DLQ,
        // SendMessageBatch to the queue, DeleteMessageBatch on the DLQ) needs SendMessage on the queue and
        // ReceiveMessage + DeleteMessage on the DLQ; the indexer dead-letters poison messages itself
        // (SendMessage on the DLQ) and meters the DLQ's depth (GetQueueAttributes). Batch calls are authorized
        // as their single-message actions. Nothing more: no PurgeQueue, no ChangeMessageVisibility on the DLQ,
        // no other queue, no wildcard.
        String queue = json.logicalId(stack.queue());
        String dlq = json.logicalId(stack.deadLetterQueue());
        Map<String, Set<String>> sqsActionsByQueue = new TreeMap<>();
        for (Map<String, Object> s : json.statementsOf(role)) {
            List<String> actions = StackTemplate.strings(s.get("Action"));
            if (actions.stream().noneMatch(a -> a.startsWith("sqs:"))) {
                continue;
            }
            assertThat(actions).as("statement %s", s).allMatch(a -> a.startsWith("sqs:"));
            assertThat(s).as("statement %s", s).containsEntry("Effect", "Allow");
            List<?> resources = s.get("Resource") instanceof List<?> l ? l : List.of(s.get("Resource"));
            for (Object r : resources) {
                assertThat(r).as("statement %s", s).isIn(arnOf(queue), arnOf(dlq));
                String which = r.equals(arnOf(queue)) ? "queue" : "dlq";
                sqsActionsByQueue.computeIfAbsent(which, k -> new TreeSet<>()).addAll(actions);
            }
        }
        assertThat(sqsActionsByQueue).containsOnlyKeys("queue", "dlq");
        assertThat(sqsActionsByQueue.get("queue")).containsExactlyInAnyOrder(
            // consume (CDK's grantConsumeMessages)
            "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
            // the redrive puts dead-lettered messages back
            "sqs:SendMessage");
        assertThat(sqsActionsByQueue.get("dlq")).containsExactlyInAnyOrder(
            "sqs:SendMessage",                          // poison messages, dead-lettered by the indexer
            "sqs:ReceiveMessage", "sqs:DeleteMessage",  // the redrive takes them out
            "sqs:GetQueueAttributes");                  // the DLQ depth meter
    }

    private static Map<String, Object> arnOf(String logicalId) {
        return Map.of("Fn::GetAtt", List.of(logicalId, "Arn"));
    }

    @Test
    void workerRoleWritesOnlyUnderTheCachePrefix() {
        List<Map<String, Object>> statements = json.statementsOf(stack.worker().getTaskDefinition().getTaskRole());
        for (Map<String, Object> s : statements) {
            List<String> actions = StackTemplate.strings(s.get("Action"));
            if (actions.contains("s3:ListBucket")) {
                // listing is a bucket-level action: the prefix condition keeps it inside the cache
                assertThat(actions).containsExactly("s3:ListBucket");
                assertThat(s.get("Condition").toString()).contains("s3:prefix", CACHE_PREFIX);
            } else if (actions.stream().anyMatch(a -> a.startsWith("s3:"))) {
                // object actions: only keys under the cache prefix
                assertThat(s.get("Resource").toString()).as("statement %s", s).contains("/" + CACHE_PREFIX + "*");
                assertThat(s.get("Resource").toString().replace(CACHE_PREFIX + "*", "")).doesNotContain("*");
            }
        }
        assertThat(json.actionsOf(stack.worker().getTaskDefinition().getTaskRole()))
            .contains("s3:GetObject", "s3:PutObject")
            .noneMatch(a -> a.startsWith("sqs:"));
    }

    @Test
    void noPolicyAllowsEveryActionAndTaskRolesNameEachAction() {
        for (Map<String, Object> statement : json.allStatements()) {
            List<String> actions = StackTemplate.strings(statement.get("Action"));
            List<String> resources = StackTemplate.strings(statement.get("Resource"));
            assertThat(actions.contains("*") && resources.contains("*")).as("statement %s", statement).isFalse();
            assertThat(actions).as("statement %s", statement).doesNotContain("*");
        }
        for (var role : List.of(stack.api().getTaskDefinition().getTaskRole(),
                                stack.indexer().getTaskDefinition().getTaskRole(),
                                stack.worker().getTaskDefinition().getTaskRole())) {
            assertThat(json.actionsOf(role)).noneMatch(a -> a.contains("*"));
            // the only resource-wide grants are the ones Hazelcast's discovery needs
            for (Map<String, Object> s : json.statementsOf(role)) {
                if (StackTemplate.strings(s.get("Resource")).contains("*")) {
                    assertThat(StackTemplate.strings(s.get("Action"))).isSubsetOf("ecs:ListTasks", "ec2:DescribeNetworkInterfaces");
                }
            }
        }
    }

    @Test
    void secretsReachOnlyTheRolesThatUseThem() {
        // issue 10 added the first admin's password (ADMIN_PASSWORD, API only) to the two earlier secrets
        template.resourceCountIs("AWS::SecretsManager::Secret", 3);
        String discogs = json.logicalId(stack.discogsToken());
        String auth = json.logicalId(stack.authSecret());
        String admin = json.logicalId(stack.adminPassword());
        assertThat(StackTemplate.secrets(json.container(ROLE_WORKER))).containsOnlyKeys(ENV_DISCOGS_TOKEN);
        assertThat(StackTemplate.secrets(json.container(ROLE_WORKER)).get(ENV_DISCOGS_TOKEN).toString()).contains(discogs);
        assertThat(StackTemplate.secrets(json.container(ROLE_API))).containsOnlyKeys(ENV_AUTH_SECRET, ENV_ADMIN_PASSWORD);
        assertThat(StackTemplate.secrets(json.container(ROLE_API)).get(ENV_AUTH_SECRET).toString()).contains(auth);
        assertThat(StackTemplate.secrets(json.container(ROLE_API)).get(ENV_ADMIN_PASSWORD).toString()).contains(admin);
        assertThat(StackTemplate.secrets(json.container(ROLE_INDEXER))).isEmpty();
        // secrets are not plain environment variables anywhere
        for (Map<String, Object> c : json.containers()) {
            assertThat(StackTemplate.env(c)).doesNotContainKeys(ENV_DISCOGS_TOKEN, ENV_AUTH_SECRET, ENV_ADMIN_PASSWORD);
        }

        // ECS fetches secrets with the execution role: each reads only its own secrets
        assertThat(json.secretResourcesOf(stack.api().getTaskDefinition().getExecutionRole()))
            .containsExactlyInAnyOrder(auth, admin);
        assertThat(json.secretResourcesOf(stack.worker().getTaskDefinition().getExecutionRole())).containsExactly(discogs);
        assertThat(json.secretResourcesOf(stack.indexer().getTaskDefinition().getExecutionRole())).isEmpty();
    }

    @Test
    void apiScalesOnRequestsAndCpuAndIndexersOnQueueDepth() {
        template.resourceCountIs("AWS::ApplicationAutoScaling::ScalableTarget", 2);
        template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Map.of("MinCapacity", 2, "MaxCapacity", 6));
        template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Map.of("MinCapacity", 1, "MaxCapacity", 4));
        template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Map.of(
            "PolicyType", "TargetTrackingScaling",
            "TargetTrackingScalingPolicyConfiguration", Match.objectLike(Map.of(
                "PredefinedMetricSpecification", Match.objectLike(Map.of("PredefinedMetricType", "ALBRequestCountPerTarget")),
                "TargetValue", MusicServerStack.API_REQUESTS_PER_TARGET))));
        template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Map.of(
            "PolicyType", "TargetTrackingScaling",
            "TargetTrackingScalingPolicyConfiguration", Match.objectLike(Map.of(
                "PredefinedMetricSpecification", Map.of("PredefinedMetricType", "ECSServiceAverageCPUUtilization")))));
        template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Map.of(
            "PolicyType", "StepScaling",
            "StepScalingPolicyConfiguration", Match.objectLike(Map.of("AdjustmentType", "ChangeInCapacity"))));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
            "MetricName", "ApproximateNumberOfMessagesVisible",
            "Namespace", "AWS/SQS",
            "ComparisonOperator", "GreaterThanOrEqualToThreshold",
            "Dimensions", List.of(Map.of("Name", "QueueName",
                "Value", Map.of("Fn::GetAtt", List.of(json.logicalId(stack.queue()), "QueueName")))))));
        // the worker count is fixed: the Discogs budget is cluster-wide, more workers would not look up faster
        template.hasResourceProperties("AWS::ECS::Service", Match.objectLike(Map.of(
            "TaskDefinition", Map.of("Ref", json.logicalId(stack.worker().getTaskDefinition())), "DesiredCount", 1)));
    }

    @Test
    void loadBalancerRoutesToReadyApiTasksAndDrainsForTheStreamGrace() {
        template.resourceCountIs("AWS::ElasticLoadBalancingV2::LoadBalancer", 1);
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Map.of("Scheme", "internet-facing"));
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Match.objectLike(Map.of(
            "Port", HTTP_PORT,
            "HealthCheckPath", READY_PATH,
            "TargetType", "ip",
            "TargetGroupAttributes", Match.arrayWith(List.of(
                Map.of("Key", "deregistration_delay.timeout_seconds", "Value", "30"))))));
        template.resourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 1);
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.objectLike(Map.of("Port", 80, "Protocol", "HTTP")));
        // only the API is registered with the load balancer
        List<Object> balanced = json.resources("AWS::ECS::Service").values().stream()
            .map(StackTemplate::properties)
            .filter(p -> p.containsKey("LoadBalancers"))
            .map(p -> p.get("TaskDefinition"))
            .collect(Collectors.toList());
        assertThat(balanced).containsExactly(Map.of("Ref", json.logicalId(stack.api().getTaskDefinition())));
    }

    @Test
    void theFirstAdminsPasswordIsGeneratedAndGoesToTheApiOnly() {
        // generated by Secrets Manager (never a default password), long, and without characters a shell mangles
        template.hasResourceProperties("AWS::SecretsManager::Secret", Match.objectLike(Map.of(
            "GenerateSecretString", Match.objectLike(Map.of("PasswordLength", 32, "ExcludePunctuation", true)))));
        Map<String, Object> adminSecret = StackTemplate.properties(
            json.resources("AWS::SecretsManager::Secret").get(json.logicalId(stack.adminPassword())));
        assertThat(adminSecret).doesNotContainKey("SecretString");
        assertThat(StackTemplate.map(adminSecret.get("GenerateSecretString")))
            .containsEntry("PasswordLength", 32).doesNotContainKey("SecretStringTemplate");
        // the operator finds it by the output
        template.hasOutput("AdminPasswordSecret", Match.objectLike(Map.of(
            "Value", Map.of("Ref", json.logicalId(stack.adminPassword())))));
        // ADMIN_USER (plain, default admin) with the password, on the API only
        assertThat(StackTemplate.env(json.container(ROLE_API))).containsEntry(ENV_ADMIN_USER, DEFAULT_ADMIN_USER);
        for (String role : List.of(ROLE_INDEXER, ROLE_WORKER)) {
            assertThat(StackTemplate.env(json.container(role))).doesNotContainKeys(ENV_ADMIN_USER, ENV_ADMIN_PASSWORD);
            assertThat(StackTemplate.secrets(json.container(role))).doesNotContainKey(ENV_ADMIN_PASSWORD);
        }
        // no task role reads it; among execution roles only the API's
        String admin = json.logicalId(stack.adminPassword());
        for (var service : List.of(stack.indexer(), stack.worker())) {
            assertThat(json.secretResourcesOf(service.getTaskDefinition().getExecutionRole())).doesNotContain(admin);
        }
        for (var service : List.of(stack.api(), stack.indexer(), stack.worker())) {
            assertThat(json.secretResourcesOf(service.getTaskDefinition().getTaskRole())).isEmpty();
        }
    }

    @Test
    void apiTrustsForwardedHeadersFromTheLoadBalancersSubnetsOnly() {
        List<Object> publicCidrs = json.resources("AWS::EC2::Subnet").values().stream()
            .map(StackTemplate::properties)
            .filter(p -> Boolean.TRUE.equals(p.get("MapPublicIpOnLaunch")))
            .map(p -> p.get("CidrBlock"))
            .collect(Collectors.toList());
        assertThat(publicCidrs).hasSize(2);
        Object trusted = StackTemplate.env(json.container(ROLE_API)).get(ENV_TRUSTED_PROXIES);
        assertThat(trusted).isInstanceOf(String.class);
        assertThat(List.of(trusted.toString().split(","))).containsExactlyInAnyOrderElementsOf(
            publicCidrs.stream().map(String::valueOf).toList());
        // and those are the subnets the ALB lives in
        List<Object> publicSubnets = json.resources("AWS::EC2::Subnet").entrySet().stream()
            .filter(e -> Boolean.TRUE.equals(StackTemplate.properties(e.getValue()).get("MapPublicIpOnLaunch")))
            .map(e -> (Object) Map.of("Ref", e.getKey()))
            .toList();
        Object albSubnets = StackTemplate.properties(
            json.resources("AWS::ElasticLoadBalancingV2::LoadBalancer").values().iterator().next()).get("Subnets");
        assertThat(StackTemplate.list(albSubnets)).containsExactlyInAnyOrderElementsOf(publicSubnets);
    }

    @Test
    void servesPlainHttpOnlyWithoutACertificate() {
        template.resourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 1);
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.objectLike(Map.of(
            "Port", 80, "Protocol", "HTTP",
            "DefaultActions", List.of(Match.objectLike(Map.of("Type", "forward"))))));
        String albGroup = json.logicalId(stack.loadBalancer().getConnections().getSecurityGroups().get(0));
        List<Object> publicPorts = json.ingressRules().stream()
            .filter(r -> r.get("GroupId").toString().contains(albGroup))
            .map(r -> r.get("FromPort"))
            .collect(Collectors.toList());
        assertThat(publicPorts).containsOnly(80);
        template.hasOutput("Url", Match.objectLike(Map.of("Value", Match.objectLike(Map.of("Fn::Join", Match.anyValue())))));
        // and the synth says so
        Annotations.fromStack(stack).hasWarning("/S3Music", Match.stringLikeRegexp(".*plain HTTP.*trying the stack out only.*"));
    }

    @Test
    void everyRoleListensOnTheManagementPortThatNothingRoutesTo() {
        for (Map<String, Object> c : json.containers()) {
            assertThat(StackTemplate.env(c))
                .containsEntry(ENV_MANAGEMENT_HOST, ALL_INTERFACES)
                .containsEntry(ENV_MANAGEMENT_PORT, Integer.toString(MANAGEMENT_PORT));
            assertThat(StackTemplate.list(c.get("PortMappings")).stream().map(m -> StackTemplate.map(m).get("ContainerPort")))
                .contains(HTTP_PORT, MANAGEMENT_PORT);
        }
        assertManagementPortUnreachableFromTheLoadBalancer(stack, json);
    }

    /**
     * Nothing of the load balancer leads to {@link ServerContract#MANAGEMENT_PORT}: no listener on it, every target
     * group and every service registration on the HTTP port (health check included), the load balancer's group may
     * not send to it, and the tasks' group admits it from itself only (no address range, not the load balancer).
     */
    static void assertManagementPortUnreachableFromTheLoadBalancer(MusicServerStack stack, StackTemplate json) {
        assertThat(json.resources("AWS::ElasticLoadBalancingV2::Listener").values()).isNotEmpty()
            .allSatisfy(l -> assertThat(StackTemplate.properties(l).get("Port")).isNotEqualTo(MANAGEMENT_PORT));
        assertThat(json.resources("AWS::ElasticLoadBalancingV2::TargetGroup").values()).isNotEmpty().allSatisfy(tg -> {
            Map<String, Object> p = StackTemplate.properties(tg);
            assertThat(p.get("Port")).isEqualTo(HTTP_PORT);
            assertThat(p.getOrDefault("HealthCheckPort", "traffic-port")).isEqualTo("traffic-port");
        });
        json.resources("AWS::ElasticLoadBalancingV2::ListenerRule").values().forEach(rule ->
            assertThat(StackTemplate.properties(rule).toString()).doesNotContain(Integer.toString(MANAGEMENT_PORT)));
        List<Object> registered = json.resources("AWS::ECS::Service").values().stream()
            .flatMap(s -> StackTemplate.list(StackTemplate.properties(s).get("LoadBalancers")).stream())
            .map(lb -> StackTemplate.map(lb).get("ContainerPort"))
            .collect(Collectors.toList());
        assertThat(registered).containsExactly(HTTP_PORT);

        String albGroup = json.logicalId(stack.loadBalancer().getConnections().getSecurityGroups().get(0));
        Map<String, Object> tasksGroup = json.groupId(stack.clusterSecurityGroup());
        // the load balancer's group sends only to the tasks' HTTP port
        List<Map<String, Object>> albEgress = json.egressRules().stream()
            .filter(r -> r.get("GroupId").toString().contains(albGroup))
            .toList();
        assertThat(albEgress).isNotEmpty().noneMatch(r -> StackTemplate.covers(r, MANAGEMENT_PORT));
        // the only way in to the management port: from the tasks' own group
        List<Map<String, Object>> toManagement = json.ingressRules().stream()
            .filter(r -> tasksGroup.equals(r.get("GroupId")))
            .filter(r -> StackTemplate.covers(r, MANAGEMENT_PORT))
            .toList();
        assertThat(toManagement).isNotEmpty().allSatisfy(r -> {
            assertThat(r.get("SourceSecurityGroupId")).isEqualTo(tasksGroup);
            assertThat(r).doesNotContainKeys("CidrIp", "CidrIpv6", "SourcePrefixListId");
        });
        // and what the load balancer's group may reach in the tasks' group is the HTTP port alone
        List<Map<String, Object>> fromAlb = json.ingressRules().stream()
            .filter(r -> String.valueOf(r.get("SourceSecurityGroupId")).contains(albGroup))
            .toList();
        assertThat(fromAlb).isNotEmpty().allSatisfy(r -> {
            assertThat(r.get("FromPort")).isEqualTo(HTTP_PORT);
            assertThat(r.get("ToPort")).isEqualTo(HTTP_PORT);
        });
    }

    @Test
    void logGroupsKeepEachRolesLogsForAMonth() {
        template.resourceCountIs("AWS::Logs::LogGroup", 3);
        template.allResourcesProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 30));
        List<Object> names = new ArrayList<>(json.resources("AWS::Logs::LogGroup").values().stream()
            .map(r -> StackTemplate.properties(r).get("LogGroupName")).toList());
        assertThat(names).containsExactlyInAnyOrder(
            "/s3music/S3Music/" + ROLE_API, "/s3music/S3Music/" + ROLE_INDEXER, "/s3music/S3Music/" + ROLE_WORKER);
    }

    private static List<String> documentPrefixes() {
        List<String> prefixes = new java.util.ArrayList<>(ACCOUNT_PREFIXES);
        prefixes.add(USERS_PREFIX);
        prefixes.add(PLAYLISTS_PREFIX);
        return prefixes;
    }
}
