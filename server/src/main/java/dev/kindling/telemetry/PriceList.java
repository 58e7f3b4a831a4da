package dev.kindling.telemetry;

import dev.kindling.store.Capacity;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * What Lambda usage costs, in US dollars: AWS's us-east-1 prices unless a prices file ({@value #FILE_NAME} in the
 * data directory) overrides some of them. The file is a Java properties file with the keys of {@link #AWS_US_EAST_1}
 * (docs/usage.md lists them); it is read whenever a bill is computed, so a change applies to every figure at once,
 * past usage included: usage is stored as amounts, never as dollars.
 */
public final class PriceList {
    public static final String FILE_NAME = "prices.properties";
    private static final String REQUESTS = "requests.per-million";
    private static final String FREE_REQUESTS = "free-tier.requests";
    private static final String FREE_GB_SECONDS = "free-tier.gb-seconds";
    private static final String DURATION = "duration.";
    private static final String PROVISIONED_DURATION = "provisioned-duration.";
    private static final String PROVISIONED_CONCURRENCY = "provisioned-concurrency.";
    public static final String X86_64 = "x86_64";
    public static final String ARM64 = "arm64";

    /**
     * AWS's prices in US East (N. Virginia), first pricing tier (aws.amazon.com/lambda/pricing): per GB-second of
     * duration on demand, of duration in a provisioned environment, and of provisioned concurrency configured.
     */
    public static final Map<String, String> AWS_US_EAST_1 = prices();

    private static Map<String, String> prices() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(REQUESTS, "0.20");
        p.put(DURATION + X86_64, "0.0000166667");
        p.put(DURATION + ARM64, "0.0000133334");
        p.put(PROVISIONED_DURATION + X86_64, "0.0000097222");
        p.put(PROVISIONED_DURATION + ARM64, "0.0000077778");
        p.put(PROVISIONED_CONCURRENCY + X86_64, "0.0000041667");
        p.put(PROVISIONED_CONCURRENCY + ARM64, "0.0000033334");
        p.put(FREE_REQUESTS, "1000000");
        p.put(FREE_GB_SECONDS, "400000");
        return Map.copyOf(p);
    }

    private final Map<String, BigDecimal> prices;
    private final String source;

    private PriceList(Map<String, BigDecimal> prices, String source) {
        this.prices = prices;
        this.source = source;
    }

    public static PriceList awsUsEast1() {
        return parse(AWS_US_EAST_1, "AWS us-east-1 prices");
    }

    /**
     * The prices in force for a data directory: its prices file over AWS's us-east-1 prices.
     *
     * @throws IllegalArgumentException if the file has an unknown key or a value that is not a price
     */
    public static PriceList forDataDir(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return awsUsEast1();
        }
        Properties read = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            read.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the prices file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> merged = new LinkedHashMap<>(AWS_US_EAST_1);
        for (String key : read.stringPropertyNames()) {
            if (!AWS_US_EAST_1.containsKey(key)) {
                throw new IllegalArgumentException("the prices file " + file + " has an unknown key '" + key
                        + "'; the keys are " + new TreeSet<>(AWS_US_EAST_1.keySet()));
            }
            merged.put(key, read.getProperty(key).trim());
        }
        return parse(merged, file + " over AWS us-east-1 prices");
    }

    private static PriceList parse(Map<String, String> values, String source) {
        Map<String, BigDecimal> parsed = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            try {
                BigDecimal price = new BigDecimal(value);
                if (price.signum() < 0) {
                    throw new NumberFormatException("negative");
                }
                parsed.put(key, price);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + key + "' in " + source + " must be a decimal number of 0 or"
                        + " more, not '" + value + "'");
            }
        });
        return new PriceList(Map.copyOf(parsed), source);
    }

    /** Where the prices come from, to say so beside a bill. */
    public String source() {
        return source;
    }

    public BigDecimal perRequest() {
        return prices.get(REQUESTS).movePointLeft(6);
    }

    /** The price of a GB-second of invocation duration on {@code architecture} in environments of {@code capacity}. */
    public BigDecimal perDurationGbSecond(String architecture, Capacity capacity) {
        return price((capacity == Capacity.PROVISIONED ? PROVISIONED_DURATION : DURATION) + architecture);
    }

    /** The price of a GB-second of provisioned concurrency configured on {@code architecture}. */
    public BigDecimal perProvisionedGbSecond(String architecture) {
        return price(PROVISIONED_CONCURRENCY + architecture);
    }

    /** Requests free each calendar month, account-wide. */
    public BigDecimal freeRequests() {
        return prices.get(FREE_REQUESTS);
    }

    /** GB-seconds of on-demand duration free each calendar month, account-wide, both architectures together. */
    public BigDecimal freeGbSeconds() {
        return prices.get(FREE_GB_SECONDS);
    }

    private BigDecimal price(String key) {
        BigDecimal price = prices.get(key);
        if (price == null) {
            throw new IllegalArgumentException("no price for '" + key + "': architectures are x86_64 and arm64");
        }
        return price;
    }
}
