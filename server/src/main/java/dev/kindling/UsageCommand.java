package dev.kindling;

import dev.kindling.store.Database;
import dev.kindling.store.SqlUsageRepository;
import dev.kindling.store.StoreException;
import dev.kindling.telemetry.PriceList;
import dev.kindling.telemetry.UsageMeter;
import dev.kindling.telemetry.UsagePeriod;
import dev.kindling.telemetry.UsageStatement;
import dev.kindling.telemetry.UsageStatements;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kindling usage}: the usage statement of a period as a table, read from the data directory's database
 * (beside a running server, which writes its usage every {@link UsageMeter#FLUSH_INTERVAL}).
 */
@Command(name = "usage", mixinStandardHelpOptions = true,
        description = "Print what each function used and would cost on AWS Lambda in a period (default: this month,"
                + " UTC): requests, GB-seconds, cost before and after the monthly free tier.")
final class UsageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", defaultValue = "${env:KINDLING_DATA_DIR:-kindling-data}",
            description = "data directory (env KINDLING_DATA_DIR, default ./kindling-data)")
    Path dataDir;

    @Option(names = "--since", description = "from a duration ago (30m, 12h, 7d, 2w, PT12H) or a date or time"
            + " (2026-12-01, 2026-12-01T10:00:00Z) to now; counted from the start of that hour")
    Optional<String> since;

    @Option(names = "--month", description = "a calendar month, UTC, as YYYY-MM")
    Optional<String> month;

    private final Clock clock;

    UsageCommand() {
        this(Clock.systemUTC());
    }

    UsageCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        UsagePeriod period;
        PriceList prices;
        try {
            period = UsagePeriod.parse(since, month, clock);
            prices = PriceList.forDataDir(dataDir);
        } catch (IllegalArgumentException e) {
            err.println("kindling usage: " + e.getMessage());
            return 2;
        }
        Path file = dataDir.resolve("kindling.db");
        try (Database db = Database.openSqliteReadOnly(file)) {
            UsageStatement statement = new UsageStatements(new SqlUsageRepository(db)::between, () -> prices)
                    .of(period);
            print(statement, spec.commandLine().getOut());
            return 0;
        } catch (StoreException e) {
            err.println("kindling usage: cannot read usage from " + file + ": " + e.getMessage());
            return 1;
        }
    }

    private static final String ROW = "%-32s %-7s %12s %18s %18s %16s %16s%n";

    static void print(UsageStatement s, PrintWriter out) {
        out.printf("Usage from %s to %s (UTC); prices: %s%n", s.period().from(), s.period().to(), s.prices());
        out.printf(ROW, "FUNCTION", "ARCH", "REQUESTS", "GB-SECONDS", "PROVISIONED GB-S", "COST USD",
                "AFTER FREE TIER");
        for (UsageStatement.Line line : s.lines()) {
            row(out, line.functionName(), line.architecture(), line.usage(), line.cost());
        }
        row(out, "TOTAL", "", s.total().usage(), s.total().cost());
        out.printf("Bill, rounded to the cent as AWS rounds it: $%s before the free tier, $%s after it.%n",
                UsageStatement.bill(s.total().cost().beforeFreeTier()),
                UsageStatement.bill(s.total().cost().afterFreeTier()));
        out.printf("A running server writes its usage every %d s; GET /kindling/usage includes what it has not.%n",
                UsageMeter.FLUSH_INTERVAL.toSeconds());
        out.flush();
    }

    private static void row(PrintWriter out, String function, String architecture, UsageStatement.Usage usage,
            UsageStatement.Cost cost) {
        out.printf(ROW, function, architecture, usage.requests(), decimals(usage.gbSeconds(), 6),
                decimals(usage.provisionedGbSeconds(), 6), decimals(cost.beforeFreeTier(), UsageStatement.LINE_SCALE),
                decimals(cost.afterFreeTier(), UsageStatement.LINE_SCALE));
    }

    private static String decimals(BigDecimal value, int places) {
        return value.setScale(places, RoundingMode.HALF_UP).toPlainString();
    }
}
