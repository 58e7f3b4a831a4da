package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.code.CodeStore;
import dev.kindling.code.StagedCode;
import dev.kindling.store.FunctionRecord;
import dev.kindling.store.FunctionRepository;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What functions exist: creating, reading, changing and deleting them, with AWS's validation. Every change gets a
 * new RevisionId and is announced to the {@link FunctionChangeListener}s, so that nothing keeps running old code.
 *
 * <p>Changes are serialised by one lock, held only for the short publish-and-commit step: staging a zip (the slow
 * part) happens outside it. Reads of a single function are served from memory, which the hot invoke path relies on.
 */
public final class FunctionService {
    private final FunctionRepository repository;
    private final CodeStore code;
    private final String region;
    private final String accountId;
    private final ReentrantLock changes = new ReentrantLock();
    private final Map<String, FunctionRecord> cache = new ConcurrentHashMap<>();
    private final List<FunctionChangeListener> listeners = new CopyOnWriteArrayList<>();

    public FunctionService(FunctionRepository repository, CodeStore code, String region, String accountId) {
        this.repository = repository;
        this.code = code;
        this.region = region;
        this.accountId = accountId;
        code.retainOnly(repository.referencedCode());
    }

    public void addListener(FunctionChangeListener listener) {
        listeners.add(listener);
    }

    public String region() {
        return region;
    }

    public String accountId() {
        return accountId;
    }

    public String arn(String name) {
        return Arns.function(region, accountId, name);
    }

    /** The function a request names by its FunctionName and Qualifier (empty when absent) parameters. */
    public FunctionRef parseRef(String functionName, String qualifier) {
        return FunctionRef.parse(functionName, qualifier, region, accountId);
    }

    public FunctionRecord create(String functionName, FunctionSettings s, byte[] zip, Map<String, String> tags) {
        String name = FunctionValidator.nameToCreate(functionName, region, accountId);
        Tagging.requireWithinLimit(tags.size());
        if (s.runtime() == null || s.handler() == null) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "Runtime and Handler are mandatory parameters for functions created with deployment packages.");
        }
        if (s.role() == null) {
            throw new LambdaException(ErrorType.ValidationException,
                    "1 validation error detected: Value null at 'role' failed to satisfy constraint: Member must not be null");
        }
        FunctionRecord draft = new FunctionRecord(name, s.runtime(), s.role(), s.handler(),
                orElse(s.description(), ""), orElse(s.timeoutSeconds(), 3), orElse(s.memoryMb(), 128),
                orElse(s.ephemeralStorageMb(), 512), orElse(s.environment(), Map.of()),
                orElse(s.architectures(), List.of("x86_64")), orElse(s.layers(), List.of()),
                logging(name, s.logging(), null), orElse(s.tracingMode(), "PassThrough"),
                orElse(s.packageType(), "Zip"), "", 0, "", Instant.EPOCH);
        FunctionValidator.validate(draft);
        StagedCode staged = code.stage(zip);
        changes.lock();
        try {
            FunctionRecord function = draft.withCode(staged.sha256Hex(), staged.size(), newRevision(), Instant.now());
            code.publish(staged);
            if (!repository.insert(function, tags)) {
                removeCodeIfUnreferenced(staged.sha256Hex());
                throw new LambdaException(ErrorType.ResourceConflictException, "Function already exist: " + name);
            }
            cache.put(name, function);
            return function;
        } finally {
            code.discard(staged);
            changes.unlock();
        }
    }

    /** The function as it is now; the invoke path calls this on every invocation. */
    public FunctionRecord get(FunctionRef ref) {
        String qualified = ref.name() + (ref.isQualified() ? ":" + ref.qualifier() : "");
        // Versions and aliases do not exist yet (issue 7): any other qualifier names a version that does not exist.
        if (!ref.canExist() || ref.isQualified() && !ref.qualifier().equals("$LATEST")) {
            throw notFound(qualified);
        }
        FunctionRecord cached = cache.get(ref.name());
        if (cached != null) {
            return cached;
        }
        FunctionRecord stored = repository.find(ref.name()).orElseThrow(() -> notFound(qualified));
        cache.putIfAbsent(ref.name(), stored);
        return stored;
    }

    public Map<String, String> tags(String name) {
        return repository.tags(name);
    }

    /** A page of functions in name order; the marker is opaque to clients. */
    public Page list(String marker, Integer maxItems) {
        int limit = maxItems == null ? 50 : maxItems;
        String after = marker == null || marker.isEmpty() ? "" : decodeMarker(marker);
        List<FunctionRecord> rows = repository.list(after, limit + 1);
        List<FunctionRecord> page = new ArrayList<>(rows.subList(0, Math.min(limit, rows.size())));
        Optional<String> next = rows.size() > limit
                ? Optional.of(encodeMarker(page.get(page.size() - 1).name()))
                : Optional.empty();
        return new Page(page, next);
    }

    public record Page(List<FunctionRecord> functions, Optional<String> nextMarker) {}

    public FunctionRecord updateCode(FunctionRef ref, byte[] zip, String expectedRevision) {
        requireUnqualified(ref);
        StagedCode staged = code.stage(zip);
        changes.lock();
        try {
            FunctionRecord current = currentForChange(ref.name(), expectedRevision);
            FunctionRecord updated = current.withCode(staged.sha256Hex(), staged.size(), newRevision(), Instant.now());
            code.publish(staged);
            commit(current, updated);
            return updated;
        } finally {
            code.discard(staged);
            changes.unlock();
        }
    }

    public FunctionRecord updateConfiguration(FunctionRef ref, FunctionSettings s, String expectedRevision) {
        requireUnqualified(ref);
        changes.lock();
        try {
            FunctionRecord c = currentForChange(ref.name(), expectedRevision);
            FunctionRecord updated = new FunctionRecord(c.name(), orElse(s.runtime(), c.runtime()),
                    orElse(s.role(), c.role()), orElse(s.handler(), c.handler()),
                    orElse(s.description(), c.description()), orElse(s.timeoutSeconds(), c.timeoutSeconds()),
                    orElse(s.memoryMb(), c.memoryMb()), orElse(s.ephemeralStorageMb(), c.ephemeralStorageMb()),
                    orElse(s.environment(), c.environment()), c.architectures(), orElse(s.layers(), c.layers()),
                    logging(c.name(), s.logging(), c.logging()), orElse(s.tracingMode(), c.tracingMode()),
                    c.packageType(), c.codeSha256Hex(), c.codeSize(), newRevision(), Instant.now());
            FunctionValidator.validate(updated);
            commit(c, updated);
            return updated;
        } finally {
            changes.unlock();
        }
    }

    /**
     * Deletes the function, or one of its versions when qualified. As on AWS: $LATEST and aliases cannot be deleted
     * this way, and deleting a version that does not exist (every version, until issue 7) succeeds.
     */
    public void delete(FunctionRef ref) {
        if (ref.qualifier().equals("$LATEST")) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "$LATEST version cannot be deleted without deleting the function.");
        }
        if (ref.isQualified() && ref.qualifier().matches("[a-zA-Z0-9-_]+") && !ref.qualifier().matches("\\d+")) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "Deletion of aliases is not currently supported.");
        }
        changes.lock();
        try {
            FunctionRecord current = (ref.canExist() ? repository.find(ref.name()) : Optional.<FunctionRecord>empty())
                    .orElseThrow(() -> notFound(ref.name()));
            if (ref.isQualified()) {
                return;
            }
            repository.delete(ref.name());
            cache.remove(ref.name());
            removeCodeIfUnreferenced(current.codeSha256Hex());
        } finally {
            changes.unlock();
        }
        announce(ref.name());
    }

    /** Resolves the function an ARN in the tagging API names. */
    public FunctionRecord taggable(String arn) {
        return get(Tagging.functionOf(arn, region, accountId));
    }

    public void tag(String arn, Map<String, String> tags) {
        changes.lock();
        try {
            String name = taggable(arn).name();
            Map<String, String> merged = new java.util.HashMap<>(repository.tags(name));
            merged.putAll(tags);
            Tagging.requireWithinLimit(merged.size());
            repository.putTags(name, tags);
        } finally {
            changes.unlock();
        }
    }

    public void untag(String arn, Collection<String> keys) {
        changes.lock();
        try {
            repository.removeTags(taggable(arn).name(), keys);
        } finally {
            changes.unlock();
        }
    }

    public long functionCount() {
        return repository.count();
    }

    public long totalCodeSize() {
        return repository.totalCodeSize();
    }

    private FunctionRecord currentForChange(String name, String expectedRevision) {
        FunctionRecord current = repository.find(name).orElseThrow(() -> notFound(name));
        if (expectedRevision != null && !expectedRevision.equals(current.revisionId())) {
            throw new LambdaException(ErrorType.PreconditionFailedException, "The Revision Id provided does not"
                    + " match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest"
                    + " Revision Id");
        }
        return current;
    }

    private void commit(FunctionRecord current, FunctionRecord updated) {
        if (!repository.update(updated, current.revisionId())) {
            throw new LambdaException(ErrorType.ResourceConflictException, "The function " + current.name()
                    + " was changed by another request: retry with its new RevisionId.");
        }
        cache.put(updated.name(), updated);
        if (!current.codeSha256Hex().equals(updated.codeSha256Hex())) {
            removeCodeIfUnreferenced(current.codeSha256Hex());
        }
        announce(updated.name());
    }

    private void announce(String name) {
        for (FunctionChangeListener listener : listeners) {
            listener.functionChanged(name);
        }
    }

    private void removeCodeIfUnreferenced(String sha256Hex) {
        if (!repository.isCodeReferenced(sha256Hex)) {
            code.remove(sha256Hex);
        }
    }

    private void requireUnqualified(FunctionRef ref) {
        if (!ref.qualifier().isEmpty() && !ref.qualifier().equals("$LATEST")) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "Only the unpublished $LATEST version can be changed; remove the qualifier '" + ref.qualifier() + "'.");
        }
    }

    private LambdaException notFound(String nameAndQualifier) {
        return new LambdaException(ErrorType.ResourceNotFoundException,
                "Function not found: " + arn(nameAndQualifier));
    }

    private static FunctionRecord.LoggingSettings logging(String name, FunctionSettings.Logging sent,
            FunctionRecord.LoggingSettings current) {
        FunctionRecord.LoggingSettings base = current != null ? current
                : new FunctionRecord.LoggingSettings("Text", null, null, "/aws/lambda/" + name);
        if (sent == null) {
            return base;
        }
        String format = orElse(sent.logFormat(), base.logFormat());
        // AWS gives JSON-format functions default levels, and keeps levels unset for Text.
        String app = orElse(sent.applicationLogLevel(), format.equals("JSON") ? orElse(base.applicationLogLevel(), "INFO") : base.applicationLogLevel());
        String sys = orElse(sent.systemLogLevel(), format.equals("JSON") ? orElse(base.systemLogLevel(), "INFO") : base.systemLogLevel());
        return new FunctionRecord.LoggingSettings(format, app, sys, orElse(sent.logGroup(), base.logGroup()));
    }

    private static String newRevision() {
        return UUID.randomUUID().toString();
    }

    private static String encodeMarker(String name) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeMarker(String marker) {
        try {
            return new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "Invalid Marker '" + marker + "': pass the NextMarker of a previous ListFunctions response.");
        }
    }

    private static <T> T orElse(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
