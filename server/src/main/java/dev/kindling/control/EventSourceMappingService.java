package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.store.EventSourceMappingRecord;
import dev.kindling.store.EventSourceMappingRecord.Batching;
import dev.kindling.store.EventSourceMappingRepository;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.event.ruler.Machine;

/**
 * Event source mappings of SQS queues: Lambda's rules for them checked as AWS checks them, stored, and announced to
 * the pollers. A mapping answers in a transitional state (Creating, Updating, Enabling, Disabling) until the pollers
 * have acted on it ({@link #settled}), then Enabled or Disabled, as AWS shows it; a deleted mapping answers
 * Deleting once and is gone.
 */
public final class EventSourceMappingService {
    static final int DEFAULT_BATCH_SIZE = 10;
    private static final Pattern SQS_ARN = Pattern.compile("arn:aws[a-zA-Z-]*:sqs:([^:]*):([^:]*):([^:]+)");
    private static final String REPORT_BATCH_ITEM_FAILURES = "ReportBatchItemFailures";

    private final EventSourceMappingRepository repository;
    private final FunctionService functions;
    private final QueueLookup queues;
    private final Clock clock;
    private final List<EventSourceMappingListener> listeners = new CopyOnWriteArrayList<>();
    private final Object changes = new Object();

    public EventSourceMappingService(EventSourceMappingRepository repository, FunctionService functions,
            QueueLookup queues, Clock clock) {
        this.repository = repository;
        this.functions = functions;
        this.queues = queues;
        this.clock = clock;
    }

    public void addListener(EventSourceMappingListener listener) {
        listeners.add(listener);
    }

    /** Every stored mapping (for the pollers to resume after a restart). */
    public List<EventSourceMappingRecord> all() {
        return repository.list();
    }

    public EventSourceMappingRecord create(EventSourceMappingSettings s) {
        String eventSourceArn = s.eventSourceArn().orElseThrow(() -> invalid("Unrecognized event source."));
        if (!SQS_ARN.matcher(eventSourceArn).matches()) {
            throw invalid("Unrecognized event source.");
        }
        String functionArn = functionArn(s.functionName().orElseThrow(
                () -> ConstraintViolations.missingMember("functionName")));
        if (!queues.exists(eventSourceArn)) {
            throw invalid("Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService."
                    + "NonExistentQueue. SQS Error Message: The specified queue does not exist.");
        }
        Batching batching = batching(s.batchSize().orElse(DEFAULT_BATCH_SIZE), s.batchingWindowSeconds().orElse(0));
        List<String> patterns = s.filterPatterns().map(EventSourceMappingService::checkedPatterns).orElse(List.of());
        boolean reportFailures = reportsBatchItemFailures(s.functionResponseTypes().orElse(List.of()));
        Optional<Integer> concurrency = s.scaling().flatMap(EventSourceMappingSettings.Scaling::maximumConcurrency);
        boolean enabled = s.enabled().orElse(true);
        EventSourceMappingRecord mapping;
        synchronized (changes) {
            for (EventSourceMappingRecord existing : repository.list()) {
                if (existing.eventSourceArn().equals(eventSourceArn) && existing.functionArn().equals(functionArn)) {
                    throw new LambdaException(ErrorType.ResourceConflictException, "An event source mapping with SQS"
                            + " arn (\" " + eventSourceArn + " \") and function (\" " + functionName(functionArn)
                            + " \") already exists. Please update or delete the existing mapping with UUID "
                            + existing.uuid());
                }
            }
            mapping = new EventSourceMappingRecord(UUID.randomUUID().toString(), functionArn, eventSourceArn,
                    batching, enabled, "Creating", "USER_INITIATED", patterns, reportFailures, concurrency,
                    now());
            repository.put(mapping);
        }
        listeners.forEach(l -> l.mappingChanged(mapping));
        return mapping;
    }

    public EventSourceMappingRecord get(String uuid) {
        return repository.find(uuid).orElseThrow(EventSourceMappingService::notFound);
    }

    /** Mappings of one function and/or one queue (either filter may be empty), oldest first. */
    public List<EventSourceMappingRecord> list(Optional<String> functionName, Optional<String> eventSourceArn) {
        Optional<String> function = functionName.map(this::unqualifiedArnOrName);
        return repository.list().stream()
                .filter(m -> eventSourceArn.map(m.eventSourceArn()::equals).orElse(true))
                .filter(m -> function.map(f -> matchesFunction(m.functionArn(), f)).orElse(true))
                .toList();
    }

    public EventSourceMappingRecord update(String uuid, EventSourceMappingSettings s) {
        EventSourceMappingRecord updated;
        synchronized (changes) {
            EventSourceMappingRecord current = get(uuid);
            String functionArn = s.functionName().map(this::functionArn).orElse(current.functionArn());
            Batching batching = batching(s.batchSize().orElse(current.batching().size()),
                    s.batchingWindowSeconds().orElse(current.batching().windowSeconds()));
            List<String> patterns = s.filterPatterns().map(EventSourceMappingService::checkedPatterns)
                    .orElse(current.filterPatterns());
            boolean reportFailures = s.functionResponseTypes().map(EventSourceMappingService::reportsBatchItemFailures)
                    .orElse(current.reportBatchItemFailures());
            Optional<Integer> concurrency = s.scaling().map(EventSourceMappingSettings.Scaling::maximumConcurrency)
                    .orElse(current.maximumConcurrency());
            boolean enabled = s.enabled().orElse(current.enabled());
            String state = enabled == current.enabled() ? "Updating" : enabled ? "Enabling" : "Disabling";
            updated = new EventSourceMappingRecord(uuid, functionArn, current.eventSourceArn(), batching, enabled,
                    state, "USER_INITIATED", patterns, reportFailures, concurrency, now());
            repository.put(updated);
        }
        listeners.forEach(l -> l.mappingChanged(updated));
        return updated;
    }

    /** Deletes the mapping; its pollers stop at once. Returns it as AWS answers: Deleting. */
    public EventSourceMappingRecord delete(String uuid) {
        EventSourceMappingRecord deleted;
        synchronized (changes) {
            deleted = get(uuid);
            repository.delete(uuid);
        }
        listeners.forEach(l -> l.mappingDeleted(uuid));
        return deleted.withState("Deleting");
    }

    /** The pollers have acted on the mapping's last change: it shows Enabled or Disabled from now on. */
    public void settled(EventSourceMappingRecord acted) {
        synchronized (changes) {
            repository.find(acted.uuid()).filter(m -> m.lastModified().equals(acted.lastModified()))
                    .ifPresent(m -> repository.setState(m.uuid(), m.enabled() ? "Enabled" : "Disabled"));
        }
    }

    /** Now, to the millisecond a mapping's LastModified is stored with. */
    private java.time.Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    /** The queue's name, region and account of an SQS ARN. */
    public record QueueArn(String region, String accountId, String name) {
        public static Optional<QueueArn> parse(String arn) {
            Matcher m = SQS_ARN.matcher(arn);
            return m.matches() ? Optional.of(new QueueArn(m.group(1), m.group(2), m.group(3))) : Optional.empty();
        }
    }

    private String functionArn(String functionName) {
        FunctionRef ref = functions.parseRef(functionName, "");
        try {
            functions.get(ref);
        } catch (LambdaException e) {
            if (e.type() == ErrorType.ResourceNotFoundException) {
                throw invalid("Function does not exist");
            }
            throw e;
        }
        return functions.arn(ref.qualifiedName());
    }

    private String unqualifiedArnOrName(String functionName) {
        return functions.parseRef(functionName, "").name();
    }

    private static boolean matchesFunction(String functionArn, String name) {
        return functionName(functionArn).equals(name);
    }

    /** The function's name in a (possibly qualified) function ARN. */
    private static String functionName(String functionArn) {
        String[] parts = functionArn.split(":");
        return parts[6];
    }

    private static Batching batching(int size, int windowSeconds) {
        if (size > 10 && windowSeconds < 1) {
            throw invalid("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater"
                    + " than 10");
        }
        return new Batching(size, windowSeconds);
    }

    private static boolean reportsBatchItemFailures(List<String> types) {
        for (String type : types) {
            if (!type.equals(REPORT_BATCH_ITEM_FAILURES)) {
                throw ConstraintViolations.single(types, "functionResponseTypes",
                        ConstraintViolations.enumConstraint(List.of(REPORT_BATCH_ITEM_FAILURES)));
            }
        }
        return !types.isEmpty();
    }

    /** The patterns, each checked by event-ruler, the matcher the pollers use. */
    private static List<String> checkedPatterns(List<String> patterns) {
        for (String pattern : patterns) {
            try {
                new Machine().addRule("filter", pattern);
            } catch (Exception e) {
                throw invalid("Invalid filter pattern definition.");
            }
        }
        return List.copyOf(patterns);
    }

    private static LambdaException invalid(String message) {
        return new LambdaException(ErrorType.InvalidParameterValueException, message);
    }

    private static LambdaException notFound() {
        return new LambdaException(ErrorType.ResourceNotFoundException, "The resource you requested does not exist.");
    }
}
