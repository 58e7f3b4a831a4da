package dev.kindling.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.telemetry.MetricStore;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * CloudWatch's metrics API on the one port (signing name {@code monitoring}; docs/metrics.md): GetMetricData,
 * GetMetricStatistics, ListMetrics and PutMetricData over each of the service's three wire protocols, the request's
 * own ({@link CloudWatchWire}). CloudWatch's other operations (alarms, dashboards, streams) answer NotImplemented,
 * in that protocol too.
 */
public final class CloudWatchApi implements ApiServer.Service {
    /** CloudWatch's operations in its model (2010-08-01) that Kindling does not serve. */
    private static final Set<String> NOT_SERVED = Set.of("DeleteAlarmMuteRule", "DeleteAlarms",
            "DeleteAnomalyDetector", "DeleteDashboards", "DeleteInsightRules", "DeleteMetricStream",
            "DescribeAlarmContributors", "DescribeAlarmHistory", "DescribeAlarms", "DescribeAlarmsForMetric",
            "DescribeAnomalyDetectors", "DescribeInsightRules", "DisableAlarmActions", "DisableInsightRules",
            "EnableAlarmActions", "EnableInsightRules", "GetAlarmMuteRule", "GetDashboard", "GetInsightRuleReport",
            "GetMetricStream", "GetMetricWidgetImage", "GetOTelEnrichment", "ListAlarmMuteRules", "ListDashboards",
            "ListManagedInsightRules", "ListMetricStreams", "ListTagsForResource", "PutAlarmMuteRule",
            "PutAnomalyDetector", "PutCompositeAlarm", "PutDashboard", "PutInsightRule", "PutManagedInsightRules",
            "PutMetricAlarm", "PutMetricStream", "SetAlarmState", "StartMetricStreams", "StartOTelEnrichment",
            "StopMetricStreams", "StopOTelEnrichment", "TagResource", "UntagResource");

    private final Map<String, Function<CloudWatchInput, ObjectNode>> operations;

    public CloudWatchApi(MetricStore store, Clock clock) {
        CloudWatchStatistics statistics = new CloudWatchStatistics(store);
        operations = Map.of("GetMetricData", statistics::getMetricData,
                "GetMetricStatistics", statistics::getMetricStatistics,
                "ListMetrics", new CloudWatchListMetrics(store, clock)::listMetrics,
                "PutMetricData", new CloudWatchMetricWrites(store, clock)::putMetricData);
    }

    @Override
    public ServiceRoutes routes() {
        return new Routes(new CloudWatchQuery());
    }

    /** The routes of one protocol; the request picks which ({@link #forRequest}). */
    private final class Routes implements ServiceRoutes {
        private final CloudWatchWire wire;

        Routes(CloudWatchWire wire) {
            this.wire = wire;
        }

        @Override
        public String signingName() {
            return "monitoring";
        }

        @Override
        public ServiceRoutes forRequest(ApiRequest request) {
            if (CloudWatchCbor.speaks(request)) {
                return new Routes(new CloudWatchCbor());
            }
            if (request.header("X-Amz-Target").isPresent()) {
                return new Routes(new CloudWatchJson());
            }
            return new Routes(new CloudWatchQuery());
        }

        @Override
        public boolean routesByBody() {
            return wire.namesOperationInBody();
        }

        @Override
        public Router.Match route(ApiRequest request) {
            String operation = wire.operation(request);
            if (operation.isEmpty() && wire.namesOperationInBody() && request.body().length == 0) {
                // The query protocol names its operation in the body, not read yet: route again once it is.
                return new Router.Match("CloudWatch", r -> answer("", r), request, true);
            }
            return new Router.Match(operation.isEmpty() ? "CloudWatch" : operation, r -> answer(operation, r),
                    request, true);
        }

        private ApiResponse answer(String operation, ApiRequest request) {
            try {
                Function<CloudWatchInput, ObjectNode> run = operations.get(operation);
                if (run == null) {
                    throw NOT_SERVED.contains(operation) ? CloudWatchError.notImplemented(operation)
                            : CloudWatchError.invalidAction(operation);
                }
                return wire.output(operation, run.apply(CloudWatchInput.of(wire.input(request))),
                        request.requestId());
            } catch (CloudWatchError e) {
                return wire.error(e, request.requestId());
            }
        }

        @Override
        public ApiResponse error(LambdaException e) {
            String code = QueryProtocolRouter.commonQueryCode(e.type()).orElseGet(() ->
                    e.type() == ErrorType.ServiceException ? "InternalServiceError" : e.type().name());
            return wire.error(CloudWatchError.of(e.type().status(), code, e.getMessage()), "");
        }
    }
}
