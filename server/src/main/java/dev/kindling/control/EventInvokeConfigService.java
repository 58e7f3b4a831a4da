package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.store.EventInvokeConfigRecord;
import dev.kindling.store.EventInvokeConfigRepository;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Event invoke configurations (Put/Get/Update/Delete/ListFunctionEventInvokeConfig(s)): per version or alias, how
 * many times an asynchronous event is retried, how old it may grow, and where its outcome goes. A destination must
 * be a function Kindling has (other than this one) or an SQS queue that exists; SNS topics and event buses are refused,
 * as Kindling does not deliver to them.
 * Read on every asynchronous event, so configurations are cached.
 */
public final class EventInvokeConfigService {
    private static final String DESTINATION_PATTERN = "$|kafka://([^.]([a-zA-Z0-9\\-_.]{0,248}))|arn:(aws[a-zA-Z0-9-]*)"
            + ":([a-zA-Z0-9\\-])+:([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)";
    private static final Pattern DESTINATION = Pattern.compile(DESTINATION_PATTERN);

    private final EventInvokeConfigRepository repository;
    private final FunctionService functions;
    private final QueueLookup queues;
    /** By {@code name:qualifier}; a missing configuration is cached too (most functions have none). */
    private final Map<String, Optional<EventInvokeConfigRecord>> cache = new ConcurrentHashMap<>();

    public EventInvokeConfigService(EventInvokeConfigRepository repository, FunctionService functions,
            QueueLookup queues) {
        this.repository = repository;
        this.functions = functions;
        this.queues = queues;
        functions.addListener(new FunctionChangeListener() {
            @Override
            public void versionRetired(String functionName, String version) {
                cache.remove(functionName + ":" + version); // a deleted version's configuration went with it
            }

            @Override
            public void functionDeleted(String functionName) {
                cache.keySet().removeIf(key -> key.startsWith(functionName + ":"));
            }
        });
    }

    /** What a Put or Update request sent; an empty member was not sent. */
    public record Settings(Optional<Integer> maximumRetryAttempts, Optional<Integer> maximumEventAgeSeconds,
            Optional<String> onSuccess, Optional<String> onFailure) {
        boolean isEmpty() {
            return maximumRetryAttempts.isEmpty() && maximumEventAgeSeconds.isEmpty() && onSuccess.isEmpty()
                    && onFailure.isEmpty();
        }
    }

    /** The configuration of the version or alias asynchronous events to {@code ref} follow, if it has one. */
    public Optional<EventInvokeConfigRecord> forEvents(FunctionRef ref) {
        String qualifier = qualifier(ref);
        return cache.computeIfAbsent(ref.name() + ":" + qualifier, key -> repository.find(ref.name(), qualifier));
    }

    /** PutFunctionEventInvokeConfig: replaces the whole configuration. */
    public EventInvokeConfigRecord put(FunctionRef ref, Settings s) {
        check(ref, s);
        return store(ref, s);
    }

    /** UpdateFunctionEventInvokeConfig: changes the members sent. */
    public EventInvokeConfigRecord update(FunctionRef ref, Settings s) {
        check(ref, s);
        return functions.underChangeLock(() -> {
            EventInvokeConfigRecord current = get(ref);
            return store(ref, new Settings(s.maximumRetryAttempts().or(current::maximumRetryAttempts),
                    s.maximumEventAgeSeconds().or(current::maximumEventAgeSeconds),
                    s.onSuccess().or(current::onSuccess), s.onFailure().or(current::onFailure)));
        });
    }

    public EventInvokeConfigRecord get(FunctionRef ref) {
        return repository.find(ref.name(), qualifier(ref)).orElseThrow(() -> noConfig(ref));
    }

    public void delete(FunctionRef ref) {
        functions.underChangeLock(() -> {
            if (!repository.delete(ref.name(), qualifier(ref))) {
                throw noConfig(ref);
            }
            cache.remove(ref.name() + ":" + qualifier(ref));
            return null;
        });
    }

    public List<EventInvokeConfigRecord> list(FunctionRef ref) {
        requireTarget(ref.withQualifier(""));
        return repository.list(ref.name());
    }

    /** The ARN AWS shows for a configuration: the function's, always qualified ($LATEST when unqualified). */
    public String arn(EventInvokeConfigRecord config) {
        return functions.arn(config.functionName() + ":" + config.qualifier());
    }

    private EventInvokeConfigRecord store(FunctionRef ref, Settings s) {
        return functions.underChangeLock(() -> {
            requireTarget(ref);
            EventInvokeConfigRecord config = new EventInvokeConfigRecord(ref.name(), qualifier(ref),
                    s.maximumRetryAttempts(), s.maximumEventAgeSeconds(), s.onSuccess().filter(d -> !d.isEmpty()),
                    s.onFailure().filter(d -> !d.isEmpty()), System.currentTimeMillis());
            repository.put(config);
            cache.put(ref.name() + ":" + config.qualifier(), Optional.of(config));
            return config;
        });
    }

    /** The model's constraints, then Lambda's own rules, as AWS checks them. */
    private void check(FunctionRef ref, Settings s) {
        ConstraintViolations violations = new ConstraintViolations();
        s.maximumRetryAttempts().ifPresent(n -> {
            if (n < 0) {
                violations.add(n.toString(), "maximumRetryAttempts", "Member must have value greater than or equal to 0");
            } else if (n > 2) {
                violations.add(n.toString(), "maximumRetryAttempts", "Member must have value less than or equal to 2");
            }
        });
        s.maximumEventAgeSeconds().ifPresent(n -> {
            if (n < 60) {
                violations.add(n.toString(), "maximumEventAgeInSeconds",
                        "Member must have value greater than or equal to 60");
            } else if (n > 21600) {
                violations.add(n.toString(), "maximumEventAgeInSeconds",
                        "Member must have value less than or equal to 21600");
            }
        });
        s.onSuccess().filter(d -> !DESTINATION.matcher(d).matches()).ifPresent(d -> violations.add(d,
                "destinationConfig.onSuccess.destination", "Member must satisfy regular expression pattern: "
                        + DESTINATION_PATTERN));
        s.onFailure().filter(d -> !DESTINATION.matcher(d).matches()).ifPresent(d -> violations.add(d,
                "destinationConfig.onFailure.destination", "Member must satisfy regular expression pattern: "
                        + DESTINATION_PATTERN));
        violations.throwIfAny();
        if (s.isEmpty()) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "You must specify at least one of error handling or destination setting.");
        }
        s.onSuccess().filter(d -> !d.isEmpty()).ifPresent(d -> checkDestination(ref, d, s));
        s.onFailure().filter(d -> !d.isEmpty()).ifPresent(d -> checkDestination(ref, d, s));
    }

    private void checkDestination(FunctionRef ref, String destination, Settings s) {
        if (MessageQueues.isQueueArn(destination)) {
            if (MessageQueues.isFifoQueueArn(destination)) {
                throw new LambdaException(ErrorType.InvalidParameterValueException, "The destination ARN "
                        + destination + " is invalid: it is a FIFO queue, and invocation records carry no message"
                        + " group. Use a standard queue.");
            }
            if (!queues.exists(destination)) {
                throw new LambdaException(ErrorType.InvalidParameterValueException,
                        "The destination ARN " + destination + " is invalid.");
            }
            return;
        }
        if (MessageQueues.isTopicArn(destination) || destination.matches("arn:aws[a-zA-Z-]*:events:.*")) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "The provided destination config "
                    + describe(s) + " is invalid. Kindling delivers to Lambda functions and SQS queues only: it"
                    + " serves no SNS topics and delivers to no event buses.");
        }
        FunctionRef target;
        try {
            target = functions.parseRef(destination, "");
        } catch (LambdaException e) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "The provided destination config"
                    + " " + describe(s) + " is invalid. Kindling delivers to Lambda functions and SQS queues only.");
        }
        if (!destination.startsWith("arn:")) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "The provided destination config "
                    + describe(s) + " is invalid.");
        }
        if (target.name().equals(ref.name())) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "You can't specify the function as a destination for itself.");
        }
        try {
            functions.get(target);
        } catch (LambdaException e) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "The destination ARN " + destination + " is invalid.");
        }
    }

    /** The request's DestinationConfig as AWS quotes it in its message. */
    private static String describe(Settings s) {
        return "DestinationConfig(onSuccess=" + s.onSuccess().map(d -> "OnSuccess(destination=" + d + ")").orElse("null")
                + ", onFailure=" + s.onFailure().map(d -> "OnFailure(destination=" + d + ")").orElse("null") + ")";
    }

    /** A Put or Update names a function (and alias or version) that exists. */
    private void requireTarget(FunctionRef ref) {
        try {
            functions.get(ref);
        } catch (LambdaException e) {
            throw new LambdaException(ErrorType.ResourceNotFoundException, "The function doesn't exist.");
        }
    }

    private LambdaException noConfig(FunctionRef ref) {
        return new LambdaException(ErrorType.ResourceNotFoundException, "The function "
                + functions.arn(ref.name() + ":" + qualifier(ref)) + " doesn't have an EventInvokeConfig");
    }

    private static String qualifier(FunctionRef ref) {
        return ref.isQualified() ? ref.qualifier() : FunctionRef.LATEST;
    }
}
