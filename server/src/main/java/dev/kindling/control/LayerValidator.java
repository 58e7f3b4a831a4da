package dev.kindling.control;

import dev.kindling.store.LayerVersionRecord;
import java.util.List;
import java.util.Optional;

/** The service model's constraints on what a PublishLayerVersion or a layer listing sends, in AWS's words. */
final class LayerValidator {
    private static final List<String> ARCHITECTURES = List.of("x86_64", "arm64");

    private LayerValidator() {}

    static void validate(LayerVersionRecord.Details details) {
        ConstraintViolations violations = new ConstraintViolations();
        if (details.description().length() > 256) {
            violations.add(details.description(), "description", "Member must have length less than or equal to 256");
        }
        details.licenseInfo().filter(license -> license.length() > 512).ifPresent(license -> violations.add(license,
                "licenseInfo", "Member must have length less than or equal to 512"));
        List<String> runtimes = details.compatibleRuntimes();
        if (runtimes.size() > 15) {
            violations.add(runtimes, "compatibleRuntimes", "Member must have length less than or equal to 15");
        } else if (!Runtimes.CREATABLE_ON_AWS.containsAll(runtimes)) {
            // AWS lists the runtimes it creates functions with, not the whole enum, and quotes the whole list.
            violations.add(runtimes, "compatibleRuntimes",
                    ConstraintViolations.enumConstraint(Runtimes.CREATABLE_ON_AWS));
        }
        List<String> architectures = details.compatibleArchitectures();
        if (architectures.size() > 2) {
            violations.add(architectures, "compatibleArchitectures", "Member must have length less than or equal to 2");
        } else if (!ARCHITECTURES.containsAll(architectures)) {
            violations.add(architectures, "compatibleArchitectures", "Member must satisfy constraint: ["
                    + ConstraintViolations.enumConstraint(ARCHITECTURES) + ", Member must not be null]");
        }
        violations.throwIfAny();
    }

    /** The CompatibleRuntime and CompatibleArchitecture filters of ListLayers and ListLayerVersions. */
    static void validate(LayerService.Filter filter) {
        ConstraintViolations violations = new ConstraintViolations();
        filter.runtime().filter(runtime -> !Runtimes.API_ENUM.contains(runtime)).ifPresent(runtime -> violations.add(
                runtime, "compatibleRuntime", ConstraintViolations.enumConstraint(Runtimes.API_ENUM)));
        filter.architecture().filter(arch -> !ARCHITECTURES.contains(arch)).ifPresent(arch -> violations.add(
                arch, "compatibleArchitecture", ConstraintViolations.enumConstraint(ARCHITECTURES)));
        violations.throwIfAny();
    }

    /** ListLayers' and ListLayerVersions' MaxItems: 1 to 50. */
    static Optional<Integer> maxItems(Optional<Integer> maxItems) {
        if (maxItems.isPresent() && maxItems.get() < 1) {
            throw ConstraintViolations.single(maxItems.get().toString(), "maxItems",
                    "Member must have value greater than or equal to 1");
        }
        if (maxItems.isPresent() && maxItems.get() > 50) {
            throw ConstraintViolations.single(maxItems.get().toString(), "maxItems",
                    "Member must have value less than or equal to 50");
        }
        return maxItems;
    }
}
