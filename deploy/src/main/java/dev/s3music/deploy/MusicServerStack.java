package dev.s3music.deploy;

import static dev.s3music.deploy.ServerContract.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.applicationautoscaling.AdjustmentType;
import software.amazon.awscdk.services.applicationautoscaling.BasicStepScalingPolicyProps;
import software.amazon.awscdk.services.applicationautoscaling.EnableScalingProps;
import software.amazon.awscdk.services.applicationautoscaling.ScalingInterval;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpoint;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.CpuUtilizationScalingProps;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LoadBalancerTargetOptions;
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.RequestCountScalingProps;
import software.amazon.awscdk.services.ecs.ScalableTaskCount;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecr.RepositoryAttributes;
import software.amazon.awscdk.services.elasticache.CfnReplicationGroup;
import software.amazon.awscdk.services.elasticache.CfnSubnetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationTargetsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.RedirectOptions;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CorsRule;
import software.amazon.awscdk.services.s3.HttpMethods;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.StorageClass;
import software.amazon.awscdk.services.s3.Transition;
import software.amazon.awscdk.services.s3.TransitionDefaultMinimumObjectSize;
import software.amazon.awscdk.services.s3.notifications.SqsDestination;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The whole server on AWS: one image run as three separately scaled Fargate services that form one Vert.x cluster
 * (Hazelcast, ECS discovery), the music bucket with its upload events going to SQS (with a dead-letter queue),
 * ElastiCache Redis for the catalog, caches, lookup queue and rate limiter, and the three secrets.
 *
 * <pre>
 *  listeners --HTTPS--> ALB --8080--> api x N ----+  (9090 management: health details, /metrics; never the ALB's)
 *                                                |  one cluster SG: 5701 (Hazelcast), 17001 (event bus), 9090 to itself
 *  S3 bucket --ObjectCreated/Removed--> SQS ---> indexer x N (scales on queue depth)
 *      |                                 \--> DLQ after 5 receives
 *      +-- .s3music/cache/ <------------- metadata-worker x N --> Discogs (60/min for the cluster)
 *  ElastiCache Redis (6379, TLS) <-- all roles
 * </pre>
 */
public class MusicServerStack extends Stack {

    /** Receives before a message goes to the dead-letter queue: a few retries for transient S3/Redis faults. */
    static final int MAX_RECEIVE_COUNT = 5;
    /** Visible-again delay of an unfinished event: longer than reading tags with a few ranged GETs and a write. */
    static final Duration QUEUE_VISIBILITY = Duration.seconds(120);
    /** Uploads older than this move to Infrequent Access (S3's minimum for a lifecycle transition to IA). */
    static final int DAYS_TO_INFREQUENT_ACCESS = 30;
    /** API tasks scale out above this many requests per task per minute (streams are long, so this stays low). */
    static final int API_REQUESTS_PER_TARGET = 600;
    static final int API_TARGET_CPU_PERCENT = 60;
    static final String CONTAINER_NAME = "server";

    private final IBucket bucket;
    private final GatewayVpcEndpoint s3Endpoint;
    private final Queue queue;
    private final Queue deadLetterQueue;
    private final SecurityGroup clusterSecurityGroup;
    private final SecurityGroup redisSecurityGroup;
    private final Secret discogsToken;
    private final Secret authSecret;
    private final Secret adminPassword;
    private final FargateService api;
    private final FargateService indexer;
    private final FargateService worker;
    private final ApplicationLoadBalancer loadBalancer;
    private IRepository ecrRepository;

    /** {@code <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>} */
    private static final Pattern ECR_IMAGE =
        Pattern.compile("(\\d{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com/([a-z0-9._/-]+):([\\w.-]+)");

    public MusicServerStack(Construct scope, String id, StackProps props, DeploySettings settings) {
        super(scope, id, props);

        Vpc vpc = Vpc.Builder.create(this, "Vpc")
            .maxAzs(2)
            .natGateways(settings.natGateways())
            .build();
        // Streaming is S3 bytes out through the tasks: through the NAT gateway each byte would pay NAT processing
        // (and one NAT is one AZ's bottleneck). A gateway endpoint is free; its prefix-list route in the tasks'
        // route tables is more specific than the default route to the NAT, so S3 traffic never takes the NAT.
        List<ISubnet> taskSubnets = new ArrayList<>(vpc.getPrivateSubnets());
        taskSubnets.addAll(vpc.getIsolatedSubnets());
        s3Endpoint = vpc.addGatewayEndpoint("S3Endpoint", GatewayVpcEndpointOptions.builder()
            .service(GatewayVpcEndpointAwsService.S3)
            .subnets(List.of(SubnetSelection.builder().subnets(taskSubnets).build()))
            .build());
        Cluster cluster = Cluster.Builder.create(this, "Cluster")
            .vpc(vpc)
            .build();

        // --- storage and events ---------------------------------------------------------------------------
        bucket = musicBucket(settings.existingBucketName());

        deadLetterQueue = Queue.Builder.create(this, "EventsDlq")
            .retentionPeriod(Duration.days(14))
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .build();
        queue = Queue.Builder.create(this, "Events")
            .visibilityTimeout(QUEUE_VISIBILITY)
            .receiveMessageWaitTime(Duration.seconds(20))
            .retentionPeriod(Duration.days(4))
            // SSE-SQS, not a customer KMS key: S3 can deliver to it without a key policy
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetterQueue).maxReceiveCount(MAX_RECEIVE_COUNT).build())
            .build();
        // No key filter: S3 filters only by prefix/suffix and cannot exclude .s3music/; the indexer skips those keys.
        bucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(queue));
        bucket.addEventNotification(EventType.OBJECT_REMOVED, new SqsDestination(queue));

        // --- secrets ------------------------------------------------------------------------------------------
        discogsToken = Secret.Builder.create(this, "DiscogsToken")
            .description("Discogs personal access token of the s3music metadata worker: put the real token here "
                + "(aws secretsmanager put-secret-value) before scaling the workers up")
            .build();
        authSecret = Secret.Builder.create(this, "AuthSecret")
            .description("Key the s3music API signs and verifies session tokens with (any API task can verify)")
            .generateSecretString(SecretStringGenerator.builder()
                .passwordLength(64)
                .excludePunctuation(true)
                .build())
            .build();
        // The first admin's password: the API creates the account with it when no account exists yet (first start);
        // afterwards it is ignored, and the admin changes the password through the API.
        adminPassword = Secret.Builder.create(this, "AdminPassword")
            .description("Password of the first s3music admin (ADMIN_USER), used once when no account exists; "
                + "read it with aws secretsmanager get-secret-value, then change it through the API")
            .generateSecretString(SecretStringGenerator.builder()
                .passwordLength(32)
                .excludePunctuation(true)
                .build())
            .build();

        // --- network: one security group for every task of the cluster -------------------------------------
        clusterSecurityGroup = SecurityGroup.Builder.create(this, "ClusterTasks")
            .vpc(vpc)
            .description("s3music tasks: Hazelcast and the Vert.x event bus between members")
            .allowAllOutbound(true)
            .build();
        // Members of every role talk to each other: Hazelcast membership/maps and the event bus (task to task)
        clusterSecurityGroup.addIngressRule(clusterSecurityGroup, Port.tcp(HAZELCAST_PORT), "Hazelcast members");
        clusterSecurityGroup.addIngressRule(clusterSecurityGroup, Port.tcp(EVENTBUS_PORT), "Vert.x clustered event bus");
        // Health details and /metrics: a scraper placed in this group (or a sidecar inside a task) reaches them; the
        // load balancer's group gets the HTTP port only (its target group's), never this one.
        clusterSecurityGroup.addIngressRule(clusterSecurityGroup, Port.tcp(MANAGEMENT_PORT),
            "management port (health details, metrics) for scrapers in the tasks' group");

        // --- Redis --------------------------------------------------------------------------------------------
        redisSecurityGroup = SecurityGroup.Builder.create(this, "RedisSg")
            .vpc(vpc)
            .description("s3music ElastiCache Redis: reachable from the cluster tasks only")
            .allowAllOutbound(false)
            .build();
        redisSecurityGroup.addIngressRule(clusterSecurityGroup, Port.tcp(6379), "Redis from s3music tasks");
        CfnSubnetGroup redisSubnets = CfnSubnetGroup.Builder.create(this, "RedisSubnets")
            .description("s3music Redis in the private subnets")
            .subnetIds(vpc.selectSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                .getSubnetIds())
            .build();
        boolean failover = settings.redisReplicas() >= 2;
        CfnReplicationGroup redis = CfnReplicationGroup.Builder.create(this, "Redis")
            .replicationGroupDescription("s3music catalog, metadata cache, lookup queue and rate limiter")
            .engine("redis")
            .engineVersion("7.1")
            .cacheNodeType(settings.redisNodeType())
            .numCacheClusters(settings.redisReplicas())
            .automaticFailoverEnabled(failover)
            .multiAzEnabled(failover)
            .cacheSubnetGroupName(redisSubnets.getRef())
            .securityGroupIds(List.of(redisSecurityGroup.getSecurityGroupId()))
            .transitEncryptionEnabled(true)
            .atRestEncryptionEnabled(true)
            .build();
        String redisUrl = "rediss://" + redis.getAttrPrimaryEndPointAddress() + ":" + redis.getAttrPrimaryEndPointPort();

        // --- the three roles ------------------------------------------------------------------------------------
        Map<String, String> common = new LinkedHashMap<>();
        common.put(ENV_AWS_REGION, getRegion());
        common.put(ENV_S3_BUCKET, bucket.getBucketName());
        common.put(ENV_USE_REDIS, "true");
        common.put(ENV_REDIS_URL, redisUrl);
        common.put(ENV_HTTP_HOST, ALL_INTERFACES);
        common.put(ENV_LOG_FORMAT, LOG_FORMAT_JSON);
        common.put(ENV_HTTP_PORT, Integer.toString(HTTP_PORT));
        // the launcher binds it to 127.0.0.1 by default; a scraper in the VPC needs every interface (the security
        // group, not the bind address, keeps the load balancer and the internet out)
        common.put(ENV_MANAGEMENT_HOST, ALL_INTERFACES);
        common.put(ENV_MANAGEMENT_PORT, Integer.toString(MANAGEMENT_PORT));
        common.put(ENV_CACHE_TTL, settings.cacheTtl());
        common.put(ENV_SHUTDOWN_GRACE, settings.shutdownGraceSeconds() + "s");
        common.put(ENV_CLUSTERED, "true");
        common.put(ENV_EVENTBUS_PORT, Integer.toString(EVENTBUS_PORT));
        // EVENTBUS_HOST stays unset: the task's private IP is known only inside the task; the launcher uses the
        // address Hazelcast binds to.
        common.put(ENV_HZ_AWS_ENABLED, "true");
        common.put(ENV_HZ_AWS_CLUSTER, cluster.getClusterName());
        common.put(ENV_HZ_TCPIP_ENABLED, "false");
        common.put(ENV_HZ_MULTICAST_ENABLED, "false");
        common.put(ENV_HZ_PORT, Integer.toString(HAZELCAST_PORT));

        RoleSpec apiSpec = new RoleSpec(ROLE_API, settings.apiCpu(), settings.apiMemoryMiB(), settings.apiMin());
        Map<String, String> apiEnv = new LinkedHashMap<>(common);
        apiEnv.put(ENV_ADMIN_USER, settings.adminUser());
        // the load balancer's nodes live in the public subnets: their X-Forwarded-For/-Proto are believed (client
        // address for throttling and audit, TLS for Secure cookies), nobody else's
        apiEnv.put(ENV_TRUSTED_PROXIES, String.join(",",
            vpc.getPublicSubnets().stream().map(ISubnet::getIpv4CidrBlock).toList()));
        Role apiRole = taskRole("Api", cluster);
        apiRole.addToPolicy(readMusic());
        apiRole.addToPolicy(listBucket());
        // resized cover art (GET /api/albums/{id}/cover) is kept under .s3music/art/
        apiRole.addToPolicy(PolicyStatement.Builder.create()
            .sid("CoverArtCache")
            .actions(List.of("s3:GetObject", "s3:PutObject"))
            .resources(List.of(bucket.arnForObjects(ART_PREFIX + "*")))
            .build());
        // the player's uploads: the API starts, completes and aborts multipart uploads and signs each part's PUT
        // with its own credentials (the browser's PUT is authorized as this role's s3:PutObject). Keys are the
        // library's (the API refuses .s3music/ and anything not audio or an image); no DeleteObject.
        apiRole.addToPolicy(PolicyStatement.Builder.create()
            .sid("BrowserUploads")
            .actions(List.of("s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"))
            .resources(List.of(bucket.arnForObjects("*")))
            .build());
        // each listener's documents and the playlists (user-data): read, conditionally written, playlists deleted
        apiRole.addToPolicy(PolicyStatement.Builder.create()
            .sid("UserDataDocuments")
            .actions(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"))
            .resources(List.of(bucket.arnForObjects(USERS_PREFIX + "*"), bucket.arnForObjects(PLAYLISTS_PREFIX + "*")))
            .build());
        // accounts, share links, the setup claim and Subsonic credentials (accounts module): read, conditionally
        // written, deleted (a user or share removed)
        apiRole.addToPolicy(PolicyStatement.Builder.create()
            .sid("AccountDocuments")
            .actions(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"))
            .resources(ACCOUNT_PREFIXES.stream().map(p -> bucket.arnForObjects(p + "*")).toList())
            .build());
        api = service(this, cluster, apiSpec, apiRole, apiEnv,
            Map.of(ENV_AUTH_SECRET, software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(authSecret),
                ENV_ADMIN_PASSWORD, software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(adminPassword)),
            settings);

        RoleSpec indexerSpec = new RoleSpec(ROLE_INDEXER, settings.indexerCpu(), settings.indexerMemoryMiB(), settings.indexerMin());
        Map<String, String> indexerEnv = new LinkedHashMap<>(common);
        indexerEnv.put(ENV_SQS_QUEUE_URL, queue.getQueueUrl());
        indexerEnv.put(ENV_SQS_DLQ_URL, deadLetterQueue.getQueueUrl());
        Role indexerRole = taskRole("Indexer", cluster);
        indexerRole.addToPolicy(readMusic());
        indexerRole.addToPolicy(listBucket());
        queue.grantConsumeMessages(indexerRole);
        // the admin's DLQ redrive (POST /api/admin/dlq/redrive) sends dead-lettered messages back to the queue
        // (SendMessageBatch is authorized as sqs:SendMessage)
        indexerRole.addToPolicy(PolicyStatement.Builder.create()
            .sid("RedriveToEventsQueue")
            .actions(List.of("sqs:SendMessage"))
            .resources(List.of(queue.getQueueArn()))
            .build());
        // the DLQ: the indexer dead-letters poison messages itself (SendMessage), the redrive receives and then
        // deletes them there (ReceiveMessage, DeleteMessage: DeleteMessageBatch is authorized as DeleteMessage),
        // and the depth meter reads ApproximateNumberOfMessages (GetQueueAttributes). Nothing else: no
        // ChangeMessageVisibility, no PurgeQueue.
        indexerRole.addToPolicy(PolicyStatement.Builder.create()
            .sid("DeadLetterQueue")
            .actions(List.of("sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"))
            .resources(List.of(deadLetterQueue.getQueueArn()))
            .build());
        indexer = service(this, cluster, indexerSpec, indexerRole, indexerEnv, Map.of(), settings);

        RoleSpec workerSpec = new RoleSpec(ROLE_WORKER, settings.workerCpu(), settings.workerMemoryMiB(), settings.workerCount());
        Map<String, String> workerEnv = new LinkedHashMap<>(common);
        workerEnv.put(ENV_DISCOGS_RATE, Integer.toString(settings.discogsRate()));
        Role workerRole = taskRole("Worker", cluster);
        workerRole.addToPolicy(PolicyStatement.Builder.create()
            .sid("MetadataCacheObjects")
            .actions(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"))
            .resources(List.of(bucket.arnForObjects(CACHE_PREFIX + "*")))
            .build());
        workerRole.addToPolicy(PolicyStatement.Builder.create()
            .sid("ListMetadataCache")
            .actions(List.of("s3:ListBucket"))
            .resources(List.of(bucket.getBucketArn()))
            .conditions(Map.of("StringLike", Map.of("s3:prefix", List.of(CACHE_PREFIX + "*"))))
            .build());
        worker = service(this, cluster, workerSpec, workerRole, workerEnv,
            Map.of(ENV_DISCOGS_TOKEN, software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(discogsToken)),
            settings);

        // --- load balancer in front of the API --------------------------------------------------------------
        loadBalancer = ApplicationLoadBalancer.Builder.create(this, "Alb")
            .vpc(vpc)
            .internetFacing(true)
            // a long recording is one request: keep idle connections (paused players) open a while
            .idleTimeout(Duration.seconds(120))
            .build();
        ApplicationListener listener;
        if (settings.https()) {
            listener = loadBalancer.addListener("Https", BaseApplicationListenerProps.builder()
                .protocol(ApplicationProtocol.HTTPS)
                .port(443)
                .certificates(List.of(ListenerCertificate.fromArn(settings.certificateArn())))
                .build());
            loadBalancer.addListener("HttpRedirect", BaseApplicationListenerProps.builder()
                .protocol(ApplicationProtocol.HTTP)
                .port(80)
                .defaultAction(ListenerAction.redirect(RedirectOptions.builder()
                    .protocol("HTTPS").port("443").permanent(true).build()))
                .build());
        } else {
            // cdk synth/deploy print this; `cdk deploy --strict` refuses it
            Annotations.of(this).addWarningV2("s3music:plainHttp", "No certificateArn/domainName: the load balancer "
                + "serves plain HTTP, so passwords, session tokens and cookies cross the network in clear text. "
                + "For trying the stack out only.");
            listener = loadBalancer.addListener("Http", BaseApplicationListenerProps.builder()
                .protocol(ApplicationProtocol.HTTP)
                .port(80)
                .build());
        }
        ApplicationTargetGroup apiTargets = listener.addTargets("Api", AddApplicationTargetsProps.builder()
            .protocol(ApplicationProtocol.HTTP)
            .port(HTTP_PORT)
            // named, not the container's first port: the management port must never be a target
            .targets(List.of(api.loadBalancerTarget(LoadBalancerTargetOptions.builder()
                .containerName(CONTAINER_NAME).containerPort(HTTP_PORT).build())))
            .healthCheck(software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck.builder()
                .path(READY_PATH)
                // the port the traffic goes to (HTTP_PORT), never the management port
                .port("traffic-port")
                .healthyHttpCodes("200")
                .interval(Duration.seconds(10))
                .timeout(Duration.seconds(5))
                .healthyThresholdCount(2)
                .unhealthyThresholdCount(2)
                .build())
            // readiness turns 503 on SIGTERM; the target drains for the stream grace before ECS stops it
            .deregistrationDelay(Duration.seconds(settings.shutdownGraceSeconds()))
            .build());

        uploadCors(settings);

        // --- scaling --------------------------------------------------------------------------------------------
        ScalableTaskCount apiScaling = api.autoScaleTaskCount(EnableScalingProps.builder()
            .minCapacity(settings.apiMin()).maxCapacity(settings.apiMax()).build());
        apiScaling.scaleOnRequestCount("Requests", RequestCountScalingProps.builder()
            .requestsPerTarget(API_REQUESTS_PER_TARGET)
            .targetGroup(apiTargets)
            .build());
        apiScaling.scaleOnCpuUtilization("Cpu", CpuUtilizationScalingProps.builder()
            .targetUtilizationPercent(API_TARGET_CPU_PERCENT)
            .build());

        ScalableTaskCount indexerScaling = indexer.autoScaleTaskCount(EnableScalingProps.builder()
            .minCapacity(settings.indexerMin()).maxCapacity(settings.indexerMax()).build());
        // Bulk uploads fill the queue; more indexers drain it (they compete for messages). Steps, not target
        // tracking: queue depth is not a per-task average.
        indexerScaling.scaleOnMetric("QueueDepth", BasicStepScalingPolicyProps.builder()
            .metric(queue.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                .period(Duration.minutes(1)).build()))
            .adjustmentType(AdjustmentType.CHANGE_IN_CAPACITY)
            .scalingSteps(List.of(
                ScalingInterval.builder().upper(10).change(-1).build(),
                ScalingInterval.builder().lower(200).change(1).build(),
                ScalingInterval.builder().lower(2000).change(2).build()))
            .cooldown(Duration.minutes(2))
            .build());

        // --- outputs -------------------------------------------------------------------------------------------
        CfnOutput.Builder.create(this, "Url")
            .value((settings.https() ? "https://" + settings.domainName() : "http://" + loadBalancer.getLoadBalancerDnsName()))
            .description("Where the server answers (point the domain's DNS at LoadBalancerDns)")
            .build();
        CfnOutput.Builder.create(this, "LoadBalancerDns").value(loadBalancer.getLoadBalancerDnsName()).build();
        CfnOutput.Builder.create(this, "BucketName").value(bucket.getBucketName()).build();
        CfnOutput.Builder.create(this, "QueueUrl").value(queue.getQueueUrl()).build();
        CfnOutput.Builder.create(this, "DeadLetterQueueUrl").value(deadLetterQueue.getQueueUrl()).build();
        CfnOutput.Builder.create(this, "DiscogsTokenSecret").value(discogsToken.getSecretArn()).build();
        CfnOutput.Builder.create(this, "AdminPasswordSecret").value(adminPassword.getSecretArn())
            .description("The first admin's generated password: aws secretsmanager get-secret-value --secret-id <this> "
                + "--query SecretString --output text")
            .build();
    }

    /**
     * The library's bucket. A new one gets the Infrequent Access lifecycle, encryption and the public-access block;
     * an existing one (the musician's terabytes already in S3) is used as it is and only gets the notifications.
     */
    private IBucket musicBucket(String existingBucketName) {
        if (existingBucketName != null) {
            return Bucket.fromBucketName(this, "Music", existingBucketName);
        }
        return Bucket.Builder.create(this, "Music")
            .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
            .encryption(BucketEncryption.S3_MANAGED)
            .enforceSsl(true)
            // the musician's recordings: never deleted with the stack
            .removalPolicy(RemovalPolicy.RETAIN)
            // Music only to IA. A lifecycle filter selects by prefix, tag or size and cannot exclude a prefix, so
            // "everything but .s3music/" has no prefix form; tags cannot do it either (the musician's tools upload
            // music untagged, so a tag would have to be put on every song). Size can: the documents under
            // .s3music/ are written STANDARD and are a few KB, below IA's 128 KB minimum billable size, where IA
            // would bill each as 128 KB for 30 days (whatever else is that small, covers or cue sheets, is better
            // off in Standard too). So no object under 128 KB transitions. That is set on the bucket, not as the
            // rule's ObjectSizeGreaterThan filter, because S3 refuses a size filter on a rule that also aborts
            // incomplete multipart uploads. The one document that could move is one over 128 KB left unchanged
            // for 30 days, which IA then bills at its real size.
            .transitionDefaultMinimumObjectSize(TransitionDefaultMinimumObjectSize.ALL_STORAGE_CLASSES_128_K)
            .lifecycleRules(List.of(LifecycleRule.builder()
                .id("music-to-infrequent-access")
                .transitions(List.of(Transition.builder()
                    .storageClass(StorageClass.INFREQUENT_ACCESS)
                    .transitionAfter(Duration.days(DAYS_TO_INFREQUENT_ACCESS))
                    .build()))
                .abortIncompleteMultipartUploadAfter(Duration.days(7))
                .build()))
            .build();
    }

    /**
     * The player's pages PUT upload parts straight to the bucket: its CORS rule allows the site's origin
     * ({@link DeploySettings#corsOrigin()}, else the load balancer's {@code http://} name) to PUT, and exposes
     * {@code ETag} (the page needs each part's ETag to complete the upload). An existing bucket is not the stack's to
     * change: a warning says what to set.
     */
    private void uploadCors(DeploySettings settings) {
        String origin = settings.corsOrigin() != null ? settings.corsOrigin()
            : "http://" + loadBalancer.getLoadBalancerDnsName();
        if (bucket instanceof Bucket owned) {
            owned.addCorsRule(CorsRule.builder()
                .id("player-uploads")
                .allowedOrigins(List.of(origin))
                .allowedMethods(List.of(HttpMethods.PUT, HttpMethods.GET, HttpMethods.HEAD))
                .allowedHeaders(List.of("*"))
                .exposedHeaders(List.of("ETag"))
                .maxAge(UPLOAD_CORS_MAX_AGE_SECONDS)
                .build());
        } else {
            Annotations.of(this).addWarningV2("s3music:uploadCors", "existingBucketName: the stack does not change "
                + "that bucket's CORS. For uploads from the web player, add a CORS rule allowing PUT from the site's "
                + "origin with AllowedHeaders * and ExposeHeaders ETag.");
        }
    }

    /** Browsers cache the preflight this long (a long upload sends many PUTs). */
    static final int UPLOAD_CORS_MAX_AGE_SECONDS = 3000;

    private record RoleSpec(String role, int cpu, int memoryMiB, int desiredCount) {
    }

    private FargateService service(Construct scope, Cluster cluster, RoleSpec spec, Role taskRole,
                                   Map<String, String> env,
                                   Map<String, software.amazon.awscdk.services.ecs.Secret> secrets,
                                   DeploySettings settings) {
        String id = constructId(spec.role());
        FargateTaskDefinition task = FargateTaskDefinition.Builder.create(scope, id + "Task")
            .cpu(spec.cpu())
            .memoryLimitMiB(spec.memoryMiB())
            .taskRole(taskRole)
            .build();
        LogGroup logs = LogGroup.Builder.create(scope, id + "Logs")
            .logGroupName("/s3music/" + getStackName() + "/" + spec.role())
            .retention(LogRetention.of(settings.logRetentionDays()))
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put(ENV_ROLE, spec.role());
        environment.putAll(env);
        task.addContainer(CONTAINER_NAME, ContainerDefinitionOptions.builder()
            .image(image(scope, settings.image()))
            .environment(environment)
            .secrets(secrets)
            .portMappings(List.of(
                PortMapping.builder().containerPort(HTTP_PORT).name("http").build(),
                PortMapping.builder().containerPort(MANAGEMENT_PORT).name("management").build(),
                PortMapping.builder().containerPort(HAZELCAST_PORT).name("hazelcast").build(),
                PortMapping.builder().containerPort(EVENTBUS_PORT).name("eventbus").build()))
            .healthCheck(software.amazon.awscdk.services.ecs.HealthCheck.builder()
                .command(List.of("CMD-SHELL", "curl -fsS http://127.0.0.1:" + HTTP_PORT + LIVE_PATH + " || exit 1"))
                .interval(Duration.seconds(15))
                .timeout(Duration.seconds(5))
                .retries(3)
                .startPeriod(Duration.seconds(60))
                .build())
            .stopTimeout(Duration.seconds(settings.stopTimeoutSeconds()))
            .logging(LogDrivers.awsLogs(AwsLogDriverProps.builder().logGroup(logs).streamPrefix(spec.role()).build()))
            .build());
        return FargateService.Builder.create(scope, id + "Service")
            .cluster(cluster)
            .taskDefinition(task)
            .desiredCount(spec.desiredCount())
            .securityGroups(List.of(clusterSecurityGroup))
            .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
            .minHealthyPercent(100)
            .maxHealthyPercent(200)
            .circuitBreaker(DeploymentCircuitBreaker.builder().enable(true).rollback(true).build())
            .healthCheckGracePeriod(ROLE_API.equals(spec.role()) ? Duration.seconds(90) : null)
            .build();
    }

    /**
     * A task role that may do what every member needs: Hazelcast's ECS discovery lists and describes the tasks of
     * this cluster and reads their network interfaces (that EC2 call supports no resource scoping).
     */
    private Role taskRole(String id, Cluster cluster) {
        Role role = Role.Builder.create(this, id + "TaskRole")
            .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
            .description("s3music " + id + " task: least privilege for its role")
            .build();
        role.addToPolicy(PolicyStatement.Builder.create()
            .sid("HazelcastListClusterTasks")
            .actions(List.of("ecs:ListTasks"))
            .resources(List.of("*"))
            .conditions(Map.of("ArnEquals", Map.of("ecs:cluster", cluster.getClusterArn())))
            .build());
        role.addToPolicy(PolicyStatement.Builder.create()
            .sid("HazelcastDescribeClusterTasks")
            .actions(List.of("ecs:DescribeTasks"))
            .resources(List.of(Stack.of(this).formatArn(software.amazon.awscdk.ArnComponents.builder()
                .service("ecs").resource("task").resourceName(cluster.getClusterName() + "/*").build())))
            .build());
        role.addToPolicy(PolicyStatement.Builder.create()
            .sid("HazelcastTaskAddresses")
            .effect(Effect.ALLOW)
            .actions(List.of("ec2:DescribeNetworkInterfaces"))
            .resources(List.of("*"))
            .build());
        return role;
    }

    private PolicyStatement readMusic() {
        return PolicyStatement.Builder.create()
            .sid("ReadMusic")
            .actions(List.of("s3:GetObject"))
            .resources(List.of(bucket.arnForObjects("*")))
            .build();
    }

    private PolicyStatement listBucket() {
        return PolicyStatement.Builder.create()
            .sid("ListMusic")
            .actions(List.of("s3:ListBucket"))
            .resources(List.of(bucket.getBucketArn()))
            .build();
    }

    /**
     * An image in this account's ECR goes through {@code fromEcrRepository}, which lets the execution role pull it;
     * any other registry (public) is used by name.
     */
    private ContainerImage image(Construct scope, String image) {
        Matcher ecr = ECR_IMAGE.matcher(image);
        if (!ecr.matches()) {
            return ContainerImage.fromRegistry(image);
        }
        if (ecrRepository == null) {
            ecrRepository = Repository.fromRepositoryAttributes(this, "ImageRepository", RepositoryAttributes.builder()
                .repositoryName(ecr.group(3))
                .repositoryArn("arn:" + getPartition() + ":ecr:" + ecr.group(2) + ":" + ecr.group(1) + ":repository/" + ecr.group(3))
                .build());
        }
        return ContainerImage.fromEcrRepository(ecrRepository, ecr.group(4));
    }

    private static String constructId(String role) {
        StringBuilder b = new StringBuilder();
        for (String part : role.split("-")) {
            b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return b.toString();
    }

    public GatewayVpcEndpoint s3Endpoint() {
        return s3Endpoint;
    }

    public IBucket bucket() {
        return bucket;
    }

    public Queue queue() {
        return queue;
    }

    public Queue deadLetterQueue() {
        return deadLetterQueue;
    }

    public SecurityGroup clusterSecurityGroup() {
        return clusterSecurityGroup;
    }

    public SecurityGroup redisSecurityGroup() {
        return redisSecurityGroup;
    }

    public Secret discogsToken() {
        return discogsToken;
    }

    public Secret authSecret() {
        return authSecret;
    }

    public Secret adminPassword() {
        return adminPassword;
    }

    public FargateService api() {
        return api;
    }

    public FargateService indexer() {
        return indexer;
    }

    public FargateService worker() {
        return worker;
    }

    public ApplicationLoadBalancer loadBalancer() {
        return loadBalancer;
    }
}
