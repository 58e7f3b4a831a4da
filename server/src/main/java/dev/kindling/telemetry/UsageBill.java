package dev.kindling.telemetry;

import dev.kindling.store.Capacity;
import dev.kindling.store.UsageRecord;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prices metered usage as AWS bills it: a pure function of the usage rows and a price list.
 *
 * <ul>
 * <li>each request costs the request price; each GB-second of duration the architecture's price, lower in an
 * environment kept for provisioned concurrency; each GB-second of provisioned concurrency configured its own price;
 * <li>the free tier (1,000,000 requests and 400,000 GB-seconds a calendar month, UTC, account-wide, both architectures
 * together) covers on-demand requests and duration only, as AWS's does not cover provisioned concurrency. Usage earlier
 * in the same month, before the period, uses it up first; what is left of it is shared among the period's lines in
 * proportion to their on-demand requests and GB-seconds, and a GB-second it covers is worth its architecture's price;
 * <li>amounts stay exact (integers of MB-milliseconds, decimal prices) until a bill is rounded to the cent.
 * </ul>
 */
public final class UsageBill {
    /** MB-milliseconds in a GB-second: AWS's GB is 1,024 MB. */
    static final BigDecimal MB_MS_PER_GB_SECOND = BigDecimal.valueOf(1_024_000);
    private static final MathContext SHARES = MathContext.DECIMAL128;

    private UsageBill() {}

    /**
     * @param inPeriod the usage rows of the period
     * @param earlierInItsMonths rows of the period's first month before the period starts: they use up free tier
     */
    public static UsageStatement compute(UsagePeriod period, List<UsageRecord> inPeriod,
            List<UsageRecord> earlierInItsMonths, PriceList prices) {
        Map<LineKey, Accumulator> lines = new TreeMap<>(LineKey.ORDER);
        for (UsageRecord row : inPeriod) {
            UsageRecord.Key key = row.key();
            lines.computeIfAbsent(new LineKey(key.functionName(), key.architecture()), k -> new Accumulator())
                    .add(row, prices);
        }
        Map<YearMonth, FreeTierLeft> freeTier = freeTierLeft(inPeriod, earlierInItsMonths);
        for (UsageRecord row : inPeriod) {
            if (row.key().capacity() == Capacity.ON_DEMAND) {
                LineKey line = new LineKey(row.key().functionName(), row.key().architecture());
                lines.get(line).freeTier = lines.get(line).freeTier
                        .add(freeTier.get(monthOf(row.key().hour())).credit(row, prices));
            }
        }
        List<UsageStatement.Line> out = new ArrayList<>();
        Accumulator total = new Accumulator();
        lines.forEach((key, acc) -> {
            out.add(acc.line(key.functionName(), key.architecture()));
            total.add(acc);
        });
        return new UsageStatement(period, prices.source(), List.copyOf(out), total.total());
    }

    /** The free tier each month of the period has left for it, and the on-demand usage that shares it. */
    private static Map<YearMonth, FreeTierLeft> freeTierLeft(List<UsageRecord> inPeriod, List<UsageRecord> earlier) {
        Map<YearMonth, FreeTierLeft> months = new TreeMap<>();
        for (UsageRecord row : earlier) {
            if (row.key().capacity() == Capacity.ON_DEMAND) {
                months.computeIfAbsent(monthOf(row.key().hour()), m -> new FreeTierLeft()).usedBefore(row);
            }
        }
        for (UsageRecord row : inPeriod) {
            if (row.key().capacity() == Capacity.ON_DEMAND) {
                months.computeIfAbsent(monthOf(row.key().hour()), m -> new FreeTierLeft()).sharedBy(row);
            }
        }
        return months;
    }

    private static YearMonth monthOf(Instant hour) {
        return YearMonth.from(hour.atZone(ZoneOffset.UTC));
    }

    static BigDecimal gbSeconds(long mbMs) {
        return new BigDecimal(mbMs).divide(MB_MS_PER_GB_SECOND); // exact: 1,024,000 = 2^13 * 5^3
    }

    private record LineKey(String functionName, String architecture) {
        static final Comparator<LineKey> ORDER = Comparator.comparing(LineKey::functionName)
                .thenComparing(LineKey::architecture);
    }

    /** One month's free tier: what usage before the period left of it, shared by the period's on-demand usage. */
    private static final class FreeTierLeft {
        private long requestsBefore;
        private long mbMsBefore;
        private long requestsSharing;
        private long mbMsSharing;

        void usedBefore(UsageRecord row) {
            requestsBefore += row.amounts().requests();
            mbMsBefore += row.amounts().billedMbMs();
        }

        void sharedBy(UsageRecord row) {
            requestsSharing += row.amounts().requests();
            mbMsSharing += row.amounts().billedMbMs();
        }

        /** The dollars the free tier takes off one on-demand row of the period. */
        BigDecimal credit(UsageRecord row, PriceList prices) {
            BigDecimal requests = covered(prices.freeRequests(), requestsBefore, requestsSharing,
                    row.amounts().requests()).multiply(prices.perRequest());
            BigDecimal freeMbMs = prices.freeGbSeconds().multiply(MB_MS_PER_GB_SECOND);
            BigDecimal mbMs = covered(freeMbMs, mbMsBefore, mbMsSharing, row.amounts().billedMbMs());
            BigDecimal duration = mbMs.divide(MB_MS_PER_GB_SECOND, SHARES)
                    .multiply(prices.perDurationGbSecond(row.key().architecture(), Capacity.ON_DEMAND));
            return requests.add(duration);
        }

        /** The part of {@code mine} the free amount left after {@code before} covers, shared among {@code all}. */
        private static BigDecimal covered(BigDecimal free, long before, long all, long mine) {
            if (all == 0 || mine == 0) {
                return BigDecimal.ZERO;
            }
            BigDecimal left = free.subtract(BigDecimal.valueOf(before)).max(BigDecimal.ZERO);
            BigDecimal coveredOfAll = left.min(BigDecimal.valueOf(all));
            return coveredOfAll.multiply(BigDecimal.valueOf(mine)).divide(BigDecimal.valueOf(all), SHARES);
        }
    }

    /** Sums of one line, or of all of them. */
    private static final class Accumulator {
        long requests;
        long billedMbMs;
        long configuredMbMs;
        BigDecimal requestCost = BigDecimal.ZERO;
        BigDecimal durationCost = BigDecimal.ZERO;
        BigDecimal provisionedCost = BigDecimal.ZERO;
        BigDecimal freeTier = BigDecimal.ZERO;

        void add(UsageRecord row, PriceList prices) {
            UsageRecord.Amounts a = row.amounts();
            String architecture = row.key().architecture();
            requests += a.requests();
            billedMbMs += a.billedMbMs();
            configuredMbMs += a.configuredMbMs();
            requestCost = requestCost.add(prices.perRequest().multiply(BigDecimal.valueOf(a.requests())));
            durationCost = durationCost.add(gbSeconds(a.billedMbMs())
                    .multiply(prices.perDurationGbSecond(architecture, row.key().capacity())));
            provisionedCost = provisionedCost.add(gbSeconds(a.configuredMbMs())
                    .multiply(prices.perProvisionedGbSecond(architecture)));
        }

        void add(Accumulator other) {
            requests += other.requests;
            billedMbMs += other.billedMbMs;
            configuredMbMs += other.configuredMbMs;
            requestCost = requestCost.add(other.requestCost);
            durationCost = durationCost.add(other.durationCost);
            provisionedCost = provisionedCost.add(other.provisionedCost);
            freeTier = freeTier.add(other.freeTier);
        }

        UsageStatement.Line line(String functionName, String architecture) {
            return new UsageStatement.Line(functionName, architecture, usage(), cost());
        }

        UsageStatement.Total total() {
            return new UsageStatement.Total(usage(), cost());
        }

        private UsageStatement.Usage usage() {
            return new UsageStatement.Usage(requests, gbSeconds(billedMbMs), gbSeconds(configuredMbMs));
        }

        private UsageStatement.Cost cost() {
            return new UsageStatement.Cost(requestCost, durationCost, provisionedCost, freeTier);
        }
    }
}
