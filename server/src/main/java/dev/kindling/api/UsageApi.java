package dev.kindling.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.telemetry.UsagePeriod;
import dev.kindling.telemetry.UsageStatement;
import dev.kindling.telemetry.UsageStatements;
import java.math.BigDecimal;
import java.time.Clock;

/**
 * Kindling's own usage report (no AWS API has one): {@code GET /kindling/usage?since=7d} or {@code ?month=2026-12},
 * signed like any request, answered with the usage statement as JSON (docs/usage.md). Figures include usage the
 * meter has not written to the database yet.
 */
public final class UsageApi implements ApiServer.Operations {
    private final UsageStatements statements;
    private final Clock clock;

    public UsageApi(UsageStatements statements, Clock clock) {
        this.statements = statements;
        this.clock = clock;
    }

    @Override
    public void addRoutes(Router router) {
        router.add("GetUsage", "GET", "/kindling/usage", this::get);
    }

    private ApiResponse get(ApiRequest request) {
        UsagePeriod period;
        try {
            period = UsagePeriod.parse(request.queryParam("since"), request.queryParam("month"), clock);
        } catch (UsagePeriod.InvalidPeriodException e) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, e.getMessage());
        }
        return ApiResponse.json(200, json(statements.of(period)));
    }

    static ObjectNode json(UsageStatement statement) {
        ObjectNode out = Json.object();
        out.putObject("Period").put("Start", statement.period().from().toString())
                .put("End", statement.period().to().toString());
        out.put("Prices", statement.prices()).put("Currency", "USD");
        var functions = out.putArray("Functions");
        for (UsageStatement.Line line : statement.lines()) {
            ObjectNode f = functions.addObject().put("FunctionName", line.functionName())
                    .put("Architecture", line.architecture());
            usage(f, line.usage());
            cost(f.putObject("Cost"), line.cost());
        }
        ObjectNode total = out.putObject("Total");
        usage(total, statement.total().usage());
        cost(total.putObject("Cost"), statement.total().cost());
        ObjectNode bill = out.putObject("Bill");
        number(bill, "BeforeFreeTier", UsageStatement.bill(statement.total().cost().beforeFreeTier()));
        number(bill, "AfterFreeTier", UsageStatement.bill(statement.total().cost().afterFreeTier()));
        return out;
    }

    private static void usage(ObjectNode node, UsageStatement.Usage usage) {
        node.put("Requests", usage.requests());
        number(node, "GBSeconds", usage.gbSeconds());
        number(node, "ProvisionedGBSeconds", usage.provisionedGbSeconds());
    }

    private static void cost(ObjectNode node, UsageStatement.Cost cost) {
        number(node, "Requests", UsageStatement.shown(cost.requests()));
        number(node, "Duration", UsageStatement.shown(cost.duration()));
        number(node, "ProvisionedConcurrency", UsageStatement.shown(cost.provisionedConcurrency()));
        number(node, "BeforeFreeTier", UsageStatement.shown(cost.beforeFreeTier()));
        number(node, "FreeTier", UsageStatement.shown(cost.freeTier()));
        number(node, "AfterFreeTier", UsageStatement.shown(cost.afterFreeTier()));
    }

    /** A decimal written as it reads (0.000000833, never 8.33E-7), so that a reader's figures are the bill's. */
    private static void number(ObjectNode node, String name, BigDecimal value) {
        node.putRawValue(name, new RawValue(value.toPlainString()));
    }
}
