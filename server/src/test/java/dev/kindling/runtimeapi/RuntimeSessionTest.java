package dev.kindling.runtimeapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A runtime that dies while its GET /next waits leaves that request behind until the server sees the death: an
 * invocation dispatched meanwhile must not be handed to it (it would count as taken, and be lost as if it had run).
 */
class RuntimeSessionTest {
    private static Invocation invocation(String id) {
        return new Invocation(id, "{}".getBytes(), "arn", 3000, Long.MAX_VALUE, null,
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0", java.util.Optional.empty());
    }

    @Test
    void aWaitingNextWhoseConnectionIsGoneIsNotGivenTheInvocation() {
        RuntimeSession session = new RuntimeSession();
        List<Invocation> toDeadRequest = new ArrayList<>();
        session.next(new RuntimeSession.WaitingNext() {
            @Override
            public boolean connected() {
                return false;
            }

            @Override
            public void accept(Invocation invocation) {
                toDeadRequest.add(invocation);
            }
        });
        Invocation dispatched = invocation("req-1");
        session.dispatch(dispatched);
        assertThat(toDeadRequest).isEmpty();
        assertThat(dispatched.takenNanos()).as("not taken").isZero();

        session.ended(new RuntimeOutcome(RuntimeOutcome.Kind.EXITED, "Runtime.ExitError", new byte[0]));
        assertThat(dispatched.outcome().join().kind()).isEqualTo(RuntimeOutcome.Kind.EXITED);
        assertThat(dispatched.takenNanos()).as("the function never saw it: the invoker may run it elsewhere").isZero();
    }

    @Test
    void anInvocationKeptFromADeadRequestGoesToTheRuntimesNextRequest() {
        RuntimeSession session = new RuntimeSession();
        session.next(new RuntimeSession.WaitingNext() {
            @Override
            public boolean connected() {
                return false;
            }

            @Override
            public void accept(Invocation invocation) {
                throw new AssertionError("handed to a dead request");
            }
        });
        Invocation dispatched = invocation("req-1");
        session.dispatch(dispatched);
        List<Invocation> received = new ArrayList<>();
        session.next(received::add); // the runtime asks again on a new connection
        assertThat(received).containsExactly(dispatched);
        assertThat(dispatched.takenNanos()).isPositive();
    }
}
