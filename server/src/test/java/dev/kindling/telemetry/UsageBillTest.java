package dev.kindling.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.store.Capacity;
import dev.kindling.store.Database;
import dev.kindling.store.SqlUsageRepository;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AWS's worked examples and the free tier, through the code path of real invocations: InvocationReports into a
 * {@link UsageMeter} writing to a real SQLite store, priced by {@link UsageStatements} and {@link UsageBill}.
 */
class UsageBillTest {
    private static final Instant DEC_2 = Instant.parse("2026-12-02T10:15:00Z");
    @TempDir
    Path dir;
    private Database db;
    private SqlUsageRepository repository;

    @BeforeEach
    void open() {
        db = Database.openSqlite(dir.resolve("kindling.db"));
        repository = new SqlUsageRepository(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private UsageMeter meter() {
        return new UsageMeter(repository, List::of, Clock.systemUTC(), Duration.ofHours(1));
    }

    private static InvocationReport report(String function, String architecture, int memoryMb, Instant endedAt,
            double durationMillis, Capacity capacity) {
        return new InvocationReport(function, "$LATEST", architecture, memoryMb, endedAt, durationMillis, -1, 40,
                false, capacity);
    }

    private static void invoke(UsageMeter meter, int times, String function, int memoryMb, Instant endedAt,
            double durationMillis) {
        for (int i = 0; i < times; i++) {
            meter.invoked(report(function, "x86_64", memoryMb, endedAt, durationMillis, Capacity.ON_DEMAND));
        }
    }

    private UsageStatement statement(UsageSource source, UsagePeriod period) {
        return new UsageStatements(source, PriceList::awsUsEast1).of(period);
    }

    private static UsagePeriod december() {
        return UsagePeriod.of(YearMonth.of(2026, 12));
    }

    @Test
    void aMillionInvocationsOf200msAt512MbCost20CentsOfRequestsAnd167OfCompute() {
        try (UsageMeter meter = meter()) {
            invoke(meter, 1_000_000, "example", 512, DEC_2, 199.2); // billed 200 ms: rounded up to the millisecond
        }
        UsageStatement s = statement(repository::between, december());
        UsageStatement.Cost cost = s.total().cost();
        assertThat(s.total().usage().requests()).isEqualTo(1_000_000);
        assertThat(s.total().usage().gbSeconds()).isEqualByComparingTo("100000");
        assertThat(UsageStatement.bill(cost.requests())).isEqualByComparingTo("0.20");
        assertThat(UsageStatement.bill(cost.duration())).isEqualByComparingTo("1.67");
        assertThat(UsageStatement.bill(cost.beforeFreeTier())).isEqualByComparingTo("1.87");
        assertThat(UsageStatement.bill(cost.afterFreeTier())).as("all of it within the free tier").isZero();
    }

    @Test
    void anInvocationOf200msAt256MbCostsAboutAThousandthOfACentAndTheBillIsRoundedNotEachInvocation() {
        try (UsageMeter meter = meter()) {
            invoke(meter, 1, "one", 256, DEC_2, 200);
            invoke(meter, 1_000_000, "many", 256, DEC_2, 200);
        }
        UsageStatement s = statement(repository::between, december());
        UsageStatement.Line one = s.lines().get(1);
        assertThat(one.functionName()).isEqualTo("one");
        assertThat(UsageStatement.shown(one.cost().duration())).isEqualByComparingTo("0.000000833");
        UsageStatement.Line many = s.lines().get(0);
        assertThat(many.cost().duration()).as("exact, not 1,000,000 x 0.000000833")
                .isEqualByComparingTo("0.833335");
        assertThat(UsageStatement.bill(many.cost().duration())).isEqualByComparingTo("0.83");
    }

    @Test
    void architecturesAndProvisionedEnvironmentsArePricedApart() {
        try (UsageMeter meter = meter()) {
            meter.invoked(report("f", "x86_64", 1024, DEC_2, 1000, Capacity.ON_DEMAND));
            meter.invoked(report("f", "arm64", 1024, DEC_2, 1000, Capacity.ON_DEMAND));
            meter.invoked(report("f", "x86_64", 1024, DEC_2, 1000, Capacity.PROVISIONED));
        }
        UsageStatement s = statement(repository::between, december());
        assertThat(s.lines()).extracting(UsageStatement.Line::architecture).containsExactly("arm64", "x86_64");
        assertThat(s.lines().get(0).cost().duration()).isEqualByComparingTo("0.0000133334");
        assertThat(s.lines().get(1).cost().duration()).as("a GB-second on demand and one in a provisioned environment")
                .isEqualByComparingTo(new BigDecimal("0.0000166667").add(new BigDecimal("0.0000097222")));
        assertThat(s.lines().get(1).usage().requests()).isEqualTo(2);
    }

    @Test
    void provisionedConcurrencyIsBilledForTheTimeItIsConfiguredAndNotCoveredByTheFreeTier() {
        MutableClock clock = new MutableClock(DEC_2);
        ProvisionedCapacity twoOf1Gb = () -> List.of(
                new ProvisionedCapacity.Configured("warm", "3", "x86_64", 1024, 2));
        try (UsageMeter meter = new UsageMeter(repository, twoOf1Gb, clock, Duration.ofHours(1))) {
            clock.now = DEC_2.plus(Duration.ofHours(1));
        }
        UsageStatement s = statement(repository::between, december());
        assertThat(s.total().usage().provisionedGbSeconds()).isEqualByComparingTo("7200");
        assertThat(s.total().cost().provisionedConcurrency()).isEqualByComparingTo("0.03000024"); // 7200 x 0.0000041667
        assertThat(UsageStatement.bill(s.total().cost().afterFreeTier())).isEqualByComparingTo("0.03");
    }

    @Test
    void theFreeTierIsPerCalendarMonthAndUsedUpByEarlierUsageInTheMonth() {
        Instant nov30 = Instant.parse("2026-11-30T23:30:00Z");
        Instant dec1 = Instant.parse("2026-12-01T00:30:00Z");
        Instant dec15 = Instant.parse("2026-12-15T12:00:00Z");
        try (UsageMeter meter = meter()) {
            invoke(meter, 1_500_000, "f", 128, nov30, 100); // 500,000 over November's free requests: $0.10
            invoke(meter, 900_000, "f", 128, dec1, 100);
            invoke(meter, 300_000, "f", 128, dec15, 100);  // 200,000 over December's
        }
        UsageSource stored = repository::between;
        UsageStatement november = statement(stored, UsagePeriod.of(YearMonth.of(2026, 11)));
        assertThat(UsageStatement.bill(november.total().cost().afterFreeTier())).isEqualByComparingTo("0.10");
        UsageStatement dec = statement(stored, december());
        assertThat(dec.total().cost().afterFreeTier()).isEqualByComparingTo("0.04"); // compute: 15,000 GB-s, free
        UsageStatement both = statement(stored, new UsagePeriod(nov30.minus(Duration.ofDays(1)), dec15.plusSeconds(7200)));
        assertThat(both.total().cost().afterFreeTier()).isEqualByComparingTo("0.14");

        Clock onDec16 = Clock.fixed(Instant.parse("2026-12-16T00:00:00Z"), ZoneOffset.UTC);
        UsageStatement sinceDec10 = statement(stored, UsagePeriod.parse(Optional.of("2026-12-10"), Optional.empty(),
                onDec16));
        assertThat(sinceDec10.total().usage().requests()).isEqualTo(300_000);
        assertThat(sinceDec10.total().cost().afterFreeTier()).as("December 1 used 900,000 of the free million")
                .isEqualByComparingTo("0.04");
    }

    @Test
    void theFreeTiersGbSecondsAreSharedByArchitecturesAtTheirOwnPrices() {
        try (UsageMeter meter = meter()) {
            // 300,000 GB-seconds on each architecture: 200,000 over the free 400,000, shared half and half.
            for (String architecture : List.of("x86_64", "arm64")) {
                for (int i = 0; i < 300; i++) {
                    meter.invoked(report("f", architecture, 10240, DEC_2, 100_000, Capacity.ON_DEMAND));
                }
            }
        }
        UsageStatement s = statement(repository::between, december());
        BigDecimal overX86 = new BigDecimal("100000").multiply(new BigDecimal("0.0000166667"));
        BigDecimal overArm = new BigDecimal("100000").multiply(new BigDecimal("0.0000133334"));
        assertThat(s.total().cost().afterFreeTier()).isEqualByComparingTo(overX86.add(overArm));
    }

    @Test
    void theMeterSumsAcrossFlushesAndServesWhatItHasNotWritten() {
        try (UsageMeter meter = meter()) {
            invoke(meter, 2, "f", 128, DEC_2, 10);
            meter.flush();
            invoke(meter, 3, "f", 128, DEC_2, 10);
            assertThat(statement(repository::between, december()).total().usage().requests()).isEqualTo(2);
            assertThat(statement(meter, december()).total().usage().requests()).isEqualTo(5);
            meter.flush();
            assertThat(statement(meter, december()).total().usage().requests()).isEqualTo(5);
        }
        assertThat(statement(repository::between, december()).total().usage().gbSeconds())
                .isEqualByComparingTo(new BigDecimal(5 * 10 * 128).divide(new BigDecimal(1_024_000)));
    }

    @Test
    void usageThatCannotBeWrittenWaitsForTheNextFlush() {
        boolean[] failing = {true};
        dev.kindling.store.UsageRepository flaky = new dev.kindling.store.UsageRepository() {
            @Override
            public void add(java.util.Collection<dev.kindling.store.UsageRecord> batch) {
                if (failing[0]) {
                    throw new dev.kindling.store.StoreException("disk full", null);
                }
                repository.add(batch);
            }

            @Override
            public List<dev.kindling.store.UsageRecord> between(Instant from, Instant to) {
                return repository.between(from, to);
            }
        };
        try (UsageMeter meter = new UsageMeter(flaky, List::of, Clock.systemUTC(), Duration.ofHours(1))) {
            invoke(meter, 4, "f", 128, DEC_2, 10);
            org.assertj.core.api.Assertions.assertThatThrownBy(meter::flush).hasMessageContaining("disk full");
            assertThat(statement(meter, december()).total().usage().requests()).isEqualTo(4);
            failing[0] = false;
        }
        assertThat(statement(repository::between, december()).total().usage().requests()).isEqualTo(4);
    }

    private static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
