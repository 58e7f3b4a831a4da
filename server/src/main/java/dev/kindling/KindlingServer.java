package dev.kindling;

import dev.kindling.api.AliasesApi;
import dev.kindling.api.ApiGatewayV2Api;
import dev.kindling.api.EventInvokeConfigApi;
import dev.kindling.api.ExecuteApi;
import dev.kindling.api.ApiServer;
import dev.kindling.api.ConsoleAssets;
import dev.kindling.api.CodeDownloads;
import dev.kindling.api.CodePackages;
import dev.kindling.api.ConcurrencyApi;
import dev.kindling.api.FunctionUrlRoutes;
import dev.kindling.api.FunctionUrlsApi;
import dev.kindling.api.FunctionsApi;
import dev.kindling.api.InvokeApi;
import dev.kindling.api.LayersApi;
import dev.kindling.api.EventsApi;
import dev.kindling.api.LogsApi;
import dev.kindling.api.PermissionsApi;
import dev.kindling.api.SchedulerApi;
import dev.kindling.api.S3Api;
import dev.kindling.api.CloudWatchApi;
import dev.kindling.api.MetricsApi;
import dev.kindling.api.EventSourceMappingsApi;
import dev.kindling.api.SqsApi;
import dev.kindling.api.UsageApi;
import dev.kindling.code.CodeStore;
import dev.kindling.code.MergedLayers;
import dev.kindling.control.AliasService;
import dev.kindling.control.DeadLetterTargets;
import dev.kindling.control.EventInvokeConfigService;
import dev.kindling.control.EventSourceMappingService;
import dev.kindling.control.CodeReferences;
import dev.kindling.control.ConcurrencyLedger;
import dev.kindling.control.FunctionLayers;
import dev.kindling.control.FunctionPolicies;
import dev.kindling.control.FunctionService;
import dev.kindling.control.FunctionUrlConfigs;
import dev.kindling.control.HttpApiService;
import dev.kindling.control.LayerService;
import dev.kindling.control.ProvisionedConcurrency;
import dev.kindling.control.ReservedConcurrency;
import dev.kindling.api.IamApi;
import dev.kindling.api.StsApi;
import dev.kindling.iam.Iam;
import dev.kindling.iam.Identities;
import dev.kindling.iam.LambdaRoleCheck;
import dev.kindling.iam.SecurityTokens;
import dev.kindling.store.SqlIamRepository;
import dev.kindling.invoke.ConcurrencyLimits;
import dev.kindling.invoke.AsyncInvocations;
import dev.kindling.invoke.Invoker;
import dev.kindling.pool.EnvironmentPool;
import dev.kindling.runtimeapi.RuntimeApiServer;
import dev.kindling.runtimes.JavaSnapshots;
import dev.kindling.runtimes.Jdks;
import dev.kindling.runtimes.RuntimeCatalog;
import dev.kindling.runtimes.SdkBundles;
import dev.kindling.sandbox.EnvironmentStarter;
import dev.kindling.sandbox.SnapStart;
import dev.kindling.sandbox.HostIsolation;
import dev.kindling.sandbox.Sandbox;
import dev.kindling.services.ElasticMq;
import dev.kindling.services.S3Storage;
import dev.kindling.store.Database;
import dev.kindling.store.SqlAliasRepository;
import dev.kindling.store.SqlAsyncEventRepository;
import dev.kindling.store.SqlBucketNotificationRepository;
import dev.kindling.store.SqlEventInvokeConfigRepository;
import dev.kindling.store.SqlEventSourceMappingRepository;
import dev.kindling.store.SqlEventRuleRepository;
import dev.kindling.store.SqlScheduleRepository;
import dev.kindling.store.SqlConcurrencyRepository;
import dev.kindling.store.SqlFunctionPolicyRepository;
import dev.kindling.store.SqlFunctionRepository;
import dev.kindling.store.SqlFunctionUrlConfigRepository;
import dev.kindling.store.SqlHttpApiRepository;
import dev.kindling.store.SqlLayerRepository;
import dev.kindling.store.SqlLogGroupRepository;
import dev.kindling.store.SqlMetricRepository;
import dev.kindling.store.SqlUsageRepository;
import dev.kindling.telemetry.AsyncEventMetrics;
import dev.kindling.triggers.HttpApiGateway;
import dev.kindling.triggers.SqsEventSourceMappings;
import dev.kindling.triggers.SqsQueues;
import dev.kindling.telemetry.EnvironmentMetrics;
import dev.kindling.telemetry.InvocationMetrics;
import dev.kindling.telemetry.LambdaMetrics;
import dev.kindling.telemetry.MetricStore;
import dev.kindling.telemetry.LogGroups;
import dev.kindling.telemetry.LogsService;
import dev.kindling.telemetry.PriceList;
import dev.kindling.telemetry.PrometheusMetrics;
import dev.kindling.telemetry.TriggerInvocationMetrics;
import dev.kindling.triggers.EventDelivery;
import dev.kindling.triggers.EventRouting;
import dev.kindling.triggers.EventRules;
import dev.kindling.triggers.RuleScheduler;
import dev.kindling.triggers.ScheduleRunner;
import dev.kindling.triggers.Schedules;
import dev.kindling.triggers.Ticker;
import dev.kindling.telemetry.UsageMeter;
import dev.kindling.telemetry.UsageStatements;
import dev.kindling.triggers.BucketNotifications;
import dev.kindling.triggers.FunctionUrlRequests;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A running Kindling: the one place that builds every component from a {@link ServerConfig} and wires them together,
 * starts them, and stops them in reverse order.
 */
public final class KindlingServer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KindlingServer.class);
    private final ServerConfig config;
    private final ApiServer api;
    private final Sandbox sandbox;
    /** What {@link #close} stops, in order. */
    private final List<AutoCloseable> stopOrder;

    private KindlingServer(ServerConfig config, ApiServer api, Sandbox sandbox, List<AutoCloseable> stopOrder) {
        this.config = config;
        this.api = api;
        this.sandbox = sandbox;
        this.stopOrder = stopOrder;
    }

    public static KindlingServer start(ServerConfig config) throws Exception {
        if (!config.isLoopback() && config.credentials().containsKey(ServerConfig.DEFAULT_ACCESS_KEY)) {
            throw new IllegalArgumentException("Refusing to listen on " + config.bind() + " with the default access"
                    + " key 'test': anyone who can reach the port could use it. Configure your own key with"
                    + " KINDLING_ACCESS_KEY_ID and KINDLING_SECRET_ACCESS_KEY (or --access-key/--secret-key).");
        }
        Files.createDirectories(config.dataDir());
        List<AutoCloseable> started = new ArrayList<>();
        try {
            S3Storage s3 = S3Storage.onDemand(config.dataDir().resolve("s3"));
            started.add(s3); // stopped last: S3 outlives what invokes functions for its notifications
            Database database = Database.openSqlite(config.dataDir().resolve("kindling.db"));
            started.add(database);
            CodeStore code = new CodeStore(config.dataDir().resolve("code"));
            SqlFunctionRepository functionRepository = new SqlFunctionRepository(database);
            SqlLayerRepository layerRepository = new SqlLayerRepository(database);
            CodeReferences codeReferences = new CodeReferences(code, List.of(functionRepository, layerRepository));
            codeReferences.removeUnreferenced();
            LayerService layers = new LayerService(layerRepository, code, codeReferences, config.region(),
                    config.accountId());
            Iam iam = Iam.of(new SqlIamRepository(database), config.accountId(), config.region());
            Identities identities = new Identities(config.credentials(), config.accountId(),
                    config.credentialLifetime(), Clock.systemUTC());
            // The API's port is bound before environments start, so they can be told the endpoint to call.
            ApiServer api = new ApiServer(config.bind(), config.port(), identities, iam.access());
            String endpoint = functionEndpoint(config.bind(), api.bindPort());
            ElasticMq sqs = ElasticMq.onDemand(URI.create(endpoint), config.dataDir().resolve("sqs"), config.region(),
                    config.accountId());
            sqs.startInBackgroundIfUsed();
            started.add(sqs);
            SqsQueues queues = new SqsQueues(sqs, config.region(), config.accountId(), config.sqsEndpoints());
            started.add(queues);
            Jdks jdks = Jdks.discover(config.javaSettings().homes());
            FunctionService functions = new FunctionService(functionRepository, new SqlAliasRepository(database),
                    code, codeReferences, new FunctionLayers(layerRepository, code, config.region(), config.accountId()),
                    new LambdaRoleCheck(iam.access(), config.strictIam()), new DeadLetterTargets(queues),
                    jdks::problem, config.region(), config.accountId());
            AliasService aliases = new AliasService(functions);
            FunctionPolicies policies = new FunctionPolicies(new SqlFunctionPolicyRepository(database), functions);
            aliases.addListener(policies.aliasListener());
            SqlConcurrencyRepository concurrencySettings = new SqlConcurrencyRepository(database);
            ConcurrencyLedger ledger = new ConcurrencyLedger(concurrencySettings, config.concurrencyLimit());
            ReservedConcurrency reserved = new ReservedConcurrency(concurrencySettings, functions, ledger);
            functions.addListener(reserved);
            RuntimeApiServer runtimeApi = new RuntimeApiServer();
            started.add(runtimeApi);
            LogGroups logs = new LogGroups(config.dataDir().resolve("logs"), config.logLimits(),
                    new SqlLogGroupRepository(database));
            started.add(logs);
            Sandbox sandbox = new Sandbox(HostIsolation.detect(), config.dataDir().resolve("environments"),
                    config.hardCpuQuota());
            started.add(sandbox);
            CodeDownloads downloads = new CodeDownloads(code);
            SdkBundles sdks = new SdkBundles(config.dataDir().resolve("runtimes"), SdkBundles.defaultCache());
            sdks.prefetch();
            RuntimeCatalog runtimes = new RuntimeCatalog(config.dataDir().resolve("runtimes"), sdks, jdks);
            MergedLayers mergedLayers = new MergedLayers(code, config.dataDir().resolve("layers"));
            SnapStart snapStart = new SnapStart(sandbox, code, mergedLayers, runtimes, new JavaSnapshots(
                    config.dataDir().resolve("snapstart"), runtimes.javaRuntimeDir()), identities,
                    config.region(), endpoint, config.javaSettings().snapStartForLatest());
            functions.addListener(snapStart);
            started.add(snapStart); // stopped before the sandbox: no training is left running
            EnvironmentStarter starter = new EnvironmentStarter(sandbox, code, mergedLayers, runtimes, runtimeApi, logs,
                    identities, config.region(), endpoint, snapStart);
            EnvironmentPool pool = new EnvironmentPool(starter, config.idleTimeout(), Clock.systemUTC());
            started.add(pool);
            functions.addListener(pool);
            ProvisionedConcurrency provisioned = new ProvisionedConcurrency(concurrencySettings, functions, ledger,
                    pool, Clock.systemUTC());
            functions.addListener(provisioned);
            aliases.addListener(provisioned);
            Invoker invoker = new Invoker(functions, pool, new ConcurrencyLimits(ledger));
            FunctionUrlConfigs urls = new FunctionUrlConfigs(new SqlFunctionUrlConfigRepository(database), functions,
                    api.port());
            PriceList.forDataDir(config.dataDir()); // a broken prices file stops the start, not a later bill
            UsageMeter usage = new UsageMeter(new SqlUsageRepository(database), provisioned, Clock.systemUTC(),
                    UsageMeter.FLUSH_INTERVAL);
            started.add(started.indexOf(database) + 1, usage); // stops after all that invokes, before the database
            invoker.addObserver(usage);
            PrometheusMetrics metrics = new PrometheusMetrics();
            started.add(metrics);
            MetricStore metricStore = new MetricStore(new SqlMetricRepository(database), config.metricRetention(),
                    MetricStore.FLUSH_INTERVAL, Clock.systemUTC());
            started.add(started.indexOf(database) + 1, metricStore); // written at close, before the database closes
            LambdaMetrics lambdaMetrics = new LambdaMetrics(metricStore, Clock.systemUTC());
            metricStore.sampleEverySecond(() -> lambdaMetrics.concurrency(pool));
            invoker.addObserver(new InvocationMetrics(metrics.registry(), lambdaMetrics));
            metrics.refreshBeforeScrape(new EnvironmentMetrics(metrics.registry(), pool)::refresh);
            SqlAsyncEventRepository eventQueue = new SqlAsyncEventRepository(database);
            AsyncEventMetrics eventMetrics = new AsyncEventMetrics(metrics.registry(), eventQueue::oldestReceivedMillis,
                    Clock.systemUTC(), lambdaMetrics);
            metrics.refreshBeforeScrape(eventMetrics::refresh);
            EventInvokeConfigService eventConfigs = new EventInvokeConfigService(
                    new SqlEventInvokeConfigRepository(database), functions, queues);
            AsyncInvocations events = new AsyncInvocations(eventQueue, functions, invoker, eventConfigs, queues,
                    config.asyncRetryDelay(), config.asyncMaxRunning(), eventMetrics, Clock.systemUTC());
            started.add(events); // stopped before the pool, so an event whose environment stops is not an attempt
            api.serveS3(new S3Api(s3, identities, iam.access(), new BucketNotifications(
                    new SqlBucketNotificationRepository(database), functions, policies, events, queues,
                    config.accountId())));
            EventSourceMappingService mappings = new EventSourceMappingService(
                    new SqlEventSourceMappingRepository(database), functions, queues, Clock.systemUTC());
            SqsEventSourceMappings pollers = new SqsEventSourceMappings(mappings, queues, functions, invoker);
            mappings.addListener(pollers);
            started.add(pollers); // stopped before the pool and ElasticMQ: no batch is left half-handled
            List<ApiServer.Operations> operations = new ArrayList<>(List.of(
                    new FunctionsApi(functions, downloads, ledger, new CodePackages(s3)), downloads, new AliasesApi(functions, aliases),
                    new InvokeApi(functions, invoker, events), new LayersApi(layers, downloads, new CodePackages(s3)),
                    new ConcurrencyApi(functions, reserved, provisioned), new EventInvokeConfigApi(functions, eventConfigs),
                    new PermissionsApi(functions, policies), new FunctionUrlsApi(urls),
                    new UsageApi(new UsageStatements(usage, () -> PriceList.forDataDir(config.dataDir())),
                            Clock.systemUTC())));
            operations.add(new EventSourceMappingsApi(mappings, config.region(), config.accountId()));
            if (config.metricsEndpoint()) {
                operations.add(new MetricsApi(metrics));
            }
            // EventBridge: rules and buses, PutEvents, and the schedules (stopped before the queue they feed).
            EventRules eventRules = new EventRules(new SqlEventRuleRepository(database), config.region(),
                    config.accountId(), config.scheduleClock());
            EventDelivery eventDelivery = new EventDelivery(eventRules, functions, events, policies, queues,
                    TriggerInvocationMetrics.rules(metrics.registry()));
            started.add(eventDelivery); // its retries stop before the queue they feed
            Schedules schedules = new Schedules(new SqlScheduleRepository(database), config.region(),
                    config.accountId(), config.scheduleClock());
            Ticker scheduleTicker = new Ticker(Duration.ofSeconds(1), List.of(
                    new RuleScheduler(eventRules, eventDelivery, config.scheduleClock()),
                    new ScheduleRunner(schedules, functions, events,
                            TriggerInvocationMetrics.schedules(metrics.registry()), config.scheduleClock())));
            started.add(scheduleTicker);
            HttpApiService httpApis = new HttpApiService(new SqlHttpApiRepository(database), config.region(),
                    config.accountId(), api.port(), Clock.systemUTC());
            api.start(operations, List.of(new LogsApi(new LogsService(logs, Clock.systemUTC(), config.region(),
                    config.accountId())), new SqsApi(sqs), new IamApi(iam.roles(), iam.policies()),
                    new StsApi(new SecurityTokens(identities, iam.roles(), iam.access())),
                    new EventsApi(eventRules, new EventRouting(eventRules, eventDelivery, config.scheduleClock())),
                    new SchedulerApi(schedules), new ApiGatewayV2Api(httpApis),
                    new CloudWatchApi(metricStore, Clock.systemUTC())), List.of(new FunctionUrlRoutes(
                            new FunctionUrlRequests(urls, policies, functions, invoker, iam.access()), identities),
                            new ExecuteApi(new HttpApiGateway(httpApis, functions, policies, invoker), identities),
                            new ConsoleAssets(KindlingServer.class.getClassLoader())));
            provisioned.restore();
            events.start();
            pollers.start();
            scheduleTicker.start();
            started.add(api);
            logIsolation(sandbox.host());
            return new KindlingServer(config, api, sandbox, List.copyOf(started.reversed()));
        } catch (Exception | Error e) {
            closeAll(started.reversed());
            throw e;
        }
    }

    /** Where functions reach Kindling's API: its address, or loopback when it listens on every address. */
    private static String functionEndpoint(String bind, int port) {
        boolean wildcard = bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]");
        String host = wildcard ? "127.0.0.1" : bind.contains(":") ? "[" + bind + "]" : bind;
        return "http://" + host + ":" + port;
    }

    /** The sandbox mode in force, and loudly what it cannot guarantee on this host. */
    private static void logIsolation(HostIsolation host) {
        LOG.info("Functions run {}", host.mode());
        host.missingGuarantees().forEach(missing -> LOG.warn("Sandbox: {}", missing));
    }

    public int port() {
        return api.port();
    }

    public HostIsolation isolation() {
        return sandbox.host();
    }

    public String endpoint() {
        String host = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
        return "http://" + host + ":" + port();
    }

    @Override
    public void close() throws Exception {
        closeAll(stopOrder);
    }

    private static void closeAll(List<AutoCloseable> inOrder) throws Exception {
        Exception first = null;
        for (AutoCloseable component : inOrder) {
            try {
                component.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
