package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.code.CodeStore;
import dev.kindling.code.StagedCode;
import dev.kindling.store.LayerPolicy;
import dev.kindling.store.LayerRepository;
import dev.kindling.store.LayerVersionRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What layers exist: publishing, reading, listing and deleting layer versions, their resource policies, and
 * resolving the layer version ARNs a function is configured with. A version is immutable once published; its number
 * is never given twice. Deleting a version leaves its code to the functions that use it ({@link CodeReferences}).
 */
public final class LayerService {
    private static final String NOT_FOUND = "The resource you requested does not exist.";

    private final LayerRepository repository;
    private final CodeStore code;
    private final CodeReferences references;
    private final LayerArns arns;
    private final String region;
    private final String accountId;

    public LayerService(LayerRepository repository, CodeStore code, CodeReferences references, String region,
            String accountId) {
        this.repository = repository;
        this.code = code;
        this.references = references;
        this.arns = new LayerArns(region, accountId);
        this.region = region;
        this.accountId = accountId;
    }

    /** The CompatibleRuntime and CompatibleArchitecture filters of the listings; empty matches every version. */
    public record Filter(Optional<String> runtime, Optional<String> architecture) {
        boolean matches(LayerVersionRecord v) {
            return runtime.map(v.details().compatibleRuntimes()::contains).orElse(true)
                    && architecture.map(v.details().compatibleArchitectures()::contains).orElse(true);
        }
    }

    /** One page of a listing, and the marker of the next when there is one. */
    public record Page(List<LayerVersionRecord> versions, Optional<String> nextMarker) {}

    public String layerArn(String layerName) {
        return arns.layer(layerName);
    }

    public String versionArn(LayerVersionRecord v) {
        return arns.version(v.layerName(), v.version());
    }

    /** Publishes the zip as the layer's next version, creating the layer on its first. */
    public LayerVersionRecord publish(String layerName, LayerVersionRecord.Details details, byte[] zip) {
        String name = arns.nameOf(layerName).orElseThrow(() -> new LambdaException(
                ErrorType.InvalidParameterValueException, "Layers can only be published in this region and account: "
                        + arns.layer("<name>")));
        LayerValidator.validate(details);
        StagedCode staged = code.stage(zip);
        long unzipped = CodeStore.unpackedSize(staged.unpackedDir());
        references.lock().lock();
        try {
            code.publish(staged);
            LayerVersionRecord.Content content = new LayerVersionRecord.Content(staged.sha256Hex(), staged.size(),
                    unzipped);
            Instant created = Instant.now();
            return repository.insertNextVersion(name,
                    version -> new LayerVersionRecord(name, version, details, content, created));
        } finally {
            code.discard(staged);
            references.lock().unlock();
        }
    }

    /** GetLayerVersion: the version, by layer name or ARN and number. */
    public LayerVersionRecord get(String layerName, long version) {
        requireValidVersion(version);
        return arns.nameOf(layerName).flatMap(name -> repository.find(name, version))
                .orElseThrow(() -> new LambdaException(ErrorType.ResourceNotFoundException, NOT_FOUND));
    }

    /** GetLayerVersionByArn. */
    public LayerVersionRecord getByArn(String arn) {
        LayerArns.VersionArn parsed = LayerArns.parseVersion(arn, "arn", arn);
        return here(parsed).flatMap(name -> repository.find(name, parsed.version()))
                .orElseThrow(() -> new LambdaException(ErrorType.ResourceNotFoundException, NOT_FOUND));
    }

    /** ListLayers: each layer with a version matching the filter, by name, with its newest matching version. */
    public Page listLayers(Filter filter, Optional<String> marker, Optional<Integer> maxItems) {
        LayerValidator.validate(filter);
        int limit = LayerValidator.maxItems(maxItems).orElse(50);
        String after = marker.map(LayerService::decodeMarker).orElse("");
        Map<String, LayerVersionRecord> latest = new LinkedHashMap<>();
        for (LayerVersionRecord v : repository.allVersions()) { // by name, newest first
            if (v.layerName().compareTo(after) > 0 && filter.matches(v)) {
                latest.putIfAbsent(v.layerName(), v);
            }
        }
        return page(new ArrayList<>(latest.values()), limit, LayerVersionRecord::layerName);
    }

    /** ListLayerVersions: the layer's versions matching the filter, newest first; none for an unknown layer. */
    public Page listVersions(String layerName, Filter filter, Optional<String> marker, Optional<Integer> maxItems) {
        Optional<String> name = arns.nameOf(layerName);
        LayerValidator.validate(filter);
        int limit = LayerValidator.maxItems(maxItems).orElse(50);
        Optional<Long> before = marker.map(m -> parseMarkerVersion(decodeMarker(m)));
        Predicate<LayerVersionRecord> afterMarker = v -> before.map(b -> v.version() < b).orElse(true);
        List<LayerVersionRecord> versions = name.map(repository::versions).orElse(List.of()).stream()
                .filter(afterMarker).filter(filter::matches).toList();
        return page(versions, limit, v -> Long.toString(v.version()));
    }

    /** DeleteLayerVersion: idempotent, as on AWS. Functions using the version keep its content. */
    public void delete(String layerName, long version) {
        requireValidVersion(version);
        Optional<String> name = arns.nameOf(layerName);
        if (name.isEmpty()) {
            return;
        }
        references.lock().lock();
        try {
            Optional<LayerVersionRecord> deleted = repository.find(name.get(), version);
            if (deleted.isPresent() && repository.delete(name.get(), version)) {
                references.removeIfUnreferenced(deleted.get().content().sha256Hex());
            }
        } finally {
            references.lock().unlock();
        }
    }

    /** AddLayerVersionPermission: adds the statement, and returns the policy it is now part of. */
    public LayerPolicy addPermission(String layerName, long version, LayerPolicy.Statement statement,
            Optional<String> expectedRevision) {
        LayerPermissions.validate(statement);
        references.lock().lock();
        try {
            LayerVersionRecord v = existing(layerName, version);
            Optional<LayerPolicy> current = repository.policy(v.layerName(), version);
            List<LayerPolicy.Statement> statements = new ArrayList<>(
                    current.map(LayerPolicy::statements).orElse(List.of()));
            if (statements.stream().anyMatch(s -> s.sid().equals(statement.sid()))) {
                throw new LambdaException(ErrorType.ResourceConflictException, "The statement id (" + statement.sid()
                        + ") provided already exists. Please provide a new statement id, or remove the existing"
                        + " statement.");
            }
            requireRevision(current, expectedRevision);
            statements.add(statement);
            LayerPolicy updated = new LayerPolicy(UUID.randomUUID().toString(), statements);
            repository.putPolicy(v.layerName(), version, Optional.of(updated));
            return updated;
        } finally {
            references.lock().unlock();
        }
    }

    /** RemoveLayerVersionPermission. A policy left without statements is no policy. */
    public void removePermission(String layerName, long version, String statementId,
            Optional<String> expectedRevision) {
        references.lock().lock();
        try {
            LayerVersionRecord v = existing(layerName, version);
            Optional<LayerPolicy> current = repository.policy(v.layerName(), version);
            requireRevision(current, expectedRevision);
            List<LayerPolicy.Statement> statements = new ArrayList<>(
                    current.map(LayerPolicy::statements).orElse(List.of()));
            if (!statements.removeIf(s -> s.sid().equals(statementId))) {
                throw new LambdaException(ErrorType.ResourceNotFoundException,
                        "Statement " + statementId + " is not found in resource policy.");
            }
            repository.putPolicy(v.layerName(), version, statements.isEmpty() ? Optional.empty()
                    : Optional.of(new LayerPolicy(UUID.randomUUID().toString(), statements)));
        } finally {
            references.lock().unlock();
        }
    }

    /** GetLayerVersionPolicy. */
    public LayerPolicy policy(String layerName, long version) {
        LayerVersionRecord v = existing(layerName, version);
        return repository.policy(v.layerName(), version).orElseThrow(() -> new LambdaException(
                ErrorType.ResourceNotFoundException, "No policy is associated with the given resource."));
    }

    private LayerVersionRecord existing(String layerName, long version) {
        requireValidVersion(version);
        return arns.nameOf(layerName).flatMap(name -> repository.find(name, version))
                .orElseThrow(() -> new LambdaException(ErrorType.ResourceNotFoundException, "Layer version "
                        + (layerName.startsWith("arn:") ? layerName : arns.layer(layerName)) + ":" + version
                        + " does not exist."));
    }

    /** The layer's name when the ARN is of this region and account; no other layers exist here. */
    private Optional<String> here(LayerArns.VersionArn arn) {
        return arn.region().equals(region) && arn.accountId().equals(accountId) ? Optional.of(arn.layerName())
                : Optional.empty();
    }

    private static void requireValidVersion(long version) {
        if (version < 1) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "Layer Version Cannot be less than 1");
        }
    }

    private static void requireRevision(Optional<LayerPolicy> current, Optional<String> expected) {
        if (expected.isPresent() && !expected.equals(current.map(LayerPolicy::revisionId))) {
            throw new LambdaException(ErrorType.PreconditionFailedException, "The Revision Id provided does not"
                    + " match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id");
        }
    }

    private static Page page(List<LayerVersionRecord> all, int limit,
            Function<LayerVersionRecord, String> markerOf) {
        List<LayerVersionRecord> page = all.subList(0, Math.min(limit, all.size()));
        Optional<String> next = all.size() > limit ? Optional.of(encodeMarker(markerOf.apply(page.getLast())))
                : Optional.empty();
        return new Page(List.copyOf(page), next);
    }

    private static String encodeMarker(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeMarker(String marker) {
        try {
            return new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw badMarker(marker);
        }
    }

    private static long parseMarkerVersion(String decoded) {
        try {
            return Long.parseLong(decoded);
        } catch (NumberFormatException e) {
            throw badMarker(decoded);
        }
    }

    private static LambdaException badMarker(String marker) {
        return new LambdaException(ErrorType.InvalidParameterValueException,
                "Invalid Marker '" + marker + "': pass the NextMarker of a previous list response.");
    }
}
