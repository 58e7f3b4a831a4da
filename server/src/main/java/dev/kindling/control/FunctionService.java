package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.code.CodeStore;
import dev.kindling.code.StagedCode;
import dev.kindling.store.AliasRecord;
import dev.kindling.store.AliasRepository;
import dev.kindling.store.FunctionRecord;
import dev.kindling.store.FunctionRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What functions and function versions exist: creating, reading, changing, publishing and deleting them, with AWS's
 * validation. Every change of the unpublished version ($LATEST) gets a new RevisionId and is announced to the
 * {@link FunctionChangeListener}s, so that nothing keeps running old code; published versions never change.
 *
 * <p>Changes are serialised by one lock, held only for the short publish-and-commit step: staging a zip (the slow
 * part) happens outside it. Reads of a single version are served from memory, which the hot invoke path relies on.
 */
public final class FunctionService {
    private final FunctionRepository repository;
    private final Aliases aliases;
    private final CodeStore code;
    private final CodeReferences references;
    private final FunctionLayers layers;
    private final ExecutionRoleCheck roles;
    private final DeadLetterTargets deadLetterTargets;
    private final String region;
    private final String accountId;
    /** The code store's lock ({@link CodeReferences#lock()}): code is published and committed under it. */
    private final ReentrantLock changes;
    /** Versions by {@link FunctionRecord#qualifiedName()}. */
    private final Map<String, FunctionRecord> cache = new ConcurrentHashMap<>();
    private final List<FunctionChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final RuntimeAvailability runtimes;

    public FunctionService(FunctionRepository repository, AliasRepository aliases, CodeStore code,
            CodeReferences references, FunctionLayers layers, ExecutionRoleCheck roles,
            DeadLetterTargets deadLetterTargets, String region, String accountId) {
        this(repository, aliases, code, references, layers, roles, deadLetterTargets, RuntimeAvailability.EVERY,
                region, accountId);
    }

    /** @param runtimes refuses, at CreateFunction and at a change of runtime, a runtime this host cannot run */
    public FunctionService(FunctionRepository repository, AliasRepository aliases, CodeStore code,
            CodeReferences references, FunctionLayers layers, ExecutionRoleCheck roles,
            DeadLetterTargets deadLetterTargets, RuntimeAvailability runtimes, String region, String accountId) {
        this.runtimes = runtimes;
        this.repository = repository;
        this.roles = roles;
        this.deadLetterTargets = deadLetterTargets;
        this.aliases = new Aliases(aliases);
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

    /** The ARN of a function ({@code name}) or of one of its versions or aliases ({@code name:qualifier}). */
    public String arn(String qualifiedName) {
        return Arns.function(region, accountId, qualifiedName);
    }

    Aliases aliases() {
        return aliases;
    }

    /** Runs {@code change} alone among changes to functions, versions and aliases. */
    <T> T underChangeLock(java.util.function.Supplier<T> change) {
        changes.lock();
        try {
            return change.get();
        } finally {
            changes.unlock();
        }
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
     *
     * @param published the version the change published (Publish=true), if it did
     */
    public record Change(FunctionRecord function, String answeredRevisionId, Optional<FunctionRecord> published) {}

    /** Creates a function; with {@code publish}, publishes its first version too. */
    public Change create(String functionName, FunctionSettings s, byte[] zip, Map<String, String> tags,
            boolean publish) {
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
        FunctionRecord.Builder draft = FunctionRecord.builder().name(name).version(FunctionRef.LATEST)
                .runtime(s.runtime().get())
                .role(s.role().get()).handler(s.handler().get()).logging(logging(name, s.logging(), Optional.empty()));
        s.architectures().ifPresent(draft::architectures);
        s.packageType().ifPresent(draft::packageType);
        applyConfiguration(s, draft);
        // Checked before the zip is staged, the slow part; the code fields are placeholders until then.
        FunctionRecord unstaged = draft.code("", 0).revisionId("").lastModified(Instant.EPOCH).build();
        FunctionValidator.validate(unstaged);
        requireRunnable(unstaged.runtime());
        roles.requireAssumableByLambda(unstaged.role());
        s.deadLetterTarget().ifPresent(deadLetterTargets::check);
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
            cache.put(function.qualifiedName(), function);
            listeners.forEach(listener -> listener.versionReady(function));
            return new Change(function, answered, publish ? Optional.of(publish(function, null)) : Optional.empty());
        } finally {
            code.discard(staged);
            changes.unlock();
        }
    }

    /**
     * The version a ref names: $LATEST as it is now (no qualifier, or $LATEST), a published version, or the version
     * an alias points to (its primary one; see {@link #route} for invocations).
     */
    public FunctionRecord get(FunctionRef ref) {
        if (!ref.canExist()) {
            throw notFound(ref.qualifiedName());
        }
        if (ref.namesAlias()) {
            AliasRecord alias = aliases.find(ref.name(), ref.qualifier()).orElseThrow(() -> notFound(ref.qualifiedName()));
            return version(ref.name(), alias.functionVersion()).orElseThrow(() -> notFound(ref.qualifiedName()));
        }
        String version = ref.namesLatest() ? FunctionRef.LATEST : ref.qualifier();
        return version(ref.name(), version).orElseThrow(() -> notFound(ref.qualifiedName()));
    }

    /**
     * The version an invocation of the ref runs: as {@link #get}, except that an alias with a RoutingConfig sends
     * each invocation to its additional version with that version's weight, as AWS does.
     */
    public FunctionRecord route(FunctionRef ref) {
        if (ref.canExist() && ref.namesAlias()) {
            AliasRecord alias = aliases.find(ref.name(), ref.qualifier()).orElseThrow(() -> notFound(ref.qualifiedName()));
            String chosen = AliasRouting.choose(alias, ThreadLocalRandom.current().nextDouble());
            return version(ref.name(), chosen).orElseThrow(() -> notFound(ref.qualifiedName()));
        }
        return get(ref);
    }

    /** A version of the function, if both exist. */
    Optional<FunctionRecord> version(String name, String version) {
        String key = name + ":" + version;
        FunctionRecord cached = cache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        // Read under the change lock: a read racing a deletion must not cache what was just deleted.
        return underChangeLock(() -> {
            Optional<FunctionRecord> stored = version.equals(FunctionRef.LATEST) ? repository.find(name)
                    : repository.findVersion(name, version);
            stored.ifPresent(found -> cache.put(key, found));
            return stored;
        });
    }

    public Map<String, String> tags(String name) {
        return repository.tags(name);
    }

    /**
     * A page of functions in name order, each as its $LATEST, or with {@code allVersions} each followed by its
     * published versions (ListFunctions with FunctionVersion=ALL). The marker is opaque to clients.
     */
    public Page list(String marker, Integer maxItems, boolean allVersions) {
        int limit = maxItems == null ? 50 : maxItems;
        String after = PageMarkers.decode(marker, "ListFunctions");
        if (!allVersions) {
            List<FunctionRecord> rows = repository.list(after, limit + 1);
            return page(rows, limit);
        }
        // The marker is the last entry's name:version; its function's later versions come first.
        int colon = after.indexOf(':');
        String afterName = colon < 0 ? after : after.substring(0, colon);
        List<FunctionRecord> entries = new ArrayList<>();
        String from = colon < 0 ? afterName : "";
        if (colon >= 0) {
            repository.find(afterName).ifPresent(f -> entries.addAll(
                    versionsAfter(versionsOf(f), after.substring(colon + 1))));
            from = afterName;
        }
        while (entries.size() <= limit) {
            List<FunctionRecord> functions = repository.list(from, limit + 1);
            if (functions.isEmpty()) {
                break;
            }
            for (FunctionRecord f : functions) {
                entries.addAll(versionsOf(f));
            }
            from = functions.get(functions.size() - 1).name();
        }
        return page(entries, limit);
    }

    /**
     * A page of the function's versions: $LATEST first, then the published ones, oldest first
     * (ListVersionsByFunction).
     */
    public Page versions(FunctionRef ref, String marker, Integer maxItems) {
        int limit = maxItems == null ? 50 : maxItems;
        FunctionRecord latest = get(ref.withQualifier(""));
        List<FunctionRecord> all = versionsOf(latest);
        String after = PageMarkers.decode(marker, "ListVersionsByFunction");
        int colon = after.indexOf(':');
        List<FunctionRecord> rest = after.isEmpty() ? all : versionsAfter(all, after.substring(colon + 1));
        return page(rest, limit);
    }

    private List<FunctionRecord> versionsOf(FunctionRecord latest) {
        List<FunctionRecord> all = new ArrayList<>();
        all.add(latest);
        all.addAll(repository.versions(latest.name()));
        return all;
    }

    private static List<FunctionRecord> versionsAfter(List<FunctionRecord> versions, String version) {
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).version().equals(version)) {
                return versions.subList(i + 1, versions.size());
            }
        }
        return versions.stream().filter(v -> !v.version().equals(FunctionRef.LATEST)
                && Long.parseLong(v.version()) > parseOrZero(version)).toList();
    }

    private static long parseOrZero(String version) {
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Page page(List<FunctionRecord> entries, int limit) {
        List<FunctionRecord> page = new ArrayList<>(entries.subList(0, Math.min(limit, entries.size())));
        Optional<String> next = entries.size() > limit
                ? Optional.of(PageMarkers.encode(page.get(page.size() - 1).qualifiedName()))
                : Optional.empty();
        return new Page(page, next);
    }

    public record Page(List<FunctionRecord> functions, Optional<String> nextMarker) {}

    /** Replaces $LATEST's code; with {@code publish}, publishes the result as a new version too. */
    public Change updateCode(FunctionRef ref, byte[] zip, String expectedRevision, boolean publish) {
        requireUnqualified(ref);
        StagedCode staged = code.stage(zip);
        changes.lock();
        try {
            FunctionRecord current = currentForChange(ref.name(), expectedRevision);
            FunctionLayers.requireWithinSizeLimit(() -> CodeStore.unpackedSize(staged.unpackedDir()), current.layers());
            FunctionRecord.Builder updated = current.toBuilder().code(staged.sha256Hex(), staged.size());
            code.publish(staged);
            Change change = commit(current, updated);
            return publish ? new Change(change.function(), change.answeredRevisionId(),
                    Optional.of(publish(change.function(), null))) : change;
        } finally {
            code.discard(staged);
            changes.unlock();
        }
    }

    /**
     * Publishes $LATEST as a new version (PublishVersion): an immutable copy of its code and configuration, numbered
     * one past the last number ever published. If $LATEST has not changed since the last version was published, that
     * version is returned instead, as on AWS.
     *
     * @param codeSha256 the CodeSha256 (base64) $LATEST must have, or null
     * @param description the version's description, or null for $LATEST's
     * @param expectedRevision the RevisionId $LATEST must have, or null
     */
    public FunctionRecord publishVersion(FunctionRef ref, String codeSha256, String description,
            String expectedRevision) {
        requireUnqualified(ref);
        changes.lock();
        try {
            FunctionRecord latest = currentForChange(ref.name(), expectedRevision);
            String latestSha = java.util.Base64.getEncoder().encodeToString(
                    java.util.HexFormat.of().parseHex(latest.codeSha256Hex()));
            if (codeSha256 != null && !codeSha256.equals(latestSha)) {
                throw new LambdaException(ErrorType.InvalidParameterValueException, "CodeSHA256 (" + codeSha256
                        + ") is different from current CodeSHA256 in $LATEST (" + latestSha
                        + "). Please try again with the CodeSHA256 in $LATEST.");
            }
            return publish(latest, description);
        } finally {
            changes.unlock();
        }
    }

    /** Publishes {@code latest} (under the change lock); see {@link #publishVersion}. */
    private FunctionRecord publish(FunctionRecord latest, String description) {
        FunctionRepository.PublishedSoFar soFar = repository.publishedSoFar(latest.name());
        if (soFar.lastFromRevision().equals(Optional.of(latest.revisionId()))) {
            Optional<FunctionRecord> unchanged = version(latest.name(), Integer.toString(soFar.lastVersion()));
            if (unchanged.isPresent()) {
                return unchanged.get();
            }
        }
        int number = soFar.lastVersion() + 1;
        FunctionRecord version = latest.toBuilder().version(Integer.toString(number))
                .description(description != null ? description : latest.description())
                .revisionId(newRevision()).lastModified(Instant.now()).build();
        if (!repository.publish(version, number, latest.revisionId(), soFar.lastVersion())) {
            throw new LambdaException(ErrorType.ResourceConflictException, "The function " + latest.name()
                    + " published a version meanwhile: retry.");
        }
        cache.put(version.qualifiedName(), version);
        listeners.forEach(listener -> listener.versionReady(version));
        return version;
    }

    /** Changes the fields the request sent; Architectures and PackageType are not UpdateFunctionConfiguration's. */
    public Change updateConfiguration(FunctionRef ref, FunctionSettings s, String expectedRevision) {
        requireUnqualified(ref);
        s.deadLetterTarget().ifPresent(deadLetterTargets::check); // before the lock: it may ask a queue service
        changes.lock();
        try {
            FunctionRecord current = currentForChange(ref.name(), expectedRevision);
            FunctionRecord.Builder updated = current.toBuilder();
            s.runtime().ifPresent(updated::runtime);
            s.role().ifPresent(updated::role);
            s.handler().ifPresent(updated::handler);
            updated.logging(logging(current.name(), s.logging(), Optional.of(current.logging())));
            applyConfiguration(s, updated);
            if (s.role().isPresent()) {
                FunctionValidator.validate(updated.revisionId(current.revisionId()).build()); // the ARN's form first
                roles.requireAssumableByLambda(s.role().get());
            }
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
        s.snapStartApplyOn().ifPresent(b::snapStartApplyOn);
        s.deadLetterTarget().ifPresent(target -> b.deadLetterTarget(Optional.of(target)));
    }

    /**
     * Deletes the function (its versions and aliases with it), or one published version when qualified. As on AWS:
     * $LATEST and aliases cannot be deleted this way, a version an alias points to is kept, and deleting a version
     * that does not exist succeeds.
     */
    public void delete(FunctionRef ref) {
        if (ref.qualifier().equals(FunctionRef.LATEST)) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "$LATEST version cannot be deleted without deleting the function.");
        }
        if (ref.isQualified() && ref.namesAlias()) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "Deletion of aliases is not currently supported.");
        }
        changes.lock();
        try {
            FunctionRecord current = (ref.canExist() ? repository.find(ref.name()) : Optional.<FunctionRecord>empty())
                    .orElseThrow(() -> notFound(ref.name()));
            if (ref.isQualified()) {
                deleteVersion(current, ref.qualifier());
                return;
            }
            List<FunctionRecord> versions = repository.versions(ref.name());
            repository.delete(ref.name());
            cache.keySet().removeIf(key -> key.startsWith(ref.name() + ":"));
            aliases.forgetFunction(ref.name());
            removeCodeIfUnreferenced(current.codeSha256Hex());
            current.layers().forEach(layer -> removeCodeIfUnreferenced(layer.codeSha256Hex()));
            for (FunctionRecord version : versions) {
                removeCodeIfUnreferenced(version.codeSha256Hex());
                version.layers().forEach(layer -> removeCodeIfUnreferenced(layer.codeSha256Hex()));
            }
        } finally {
            changes.unlock();
        }
        for (FunctionChangeListener listener : listeners) {
            listener.functionDeleted(ref.name());
        }
    }

    private void deleteVersion(FunctionRecord latest, String version) {
        List<String> referencing = aliases.referencing(latest.name(), version);
        if (!referencing.isEmpty()) {
            throw new LambdaException(ErrorType.ResourceConflictException,
                    "Unable to delete version because the following aliases reference it: " + referencing);
        }
        Optional<FunctionRecord> deleted = repository.findVersion(latest.name(), version);
        if (deleted.isEmpty() || !repository.deleteVersion(latest.name(), version)) {
            return;
        }
        cache.remove(deleted.get().qualifiedName());
        removeCodeIfUnreferenced(deleted.get().codeSha256Hex());
        deleted.get().layers().forEach(layer -> removeCodeIfUnreferenced(layer.codeSha256Hex()));
        announce(deleted.get());
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

    private void requireRunnable(String runtime) {
        runtimes.problem(runtime).ifPresent(problem -> {
            throw new LambdaException(ErrorType.InvalidParameterValueException, problem);
        });
    }

    /** Validates and stores a change with its new revisions; see {@link Change}. */
    private Change commit(FunctionRecord current, FunctionRecord.Builder change) {
        String answered = newRevision();
        FunctionRecord updated = change.revisionId(newRevision()).lastModified(Instant.now()).build();
        FunctionValidator.validate(updated);
        if (!updated.runtime().equals(current.runtime())) {
            requireRunnable(updated.runtime());
        }
        if (!updated.layers().equals(current.layers())) {
            FunctionLayers.requireWithinSizeLimit(() -> code.unpackedSize(updated.codeSha256Hex()), updated.layers());
        }
        if (!repository.update(updated, current.revisionId())) {
            throw new LambdaException(ErrorType.ResourceConflictException, "The function " + current.name()
                    + " was changed by another request: retry with its new RevisionId.");
        }
        cache.put(updated.qualifiedName(), updated);
        if (!current.codeSha256Hex().equals(updated.codeSha256Hex())) {
            removeCodeIfUnreferenced(current.codeSha256Hex());
        }
        current.layers().stream().filter(layer -> !updated.layers().contains(layer))
                .forEach(layer -> removeCodeIfUnreferenced(layer.codeSha256Hex()));
        announce(updated);
        listeners.forEach(listener -> listener.versionReady(updated));
        return new Change(updated, answered, Optional.empty());
    }

    /** Tells the listeners that {@code version}'s environments must serve no more invocations. */
    private void announce(FunctionRecord version) {
        for (FunctionChangeListener listener : listeners) {
            listener.versionRetired(version.name(), version.version());
        }
    }

    private void removeCodeIfUnreferenced(String sha256Hex) {
        references.removeIfUnreferenced(sha256Hex);
    }

    private void requireUnqualified(FunctionRef ref) {
        if (!ref.namesLatest()) {
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

    private static <T> T orElse(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
