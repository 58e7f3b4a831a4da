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
    private final CodeReferences references;
    private final FunctionLayers layers;
    private final String region;
    private final String accountId;
    /** The code store's lock ({@link CodeReferences#lock()}): code is published and committed under it. */
    private final ReentrantLock changes;
    private final Map<String, FunctionRecord> cache = new ConcurrentHashMap<>();
    private final List<FunctionChangeListener> listeners = new CopyOnWriteArrayList<>();

    public FunctionService(FunctionRepository repository, CodeStore code, CodeReferences references,
            FunctionLayers layers, String region, String accountId) {
        this.repository = repository;
        this.code = code;
        this.references = references;
        this.layers = layers;
        this.changes = references.lock();
        this.region = region;
        this.accountId = accountId;
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

    /** The function an UpdateFunctionCode or UpdateFunctionConfiguration request names by its FunctionName. */
    public FunctionRef parseRefToChange(String functionName) {
        return FunctionRef.parseToChange(functionName, region, accountId);
    }

    /** The function a request names by its FunctionName and Qualifier (empty when absent) parameters. */
    public FunctionRef parseRef(String functionName, String qualifier) {
        return FunctionRef.parse(functionName, qualifier, region, accountId);
    }

    /**
     * The answer to a change: the function as stored, settled, and the RevisionId the change's own answer reports.
     * AWS gives a function a new RevisionId when it leaves Pending (after CreateFunction) and when an update
     * completes, so the answer's RevisionId is never the one later reads see. Kindling settles a function within the
     * call, so it stores the settled revision and hands the in-flight one to the answer alone.
     */
    public record Change(FunctionRecord function, String answeredRevisionId) {}

    public Change create(String functionName, FunctionSettings s, byte[] zip, Map<String, String> tags) {
        String name = FunctionValidator.nameToCreate(functionName, region, accountId);
        Tagging.requireWithinLimit(tags.size());
        if (s.runtime().isEmpty() || s.handler().isEmpty()) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "Runtime and Handler are mandatory parameters for functions created with deployment packages.");
        }
        if (s.role().isEmpty()) {
            throw new LambdaException(ErrorType.ValidationException,
                    "1 validation error detected: Value null at 'role' failed to satisfy constraint: Member must not be null");
        }
        FunctionRecord.Builder draft = FunctionRecord.builder().name(name).runtime(s.runtime().get())
                .role(s.role().get()).handler(s.handler().get()).logging(logging(name, s.logging(), Optional.empty()));
        s.architectures().ifPresent(draft::architectures);
        s.packageType().ifPresent(draft::packageType);
        applyConfiguration(s, draft);
        // Checked before the zip is staged, the slow part; the code fields are placeholders until then.
        FunctionRecord unstaged = draft.code("", 0).revisionId("").lastModified(Instant.EPOCH).build();
        FunctionValidator.validate(unstaged);
        StagedCode staged = code.stage(zip);
        changes.lock();
        try {
            layers.requireStored(unstaged.layers());
            FunctionLayers.requireWithinSizeLimit(() -> CodeStore.unpackedSize(staged.unpackedDir()), unstaged.layers());
            String answered = newRevision();
            FunctionRecord function = draft.code(staged.sha256Hex(), staged.size()).revisionId(newRevision())
                    .lastModified(Instant.now()).build();
            code.publish(staged);
            if (!repository.insert(function, tags)) {
                removeCodeIfUnreferenced(staged.sha256Hex());
                throw new LambdaException(ErrorType.ResourceConflictException, "Function already exist: " + name);
            }
            cache.put(name, function);
            return new Change(function, answered);
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

    public Change updateCode(FunctionRef ref, byte[] zip, String expectedRevision) {
        requireUnqualified(ref);
        StagedCode staged = code.stage(zip);
        changes.lock();
        try {
            FunctionRecord current = currentForChange(ref.name(), expectedRevision);
            FunctionLayers.requireWithinSizeLimit(() -> CodeStore.unpackedSize(staged.unpackedDir()), current.layers());
            FunctionRecord.Builder updated = current.toBuilder().code(staged.sha256Hex(), staged.size());
            code.publish(staged);
            return commit(current, updated);
        } finally {
            code.discard(staged);
            changes.unlock();
        }
    }

    /** Changes the fields the request sent; Architectures and PackageType are not UpdateFunctionConfiguration's. */
    public Change updateConfiguration(FunctionRef ref, FunctionSettings s, String expectedRevision) {
        requireUnqualified(ref);
        changes.lock();
        try {
            FunctionRecord current = currentForChange(ref.name(), expectedRevision);
            FunctionRecord.Builder updated = current.toBuilder();
            s.runtime().ifPresent(updated::runtime);
            s.role().ifPresent(updated::role);
            s.handler().ifPresent(updated::handler);
            updated.logging(logging(current.name(), s.logging(), Optional.of(current.logging())));
            applyConfiguration(s, updated);
            return commit(current, updated);
        } finally {
            changes.unlock();
        }
    }

    /** The fields CreateFunction and UpdateFunctionConfiguration set alike, where the request sent them. */
    private void applyConfiguration(FunctionSettings s, FunctionRecord.Builder b) {
        s.description().ifPresent(b::description);
        s.timeoutSeconds().ifPresent(b::timeoutSeconds);
        s.memoryMb().ifPresent(b::memoryMb);
        s.ephemeralStorageMb().ifPresent(b::ephemeralStorageMb);
        s.environment().ifPresent(variables -> b.environment(variables).environmentConfigured(true));
        s.layers().map(layers::resolve).ifPresent(b::layers);
        s.tracingMode().ifPresent(b::tracingMode);
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
            current.layers().forEach(layer -> removeCodeIfUnreferenced(layer.codeSha256Hex()));
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

    /** Validates and stores a change with its new revisions; see {@link Change}. */
    private Change commit(FunctionRecord current, FunctionRecord.Builder change) {
        String answered = newRevision();
        FunctionRecord updated = change.revisionId(newRevision()).lastModified(Instant.now()).build();
        FunctionValidator.validate(updated);
        if (!updated.layers().equals(current.layers())) {
            FunctionLayers.requireWithinSizeLimit(() -> code.unpackedSize(updated.codeSha256Hex()), updated.layers());
        }
        if (!repository.update(updated, current.revisionId())) {
            throw new LambdaException(ErrorType.ResourceConflictException, "The function " + current.name()
                    + " was changed by another request: retry with its new RevisionId.");
        }
        cache.put(updated.name(), updated);
        if (!current.codeSha256Hex().equals(updated.codeSha256Hex())) {
            removeCodeIfUnreferenced(current.codeSha256Hex());
        }
        current.layers().stream().filter(layer -> !updated.layers().contains(layer))
                .forEach(layer -> removeCodeIfUnreferenced(layer.codeSha256Hex()));
        announce(updated.name());
        return new Change(updated, answered);
    }

    private void announce(String name) {
        for (FunctionChangeListener listener : listeners) {
            listener.functionChanged(name);
        }
    }

    private void removeCodeIfUnreferenced(String sha256Hex) {
        references.removeIfUnreferenced(sha256Hex);
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

    private static FunctionRecord.LoggingSettings logging(String name, Optional<FunctionSettings.Logging> sent,
            Optional<FunctionRecord.LoggingSettings> current) {
        FunctionRecord.LoggingSettings base = current.orElse(
                new FunctionRecord.LoggingSettings("Text", null, null, "/aws/lambda/" + name));
        if (sent.isEmpty()) {
            return base;
        }
        FunctionSettings.Logging l = sent.get();
        String format = l.logFormat().orElse(base.logFormat());
        // AWS gives JSON-format functions default levels, and keeps levels unset for Text.
        boolean json = format.equals("JSON");
        String app = l.applicationLogLevel().orElse(json ? orElse(base.applicationLogLevel(), "INFO") : base.applicationLogLevel());
        String sys = l.systemLogLevel().orElse(json ? orElse(base.systemLogLevel(), "INFO") : base.systemLogLevel());
        return new FunctionRecord.LoggingSettings(format, app, sys, l.logGroup().orElse(base.logGroup()));
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
