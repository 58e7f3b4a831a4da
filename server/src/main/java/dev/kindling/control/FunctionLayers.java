package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.code.CodeStore;
import dev.kindling.store.LayerReference;
import dev.kindling.store.LayerRepository;
import dev.kindling.store.LayerVersionRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The layers a function is configured with: AWS's rules for the Layers of CreateFunction and
 * UpdateFunctionConfiguration, and their resolution into the {@link LayerReference}s the function keeps.
 */
public final class FunctionLayers {
    /** AWS's limit on layers per function. */
    public static final int MAX_PER_FUNCTION = 5;

    private final LayerRepository repository;
    private final CodeStore code;
    private final String region;
    private final String accountId;

    public FunctionLayers(LayerRepository repository, CodeStore code, String region, String accountId) {
        this.repository = repository;
        this.code = code;
        this.region = region;
        this.accountId = accountId;
    }

    /**
     * The layers a CreateFunction or UpdateFunctionConfiguration names, resolved, in order: at most five, each an
     * existing version of a layer of this region, no layer twice. Throws AWS's error for the first that is not.
     */
    List<LayerReference> resolve(List<String> layerVersionArns) {
        if (layerVersionArns.size() > MAX_PER_FUNCTION) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "Cannot reference more than "
                    + MAX_PER_FUNCTION + " layers.");
        }
        List<LayerReference> resolved = new ArrayList<>();
        Map<String, String> byLayer = new HashMap<>();
        String quoted = ConstraintViolations.list(layerVersionArns);
        for (String arn : layerVersionArns) {
            LayerArns.VersionArn parsed = LayerArns.parseVersion(arn, "layers", quoted);
            if (!parsed.region().equals(region)) {
                throw new LambdaException(ErrorType.InvalidParameterValueException, "Layers are not in the same"
                        + " region as the function. Layers are expected to be in region " + region + ".");
            }
            // Another account's layers cannot exist here: Kindling serves one account.
            Optional<LayerVersionRecord> found = parsed.accountId().equals(accountId)
                    ? repository.find(parsed.layerName(), parsed.version()) : Optional.empty();
            LayerVersionRecord v = found.orElseThrow(() -> new LambdaException(
                    ErrorType.InvalidParameterValueException, "Layer version " + arn + " does not exist."));
            String other = byLayer.putIfAbsent(v.layerName(), arn);
            if (other != null) {
                throw new LambdaException(ErrorType.InvalidParameterValueException, "Two different versions of the"
                        + " same layer are not allowed to be referenced in the same function. " + other + " and "
                        + arn + " are versions of the same layer.");
            }
            resolved.add(new LayerReference(arn, v.content().sha256Hex(), v.content().size(),
                    v.content().unzippedSize()));
        }
        return List.copyOf(resolved);
    }

    /** AWS's limit on a function's code and its layers together, unzipped. */
    static void requireWithinSizeLimit(LongSupplier functionUnzipped, List<LayerReference> layers) {
        if (layers.isEmpty()) {
            return; // the function's own code is held to the limit when it is unpacked
        }
        long total = functionUnzipped.getAsLong() + layers.stream().mapToLong(LayerReference::unzippedSize).sum();
        if (total > CodeStore.MAX_UNZIPPED_BYTES) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "Function code combined with layers"
                    + " exceeds the maximum allowed size of " + CodeStore.MAX_UNZIPPED_BYTES + " bytes. The actual"
                    + " size is " + total + " bytes.");
        }
    }

    /**
     * Checks, under the code store's lock, that resolved layers still have their code: a layer version deleted
     * between a CreateFunction's resolution of its layers and its commit takes its code with it.
     */
    void requireStored(List<LayerReference> layers) {
        for (LayerReference layer : layers) {
            if (!code.contains(layer.codeSha256Hex())) {
                throw new LambdaException(ErrorType.InvalidParameterValueException,
                        "Layer version " + layer.arn() + " does not exist.");
            }
        }
    }
}
