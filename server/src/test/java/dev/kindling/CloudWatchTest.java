package dev.kindling;

import static dev.kindling.ServerFixture.assertLambdaError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.DimensionFilter;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * CloudWatch's metrics API through the AWS SDK for Java v2 (which speaks CloudWatch's Smithy RPC v2 CBOR protocol):
 * AWS/Lambda's metrics after a known sequence of invocations, by function, alias and executed version; custom
 * metrics from PutMetricData with their statistics and percentiles; AWS's errors for bad requests. The JSON and query
 * protocols are driven by boto3, the AWS CLIs and the SDK for JavaScript in tests/e2e/cloudwatch.sh.
 */
class CloudWatchTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();
    private static CloudWatchClient cloudWatch;

    @BeforeAll
    static void client() {
        cloudWatch = CloudWatchClient.builder().endpointOverride(URI.create(kindling.server().endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
                .build();
    }

    @AfterAll
    static void close() {
        cloudWatch.close();
    }

    private static final Instant START = Instant.now().minus(Duration.ofMinutes(10));

    private static Dimension dimension(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }

    private static Metric lambdaMetric(String metricName, Dimension... dimensions) {
        return Metric.builder().namespace("AWS/Lambda").metricName(metricName).dimensions(dimensions).build();
    }

    /** The values of one MetricStat query over the last ten minutes, per minute, newest first. */
    private static MetricDataResult query(Metric metric, String stat) {
        GetMetricDataResponse response = cloudWatch.getMetricData(r -> r.startTime(START)
                .endTime(Instant.now().plus(Duration.ofMinutes(1)))
                .metricDataQueries(q -> q.id("m1").metricStat(s -> s.metric(metric).period(60).stat(stat))));
        assertThat(response.metricDataResults()).hasSize(1);
        MetricDataResult result = response.metricDataResults().getFirst();
        assertThat(result.statusCodeAsString()).isEqualTo("Complete");
        return result;
    }

    private static double total(Metric metric, String stat) {
        return query(metric, stat).values().stream().mapToDouble(Double::doubleValue).sum();
    }

    @Test
    void lambdaMetricsAfterAKnownSequenceOfInvocations() throws Exception {
        String name = "watched-" + UUID.randomUUID().toString().substring(0, 8);
        LambdaClient lambda = kindling.lambda();
        lambda.createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py",
                Rendezvous.PYTHON + """
                        def handler(event, context):
                            if event.get("fail"):
                                raise ValueError("failing on purpose")
                            if "port" in event:
                                arrive(event["port"])
                            return "ok"
                        """))).handler("lambda_function.handler").timeout(60).publish(true).build());
        lambda.createAlias(r -> r.functionName(name).name("live").functionVersion("1"));
        try (Rendezvous rendezvous = new Rendezvous()) { // one invocation held running: ConcurrentExecutions
            CompletableFuture<InvokeResponse> held = CompletableFuture.supplyAsync(() -> lambda.invoke(
                    r -> r.functionName(name).payload(SdkBytes.fromUtf8String(rendezvous.event()))));
            Rendezvous.Caller running = rendezvous.next("the invocation runs");
            Metric concurrent = lambdaMetric("ConcurrentExecutions", dimension("FunctionName", name));
            Instant deadline = Instant.now().plusSeconds(30);
            while (total(concurrent, "Maximum") < 1 && Instant.now().isBefore(deadline)) {
                Thread.sleep(100); // polled: the census is sampled every second
            }
            assertThat(query(concurrent, "Maximum").values()).as("sampled while it ran").contains(1.0);
            running.release();
            assertThat(held.join().functionError()).isNull();
        }
        for (int i = 0; i < 4; i++) {
            lambda.invoke(r -> r.functionName(name).payload(SdkBytes.fromUtf8String("{}")));
        }
        for (int i = 0; i < 2; i++) {
            lambda.invoke(r -> r.functionName(name).payload(SdkBytes.fromUtf8String("{\"fail\": true}")));
        }
        lambda.invoke(r -> r.functionName(name).qualifier("live").payload(SdkBytes.fromUtf8String("{}")));
        lambda.putFunctionConcurrency(r -> r.functionName(name).reservedConcurrentExecutions(0));
        try (LambdaClient noRetries = LambdaClient.builder()
                .endpointOverride(URI.create(kindling.server().endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry())).build()) {
            assertLambdaError(() -> noRetries.invoke(r -> r.functionName(name)
                    .payload(SdkBytes.fromUtf8String("{}"))), "TooManyRequestsException", 429);
        }

        Dimension function = dimension("FunctionName", name);
        assertThat(total(lambdaMetric("Invocations", function), "Sum")).isEqualTo(8);
        assertThat(total(lambdaMetric("Errors", function), "Sum")).isEqualTo(2);
        assertThat(total(lambdaMetric("Throttles", function), "Sum")).isEqualTo(1);
        assertThat(total(lambdaMetric("Duration", function), "SampleCount")).isEqualTo(8);
        GetMetricDataResponse rate = cloudWatch.getMetricData(r -> r.startTime(START)
                .endTime(Instant.now().plus(Duration.ofMinutes(1))).metricDataQueries(
                        q -> q.id("errors").returnData(false).metricStat(s -> s.metric(lambdaMetric("Errors",
                                function)).period(3600).stat("Sum")),
                        q -> q.id("invocations").returnData(false).metricStat(s -> s.metric(lambdaMetric(
                                "Invocations", function)).period(3600).stat("Sum")),
                        q -> q.id("availability").label("Success rate (%)")
                                .expression("100 - 100 * errors / MAX([errors, invocations])")));
        assertThat(rate.metricDataResults()).singleElement().satisfies(result -> {
            assertThat(result.label()).isEqualTo("Success rate (%)");
            assertThat(result.values()).as("the console's success rate: 2 errors in 8 invocations, one period")
                    .containsExactly(75.0);
        });
        Dimension alias = dimension("Resource", name + ":live");
        assertThat(total(lambdaMetric("Invocations", function, alias), "Sum")).isEqualTo(1);
        assertThat(total(lambdaMetric("Invocations", function, alias, dimension("ExecutedVersion", "1")), "Sum"))
                .isEqualTo(1);
        assertThat(total(lambdaMetric("Invocations", function, dimension("Resource", name)), "Sum"))
                .as("the unqualified invocations").isEqualTo(7);
        assertThat(total(lambdaMetric("Invocations"), "Sum")).as("the account's figure, no dimensions")
                .isGreaterThanOrEqualTo(8);

        List<Datapoint> durations = cloudWatch.getMetricStatistics(r -> r.namespace("AWS/Lambda")
                .metricName("Duration").dimensions(function).startTime(START)
                .endTime(Instant.now().plus(Duration.ofMinutes(1))).period(3600).extendedStatistics("p50", "p99"))
                .datapoints();
        assertThat(durations).isNotEmpty();
        for (Datapoint point : durations) {
            assertThat(point.unit()).isEqualTo(StandardUnit.MILLISECONDS);
            assertThat(point.extendedStatistics().get("p50")).isPositive()
                    .isLessThanOrEqualTo(point.extendedStatistics().get("p99"));
        }
        List<Datapoint> counted = cloudWatch.getMetricStatistics(r -> r.namespace("AWS/Lambda")
                .metricName("Errors").dimensions(function).startTime(START)
                .endTime(Instant.now().plus(Duration.ofMinutes(1))).period(3600)
                .statistics(Statistic.SUM, Statistic.SAMPLE_COUNT, Statistic.AVERAGE)).datapoints();
        assertThat(counted.stream().mapToDouble(Datapoint::sum).sum()).isEqualTo(2);
        assertThat(counted.stream().mapToDouble(Datapoint::sampleCount).sum()).isEqualTo(8);

        List<Metric> listed = cloudWatch.listMetrics(r -> r.namespace("AWS/Lambda").metricName("Invocations")
                .dimensions(DimensionFilter.builder().name("FunctionName").value(name).build())).metrics();
        assertThat(listed).extracting(Metric::dimensions).containsExactlyInAnyOrder(
                List.of(function), List.of(function, dimension("Resource", name)),
                List.of(dimension("ExecutedVersion", "1"), function, alias), List.of(function, alias));
        lambda.deleteFunction(r -> r.functionName(name));
    }

    @Test
    void asynchronousEventsAreCounted() throws Exception {
        String name = "async-" + UUID.randomUUID().toString().substring(0, 8);
        String gone = name + "-gone";
        LambdaClient lambda = kindling.lambda();
        for (String function : List.of(name, gone)) {
            lambda.createFunction(ServerFixture.create(function, ServerFixture.zipOf(Map.of("lambda_function.py",
                    "def handler(event, context):\n    return 'ok'\n"))).handler("lambda_function.handler").build());
        }
        String goneArn = lambda.getFunction(r -> r.functionName(gone)).configuration().functionArn();
        lambda.putFunctionEventInvokeConfig(r -> r.functionName(name)
                .destinationConfig(d -> d.onSuccess(o -> o.destination(goneArn))));
        lambda.deleteFunction(r -> r.functionName(gone)); // its records cannot be delivered
        assertThat(lambda.invoke(r -> r.functionName(name).invocationType("Event")
                .payload(SdkBytes.fromUtf8String("{}"))).statusCode()).isEqualTo(202);

        Dimension function = dimension("FunctionName", name);
        Metric failures = lambdaMetric("DestinationDeliveryFailures", function);
        Instant deadline = Instant.now().plusSeconds(60);
        while (total(failures, "Sum") < 1 && Instant.now().isBefore(deadline)) {
            Thread.sleep(100); // polled: the event runs on the queue's own time
        }
        assertThat(total(failures, "Sum")).isEqualTo(1);
        assertThat(total(lambdaMetric("AsyncEventsReceived", function), "Sum")).isEqualTo(1);
        assertThat(total(lambdaMetric("AsyncEventAge", function), "SampleCount")).as("one attempt").isEqualTo(1);
        assertThat(query(lambdaMetric("AsyncEventAge", function), "Maximum").values()).allSatisfy(
                age -> assertThat(age).isBetween(0.0, 60_000.0));
        assertThat(total(lambdaMetric("Invocations", function), "Sum")).isEqualTo(1);
        lambda.deleteFunction(r -> r.functionName(name));
    }

    @Test
    void customMetricsWithStatisticsAndPercentiles() {
        String namespace = "Shop/" + UUID.randomUUID().toString().substring(0, 8);
        Dimension store = dimension("Store", "north");
        Instant now = Instant.now();
        cloudWatch.putMetricData(r -> r.namespace(namespace).metricData(
                d -> d.metricName("Latency").dimensions(store).unit(StandardUnit.MILLISECONDS).timestamp(now)
                        .values(10.0, 20.0, 30.0, 400.0).counts(25.0, 25.0, 49.0, 1.0),
                d -> d.metricName("Orders").dimensions(store).unit(StandardUnit.COUNT).timestamp(now).value(3.0),
                d -> d.metricName("Orders").dimensions(store).unit(StandardUnit.COUNT).timestamp(now)
                        .statisticValues(s -> s.sampleCount(2.0).sum(9.0).minimum(4.0).maximum(5.0))));

        Metric latency = Metric.builder().namespace(namespace).metricName("Latency").dimensions(store).build();
        assertThat(query(latency, "SampleCount").values()).containsExactly(100.0);
        assertThat(query(latency, "Maximum").values()).containsExactly(400.0);
        assertThat(query(latency, "Minimum").values()).containsExactly(10.0);
        assertThat(query(latency, "Average").values().getFirst()).isCloseTo(26.2, within(1e-9));
        assertThat(query(latency, "p50").values().getFirst()).as("within the histogram's 1%")
                .isCloseTo(20.0, within(0.2));
        assertThat(query(latency, "p99").values().getFirst()).isCloseTo(30.0, within(0.3));
        assertThat(query(latency, "p100").values()).containsExactly(400.0);
        Metric orders = Metric.builder().namespace(namespace).metricName("Orders").dimensions(store).build();
        assertThat(query(orders, "Sum").values()).containsExactly(12.0);
        assertThat(query(orders, "SampleCount").values()).containsExactly(3.0);
        assertThat(query(orders, "p50").values()).as("a statistic set has no distribution").isEmpty();

        MetricDataResult labelled = cloudWatch.getMetricData(r -> r.startTime(START)
                .endTime(Instant.now().plus(Duration.ofMinutes(1))).scanBy(ScanBy.TIMESTAMP_ASCENDING)
                .metricDataQueries(q -> q.id("latency").label("Shop latency")
                        .metricStat(s -> s.metric(latency).period(300).stat("Sum").unit(StandardUnit.MILLISECONDS)),
                        q -> q.id("hidden").returnData(false).metricStat(s -> s.metric(orders).period(60)
                                .stat("Sum")))).metricDataResults().getFirst();
        assertThat(labelled.label()).isEqualTo("Shop latency");
        assertThat(labelled.values()).containsExactly(2620.0);
        assertThat(query(Metric.builder().namespace(namespace).metricName("Latency").build(), "Sum").values())
                .as("a metric is its whole set of dimensions").isEmpty();
        assertThat(cloudWatch.listMetrics(r -> r.namespace(namespace)).metrics()).extracting(Metric::metricName)
                .containsExactly("Latency", "Orders");
    }

    @Test
    void aFunctionPublishesItsOwnMetrics() {
        String name = "publisher-" + UUID.randomUUID().toString().substring(0, 8);
        String namespace = "Fn/" + name;
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py",
                """
                import boto3
                def handler(event, context):
                    boto3.client("cloudwatch").put_metric_data(Namespace=event["namespace"], MetricData=[
                        {"MetricName": "Orders", "Value": event["orders"], "Unit": "Count"}])
                    return "published"
                """))).handler("lambda_function.handler").timeout(30).build());
        for (int orders : new int[] {3, 4}) {
            var response = kindling.lambda().invoke(r -> r.functionName(name).payload(SdkBytes.fromUtf8String(
                    "{\"namespace\": \"" + namespace + "\", \"orders\": " + orders + "}")));
            assertThat(response.functionError()).as(response.payload().asUtf8String()).isNull();
        }
        Metric orders = Metric.builder().namespace(namespace).metricName("Orders").build();
        assertThat(total(orders, "Sum")).isEqualTo(7);
        assertThat(total(orders, "SampleCount")).isEqualTo(2);
        kindling.lambda().deleteFunction(r -> r.functionName(name));
    }

    @Test
    void badRequestsGetCloudWatchsErrors() {
        Instant now = Instant.now();
        Metric metric = Metric.builder().namespace("Bad").metricName("M").build();
        assertError(() -> cloudWatch.getMetricData(r -> r.startTime(now).endTime(now.minusSeconds(60))
                .metricDataQueries(q -> q.id("m1").metricStat(s -> s.metric(metric).period(60).stat("Sum")))),
                "InvalidParameterValue", 400, "The parameter StartTime must be less than the parameter EndTime.");
        assertError(() -> cloudWatch.getMetricData(r -> r.startTime(START).endTime(now).metricDataQueries(
                q -> q.id("m1").metricStat(s -> s.metric(metric).period(60).stat("Sum")),
                q -> q.id("e1").expression("FILL(m1, 0)"))), "ValidationError", 400, "not FILL");
        assertError(() -> cloudWatch.getMetricData(r -> r.startTime(START).endTime(now).metricDataQueries(
                q -> q.id("e1").expression("m2 * 2"))), "ValidationError", 400, "m2, which is not the id of a query");
        assertError(() -> cloudWatch.getMetricData(r -> r.startTime(START).endTime(now)
                .metricDataQueries(q -> q.id("m1").metricStat(s -> s.metric(metric).period(60).stat("Median")))),
                "InvalidParameterValue", 400, "Median");
        assertError(() -> cloudWatch.getMetricData(r -> r.startTime(START).endTime(now)
                .metricDataQueries(q -> q.id("m1").metricStat(s -> s.metric(metric).period(90).stat("Sum")))),
                "InvalidParameterValue", 400, "multiple of 60");
        assertError(() -> cloudWatch.getMetricStatistics(r -> r.namespace("Bad").metricName("M").startTime(START)
                .endTime(now).period(60)), "InvalidParameterCombination", 400,
                "Must specify either Statistics or ExtendedStatistics");
        assertError(() -> cloudWatch.getMetricStatistics(r -> r.namespace("Bad").metricName("M")
                .startTime(now.minus(Duration.ofDays(2))).endTime(now).period(60).statistics(Statistic.SUM)),
                "InvalidParameterCombination", 400, "You have requested up to 2880 datapoints, which exceeds the"
                        + " limit of 1440.");
        assertError(() -> cloudWatch.putMetricData(r -> r.namespace("AWS/Lambda")
                .metricData(d -> d.metricName("Invocations").value(1.0))), "InvalidParameterValue", 400,
                "The value AWS/ for parameter Namespace is invalid.");
        assertError(() -> cloudWatch.putMetricData(r -> r.namespace("Bad").metricData(
                d -> d.metricName("Fine").value(1.0), d -> d.metricName("M").value(1.0).values(1.0))),
                "InvalidParameterCombination", 400, "The parameters MetricData.member.2.Value and"
                        + " MetricData.member.2.Values are mutually exclusive and you have specified both.");
        assertThat(cloudWatch.listMetrics(r -> r.namespace("Bad")).metrics()).as("nothing half-stored").isEmpty();
        assertError(() -> cloudWatch.describeAlarms(r -> r.alarmNamePrefix("x")), "NotImplemented", 501,
                "DescribeAlarms");
    }

    private static void assertError(Runnable call, String code, int status, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(CloudWatchException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.awsErrorDetails().errorMessage()).contains(message);
        });
    }
}
