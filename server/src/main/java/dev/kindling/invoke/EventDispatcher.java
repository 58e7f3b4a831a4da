package dev.kindling.invoke;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.control.FunctionRef;
import dev.kindling.control.FunctionService;
import dev.kindling.store.AsyncEventRecord;
import dev.kindling.store.AsyncEventRepository;
import dev.kindling.store.FunctionRecord;
import dev.kindling.telemetry.AsyncEventObserver;
import dev.kindling.telemetry.TraceHeader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the durable queue's events: takes due ones from the store in batches (never more than it can run at once, so
 * memory stays bounded however many wait), runs each through the {@link Invoker} under its function's concurrency,
 * and settles it as AWS does: removed once it succeeded, put back for a retry after a function error or timeout while
 * its policy allows, put back a moment later when throttled (not an attempt), dropped when too old or when its
 * function is gone. An event stays in the store until settled, so one taken by a server that stopped runs again.
 *
 * <p>Settling is written by the dispatching thread, in one transaction with the next take: however many events end
 * together, they share one disk flush. An event whose settlement is lost in a crash runs again (at least once).
 */
final class EventDispatcher implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EventDispatcher.class);
    /** At most this many of one function's events in one batch. */
    private static final int PER_FUNCTION = 16;
    private static final long IDLE_POLL_MILLIS = 250;

    /** How an event ended, for its destination. */
    enum Settlement { SUCCESS, RETRIES_EXHAUSTED, EVENT_AGE_EXCEEDED }

    /** Told of every event that ended, with its last result (none for an event too old to run). */
    interface Outcomes {
        void settled(AsyncEventRecord event, FunctionRecord version, Settlement how, InvokeResult last, int attempts);
    }

    private final AsyncEventRepository repository;
    private final FunctionService functions;
    private final Invoker invoker;
    private final RetryPolicies policies;
    private final Outcomes outcomes;
    private final AsyncEventObserver observer;
    private final Clock clock;
    private final Semaphore running;
    /** A function may fill at most half the running slots: a flooded function leaves room for the others' events. */
    private final int perFunctionRunning;
    private final Map<String, Integer> runningByFunction = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> removals = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<AsyncEventRepository.PutBack> putBacks = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private boolean signalled;
    private volatile boolean closed;
    private Thread loop;

    EventDispatcher(AsyncEventRepository repository, FunctionService functions, Invoker invoker,
            RetryPolicies policies, Outcomes outcomes, int maxRunning, AsyncEventObserver observer, Clock clock) {
        this.observer = observer;
        this.repository = repository;
        this.functions = functions;
        this.invoker = invoker;
        this.policies = policies;
        this.outcomes = outcomes;
        this.clock = clock;
        this.running = new Semaphore(maxRunning);
        this.perFunctionRunning = Math.max(1, maxRunning / 2);
    }

    /** Takes back what a stopped server had taken, then starts running events. */
    void start() {
        int released = repository.releaseAll();
        if (released > 0) {
            LOG.info("{} asynchronous event(s) in flight when Kindling stopped will run again", released);
        }
        loop = Thread.ofVirtual().name("event-dispatcher").start(this::dispatchUntilClosed);
    }

    /** Events may be due: look now rather than at the next poll. */
    void wake() {
        lock.lock();
        try {
            signalled = true;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    private void dispatchUntilClosed() {
        while (!closed) {
            try {
                settlePending();
                int free = running.availablePermits();
                List<AsyncEventRecord> due = free == 0 ? List.of()
                        : repository.takeDue(clock.millis(), PER_FUNCTION, free, functionsAtTheirShare());
                for (AsyncEventRecord event : due) {
                    running.acquire();
                    runningByFunction.merge(event.functionName(), 1, Integer::sum);
                    Thread.ofVirtual().name("event-" + event.requestId()).start(() -> {
                        try {
                            run(event);
                        } finally {
                            runningByFunction.computeIfPresent(event.functionName(), (f, n) -> n == 1 ? null : n - 1);
                            running.release();
                            wake();
                        }
                    });
                }
                if (due.isEmpty()) {
                    awaitWork();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.warn("asynchronous events: {}", e.toString());
                    sleepQuietly();
                }
            }
        }
    }

    /** The functions that run as many events as one may; none of theirs is taken now. */
    private Set<String> functionsAtTheirShare() {
        Set<String> full = new HashSet<>();
        runningByFunction.forEach((function, n) -> {
            if (n >= perFunctionRunning) {
                full.add(function);
            }
        });
        return full;
    }

    /** Writes what ended since the last time, in one transaction. */
    private void settlePending() {
        List<String> done = drain(removals);
        List<AsyncEventRepository.PutBack> again = drain(putBacks);
        if (!done.isEmpty() || !again.isEmpty()) {
            repository.settle(done, again);
        }
    }

    private static <T> List<T> drain(ConcurrentLinkedQueue<T> queue) {
        List<T> drained = new ArrayList<>();
        for (T item = queue.poll(); item != null; item = queue.poll()) {
            drained.add(item);
        }
        return drained;
    }

    private void awaitWork() throws InterruptedException {
        lock.lock();
        try {
            if (!signalled) {
                work.await(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
            signalled = false;
        } finally {
            lock.unlock();
        }
    }

    /** Runs one taken event once and settles it. */
    private void run(AsyncEventRecord event) {
        FunctionRef ref = new FunctionRef(event.functionName(), event.qualifier());
        FunctionRecord version;
        try {
            version = functions.route(ref);
        } catch (LambdaException e) {
            LOG.warn("event {} dropped: {}", event.requestId(), e.getMessage());
            observer.dropped(event.functionName(), "FunctionNotFound");
            removals.add(event.requestId());
            return;
        }
        RetryPolicy policy = policies.of(version, ref);
        if (policy.expired(event.receivedMillis(), clock.millis())) {
            settle(event, version, Settlement.EVENT_AGE_EXCEEDED, null, event.attempts());
            return;
        }
        observer.attempting(event.functionName(), clock.millis() - event.receivedMillis());
        InvokeResult result;
        try {
            result = invoker.invoke(event.requestId(), version, functions.arn(ref.qualifiedName()), event.payload(),
                    null, event.traceHeader().flatMap(TraceHeader::parse), false);
        } catch (LambdaException e) {
            if (e.type() == ErrorType.TooManyRequestsException) {
                putBacks.add(new AsyncEventRepository.PutBack(event.requestId(), event.attempts(),
                        clock.millis() + RetryPolicy.THROTTLE_WAIT.toMillis()));
            } else {
                LOG.warn("event {} dropped: {}", event.requestId(), e.getMessage());
                removals.add(event.requestId());
            }
            return;
        } catch (Exception e) { // the server is stopping: the event stays taken, and runs after the next start
            return;
        }
        if (closed) { // its environment may have been stopped under it: not an attempt of the function's
            return;
        }
        int attempts = event.attempts() + 1;
        if (result.functionError().isEmpty()) {
            settle(event, version, Settlement.SUCCESS, result, attempts);
            return;
        }
        long retryAt = clock.millis() + policy.delayAfter(attempts).toMillis();
        if (!policy.retries(attempts)) {
            settle(event, version, Settlement.RETRIES_EXHAUSTED, result, attempts);
        } else if (policy.expired(event.receivedMillis(), retryAt)) {
            settle(event, version, Settlement.EVENT_AGE_EXCEEDED, result, attempts);
        } else {
            putBacks.add(new AsyncEventRepository.PutBack(event.requestId(), attempts, retryAt));
        }
    }

    private void settle(AsyncEventRecord event, FunctionRecord version, Settlement how, InvokeResult last,
            int attempts) {
        if (how != Settlement.SUCCESS) {
            LOG.info("event {} for {} given up: {} after {} attempt(s)", event.requestId(), version.qualifiedName(),
                    how, attempts);
            observer.dropped(event.functionName(), Destinations.condition(how));
        }
        outcomes.settled(event, version, how, last, attempts);
        removals.add(event.requestId());
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(IDLE_POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        if (loop != null) {
            loop.interrupt();
            loop.join(TimeUnit.SECONDS.toMillis(10));
            settlePending(); // what ended before the stop is not run again
        }
    }
}
