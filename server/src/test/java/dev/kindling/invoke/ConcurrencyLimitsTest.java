package dev.kindling.invoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.LambdaException.ThrottleReason;
import dev.kindling.control.ConcurrencyReservations;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every rule of the concurrency pools, without threads or invocations: slots are taken and given back by hand. */
class ConcurrencyLimitsTest {
    /** Reservations the test changes as it goes, over an account of {@code limit}. */
    private static final class Account implements ConcurrencyReservations {
        final int limit;
        final Map<String, Integer> reserved = new HashMap<>();
        final Map<String, Integer> provisioned = new HashMap<>();

        Account(int limit) {
            this.limit = limit;
        }

        @Override
        public Optional<Integer> reservedFor(String functionName) {
            return Optional.ofNullable(reserved.get(functionName));
        }

        @Override
        public int provisionedFor(String functionName) {
            return provisioned.getOrDefault(functionName, 0);
        }

        /** The limit less reservations, and less provisioned concurrency of functions without a reservation. */
        @Override
        public int unreservedPool() {
            int setAside = reserved.values().stream().mapToInt(Integer::intValue).sum();
            for (var p : provisioned.entrySet()) {
                setAside += reserved.containsKey(p.getKey()) ? 0 : p.getValue();
            }
            return limit - setAside;
        }
    }

    private static void assertThrottled(Runnable call, ThrottleReason reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(LambdaException.class, e -> {
            assertThat(e.type()).isEqualTo(ErrorType.TooManyRequestsException);
            assertThat(e.reason()).contains(reason);
            assertThat(e.getMessage()).isEqualTo("Rate Exceeded.");
        });
    }

    @Test
    void functionsWithoutAReservationShareTheUnreservedPool() {
        Account account = new Account(3);
        account.reserved.put("reserved", 1);
        ConcurrencyLimits limits = new ConcurrencyLimits(account);
        ConcurrencyLimits.Slot a = limits.acquire("a");
        limits.acquire("b");
        assertThrottled(() -> limits.acquire("a"), ThrottleReason.ConcurrentInvocationLimitExceeded);
        assertThrottled(() -> limits.acquire("c"), ThrottleReason.ConcurrentInvocationLimitExceeded);
        limits.acquire("reserved"); // its own pool is untouched by the others
        a.close();
        limits.acquire("c");
    }

    @Test
    void aReservationCapsItsFunctionAndZeroStopsIt() {
        Account account = new Account(1000);
        account.reserved.put("one", 1);
        account.reserved.put("off", 0);
        ConcurrencyLimits limits = new ConcurrencyLimits(account);
        ConcurrencyLimits.Slot first = limits.acquire("one");
        assertThrottled(() -> limits.acquire("one"), ThrottleReason.ReservedFunctionConcurrentInvocationLimitExceeded);
        assertThrottled(() -> limits.acquire("off"), ThrottleReason.ReservedFunctionConcurrentInvocationLimitExceeded);
        first.close();
        first.close(); // a second close gives back nothing more
        limits.acquire("one");
        assertThrottled(() -> limits.acquire("one"), ThrottleReason.ReservedFunctionConcurrentInvocationLimitExceeded);
    }

    @Test
    void aChangedReservationAppliesToInvocationsThatStartAfterIt() {
        Account account = new Account(200);
        ConcurrencyLimits limits = new ConcurrencyLimits(account);
        ConcurrencyLimits.Slot unreserved = limits.acquire("f");
        limits.acquire("f");

        account.reserved.put("f", 2);
        assertThrottled(() -> limits.acquire("f"), ThrottleReason.ReservedFunctionConcurrentInvocationLimitExceeded);
        unreserved.close();
        assertThat(limits.inFlight("f")).isEqualTo(1);
        ConcurrencyLimits.Slot reserved = limits.acquire("f");

        account.reserved.remove("f");
        limits.acquire("f");
        assertThat(limits.inFlight("f")).isEqualTo(3);
        reserved.close();
        assertThat(limits.inFlight("f")).isEqualTo(2);
    }

    @Test
    void slotsTakenFromTheUnreservedPoolGoBackToIt() {
        Account account = new Account(101);
        ConcurrencyLimits limits = new ConcurrencyLimits(account);
        java.util.List<ConcurrencyLimits.Slot> slots = new java.util.ArrayList<>();
        for (int i = 0; i < 101; i++) {
            slots.add(limits.acquire("f" + i));
        }
        assertThrottled(() -> limits.acquire("g"), ThrottleReason.ConcurrentInvocationLimitExceeded);
        // A reservation made meanwhile shrinks the pool for new invocations; the slots held still give back theirs.
        account.reserved.put("f0", 1);
        slots.forEach(ConcurrencyLimits.Slot::close);
        for (int i = 0; i < 100; i++) {
            limits.acquire("h" + i);
        }
        assertThrottled(() -> limits.acquire("g"), ThrottleReason.ConcurrentInvocationLimitExceeded);
        limits.acquire("f0");
    }

    @Test
    void provisionedConcurrencyCoversThatManyInvocationsOutsideTheUnreservedPool() {
        Account account = new Account(3);
        account.provisioned.put("warm", 2); // the unreserved pool is 1
        ConcurrencyLimits limits = new ConcurrencyLimits(account);
        limits.acquire("warm");
        ConcurrencyLimits.Slot second = limits.acquire("warm");
        ConcurrencyLimits.Slot spilled = limits.acquire("warm"); // beyond the provisioned: from the pool
        assertThrottled(() -> limits.acquire("other"), ThrottleReason.ConcurrentInvocationLimitExceeded);
        spilled.close();
        ConcurrencyLimits.Slot other = limits.acquire("other");
        assertThrottled(() -> limits.acquire("warm"), ThrottleReason.ConcurrentInvocationLimitExceeded);
        second.close();
        limits.acquire("warm");
        other.close();
    }

    @Test
    void aReservedFunctionsProvisionedConcurrencyIsPartOfItsReservation() {
        Account account = new Account(200);
        account.reserved.put("f", 2);
        account.provisioned.put("f", 2);
        ConcurrencyLimits limits = new ConcurrencyLimits(account);
        limits.acquire("f");
        limits.acquire("f");
        assertThrottled(() -> limits.acquire("f"), ThrottleReason.ReservedFunctionConcurrentInvocationLimitExceeded);
        assertThat(account.unreservedPool()).isEqualTo(198);
    }
}
