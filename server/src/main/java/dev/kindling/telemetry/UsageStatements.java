package dev.kindling.telemetry;

import dev.kindling.store.UsageRecord;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Usage statements for periods: reads the period's usage, and the usage of its first month before it (which uses up
 * that month's free tier first), and prices it with the prices in force ({@link UsageBill}).
 */
public final class UsageStatements {
    private final UsageSource usage;
    private final Supplier<PriceList> prices;

    /** @param prices read for every statement, so a changed prices file applies at once */
    public UsageStatements(UsageSource usage, Supplier<PriceList> prices) {
        this.usage = usage;
        this.prices = prices;
    }

    public UsageStatement of(UsagePeriod period) {
        PriceList priceList = prices.get();
        Instant monthStart = YearMonth.from(period.from().atZone(ZoneOffset.UTC)).atDay(1)
                .atStartOfDay(ZoneOffset.UTC).toInstant();
        List<UsageRecord> earlier = new ArrayList<>();
        List<UsageRecord> inPeriod = new ArrayList<>();
        for (UsageRecord row : usage.between(monthStart, period.to())) {
            (row.key().hour().isBefore(period.from()) ? earlier : inPeriod).add(row);
        }
        return UsageBill.compute(period, inPeriod, earlier, priceList);
    }
}
