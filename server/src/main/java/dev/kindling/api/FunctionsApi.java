package dev.kindling.api;

import static dev.kindling.api.RequestFields.optionalBoolean;
import static dev.kindling.api.RequestFields.optionalInt;
import static dev.kindling.api.RequestFields.optionalText;
import static dev.kindling.api.RequestFields.requiredText;
import static dev.kindling.api.RequestFields.stringList;
import static dev.kindling.api.RequestFields.stringMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.code.CodeStore;
import dev.kindling.control.Arns;
import dev.kindling.control.ConcurrencyLedger;
import dev.kindling.control.ConstraintViolations;
import dev.kindling.control.FunctionRef;
import dev.kindling.control.FunctionService;
import dev.kindling.control.FunctionSettings;
import dev.kindling.control.FunctionStatus;
import dev.kindling.store.FunctionRecord;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The function-management operations of the Lambda API (2015-03-31 and friends), in the shapes of botocore's
 * service model. Request fields are read here and handed to {@link FunctionService}; nothing here decides anything.
 */
public final class FunctionsApi implements ApiServer.Operations {
    /** How AWS writes LastModified: 2024-01-02T03:04:05.678+0000. */
    static final DateTimeFormatter LAST_MODIFIED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);
    private static final long ACCOUNT_TOTAL_CODE_SIZE = 80_530_636_800L;

    private final FunctionService functions;
    private final CodeDownloads downloads;
    private final ConcurrencyLedger concurrency;
    private final CodePackages packages;

    public FunctionsApi(FunctionService functions, CodeDownloads downloads, ConcurrencyLedger concurrency,
            CodePackages packages) {
        this.functions = functions;
        this.downloads = downloads;
        this.concurrency = concurrency;
        this.packages = packages;
    }

    @Override
    public void addRoutes(Router router) {
        router.add("CreateFunction", "POST", "/2015-03-31/functions", this::create)
                .add("ListFunctions", "GET", "/2015-03-31/functions", this::list)
                .add("GetFunction", "GET", "/2015-03-31/functions/{name}", this::get)
                .add("DeleteFunction", "DELETE", "/2015-03-31/functions/{name}", this::delete)
                .add("GetFunctionConfiguration", "GET", "/2015-03-31/functions/{name}/configuration",
                        this::getConfiguration)
                .add("UpdateFunctionConfiguration", "PUT", "/2015-03-31/functions/{name}/configuration",
                        this::updateConfiguration)
                .add("UpdateFunctionCode", "PUT", "/2015-03-31/functions/{name}/code", this::updateCode)
                .add("PublishVersion", "POST", "/2015-03-31/functions/{name}/versions", this::publishVersion)
                .add("ListVersionsByFunction", "GET", "/2015-03-31/functions/{name}/versions", this::listVersions)
                .add("GetAccountSettings", "GET", "/2016-08-19/account-settings", this::accountSettings)
                .add("ListTags", "GET", "/2017-03-31/tags/{arn}", this::listTags)
                .add("TagResource", "POST", "/2017-03-31/tags/{arn}", this::tag)
                .add("UntagResource", "DELETE", "/2017-03-31/tags/{arn}", this::untag);
    }

    private ApiResponse create(ApiRequest request) {
        JsonNode body = Json.parseObject(request.body());
        String name = requiredText(body, "FunctionName");
        JsonNode code = body.path("Code");
        if (!code.isObject()) {
            throw new LambdaException(ErrorType.ValidationException, "1 validation error detected: Value null at"
                    + " 'code' failed to satisfy constraint: Member must not be null");
        }
        FunctionService.Change created = functions.create(name, settings(body), zip(code), tags(body.path("Tags")),
                optionalBoolean(body, "Publish"));
        ObjectNode answer = answer(created, FunctionStatus.CREATING);
        // As AWS answers: $LATEST's configuration, numbered as the version it published.
        created.published().ifPresent(version -> answer.put("Version", version.version()));
        return ApiResponse.json(201, answer);
    }

    private ApiResponse get(ApiRequest request) {
        FunctionRef ref = ref(request);
        FunctionRecord f = functions.get(ref);
        ObjectNode body = Json.object();
        body.set("Configuration", configuration(f, FunctionStatus.SETTLED, shownArn(ref, f)));
        ObjectNode code = body.putObject("Code");
        code.put("RepositoryType", "S3");
        code.put("Location", downloads.location(request.header("Host").orElse("127.0.0.1"), f.codeSha256Hex()));
        Map<String, String> tags = functions.tags(f.name());
        if (!tags.isEmpty()) {
            body.set("Tags", Json.MAPPER.valueToTree(tags));
        }
        concurrency.reservedFor(f.name()).ifPresent(reserved ->
                body.putObject("Concurrency").put("ReservedConcurrentExecutions", reserved));
        return ApiResponse.json(200, body);
    }

    private ApiResponse getConfiguration(ApiRequest request) {
        FunctionRef ref = ref(request);
        FunctionRecord f = functions.get(ref);
        return ApiResponse.json(200, configuration(f, FunctionStatus.SETTLED, shownArn(ref, f)));
    }

    private ApiResponse list(ApiRequest request) {
        Integer maxItems = ListParameters.validate(request);
        boolean all = request.queryParam("FunctionVersion").isPresent(); // ALL: the one value validate lets through
        FunctionService.Page page = functions.list(request.queryParam("Marker").orElse(null), maxItems, all);
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("Functions");
        // With FunctionVersion=ALL every entry is a version, $LATEST included, and AWS qualifies each ARN.
        page.functions().forEach(f -> list.add(listed(f, all ? qualifiedArn(f) : arnOf(f))));
        page.nextMarker().ifPresent(marker -> body.put("NextMarker", marker));
        return ApiResponse.json(200, body);
    }

    private ApiResponse listVersions(ApiRequest request) {
        Integer maxItems = ListParameters.validate(request);
        FunctionService.Page page = functions.versions(ref(request), request.queryParam("Marker").orElse(null),
                maxItems);
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("Versions");
        page.functions().forEach(f -> list.add(listed(f, qualifiedArn(f))));
        page.nextMarker().ifPresent(marker -> body.put("NextMarker", marker));
        return ApiResponse.json(200, body);
    }

    private ApiResponse publishVersion(ApiRequest request) {
        JsonNode body = Json.parseObject(request.body());
        String description = optionalText(body, "Description");
        if (description != null && description.length() > 256) {
            throw ConstraintViolations.single(description, "description",
                    "Member must have length less than or equal to 256");
        }
        FunctionRecord version = functions.publishVersion(refToChange(request), optionalText(body, "CodeSha256"),
                description, optionalText(body, "RevisionId"));
        return ApiResponse.json(201, configuration(version, FunctionStatus.SETTLED, arnOf(version)));
    }

    private ApiResponse updateCode(ApiRequest request) {
        JsonNode body = Json.parseObject(request.body());
        FunctionService.Change updated = functions.updateCode(refToChange(request), zip(body),
                optionalText(body, "RevisionId"), optionalBoolean(body, "Publish"));
        if (updated.published().isPresent()) {
            // As AWS answers: the version just published, as it is while it is being created.
            FunctionRecord version = updated.published().get();
            return ApiResponse.json(200, configuration(version, FunctionStatus.CREATING, arnOf(version)));
        }
        return ApiResponse.json(200, answer(updated, FunctionStatus.UPDATING));
    }

    private ApiResponse updateConfiguration(ApiRequest request) {
        JsonNode body = Json.parseObject(request.body());
        FunctionService.Change updated = functions.updateConfiguration(refToChange(request), settings(body),
                optionalText(body, "RevisionId"));
        return ApiResponse.json(200, answer(updated, FunctionStatus.UPDATING));
    }

    private ApiResponse delete(ApiRequest request) {
        functions.delete(ref(request));
        return ApiResponse.empty(204);
    }

    private ApiResponse accountSettings(ApiRequest request) {
        ObjectNode body = Json.object();
        ObjectNode limit = body.putObject("AccountLimit");
        limit.put("TotalCodeSize", ACCOUNT_TOTAL_CODE_SIZE);
        limit.put("CodeSizeUnzipped", CodeStore.MAX_UNZIPPED_BYTES);
        limit.put("CodeSizeZipped", CodeStore.MAX_ZIPPED_BYTES);
        limit.put("ConcurrentExecutions", concurrency.accountLimit());
        limit.put("UnreservedConcurrentExecutions", concurrency.unreservedPool());
        ObjectNode usage = body.putObject("AccountUsage");
        usage.put("TotalCodeSize", functions.totalCodeSize());
        usage.put("FunctionCount", functions.functionCount());
        return ApiResponse.json(200, body);
    }

    private ApiResponse listTags(ApiRequest request) {
        FunctionRecord f = functions.taggable(request.pathParam("arn"));
        ObjectNode body = Json.object();
        body.set("Tags", Json.MAPPER.valueToTree(functions.tags(f.name())));
        return ApiResponse.json(200, body);
    }

    private ApiResponse tag(ApiRequest request) {
        JsonNode body = Json.parseObject(request.body());
        if (!body.hasNonNull("Tags")) {
            throw ConstraintViolations.missingMember("tags");
        }
        Map<String, String> tags = tags(body.path("Tags"));
        if (tags.isEmpty()) {
            // AWS's own words for an empty Tags map.
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "An error occurred and the request cannot be processed.");
        }
        functions.tag(request.pathParam("arn"), tags);
        return ApiResponse.empty(204);
    }

    private ApiResponse untag(ApiRequest request) {
        List<String> keys = request.queryParams("tagKeys");
        if (keys.isEmpty()) {
            throw ConstraintViolations.missingMember("tagKeys");
        }
        functions.untag(request.pathParam("arn"), keys);
        return ApiResponse.empty(204);
    }

    /** The update operations have no Qualifier parameter, and take FunctionName as CreateFunction does. */
    private FunctionRef refToChange(ApiRequest request) {
        return functions.parseRefToChange(request.pathParam("name"));
    }

    private FunctionRef ref(ApiRequest request) {
        return functions.parseRef(request.pathParam("name"), request.queryParam("Qualifier").orElse(""));
    }

    /** The answer to a change: its configuration in flight, with the RevisionId AWS gives that moment. */
    private ObjectNode answer(FunctionService.Change change, FunctionStatus status) {
        return configuration(change.function(), status, arnOf(change.function()))
                .put("RevisionId", change.answeredRevisionId());
    }

    /** A version's ARN as AWS shows it by default: $LATEST's unqualified, a published version's with its number. */
    private String arnOf(FunctionRecord f) {
        return f.version().equals(FunctionRef.LATEST) ? functions.arn(f.name()) : qualifiedArn(f);
    }

    private String qualifiedArn(FunctionRecord f) {
        return functions.arn(f.qualifiedName());
    }

    /** The ARN a read shows: qualified as the request qualified it (an alias's ARN for an alias). */
    private String shownArn(FunctionRef ref, FunctionRecord f) {
        return ref.isQualified() ? functions.arn(ref.qualifiedName()) : arnOf(f);
    }

    /**
     * FunctionConfiguration as GetFunction, GetFunctionConfiguration and the changing operations return it: the
     * fields of a list entry, plus the state machine (see {@link FunctionStatus}) and RuntimeVersionConfig.
     *
     * @param arn the FunctionArn to show (see {@link #arnOf} and {@link #shownArn})
     */
    ObjectNode configuration(FunctionRecord f, FunctionStatus status, String arn) {
        ObjectNode c = listed(f, arn);
        c.putObject("RuntimeVersionConfig").put("RuntimeVersionArn", Arns.runtimeVersion(functions.region(), f.runtime()));
        switch (status) {
            case CREATING -> c.put("State", "Pending")
                    .put("StateReason", "The function is being created.")
                    .put("StateReasonCode", "Creating");
            case UPDATING -> c.put("State", "Active")
                    .put("LastUpdateStatus", "InProgress")
                    .put("LastUpdateStatusReason", "The function is being created.")
                    .put("LastUpdateStatusReasonCode", "Creating");
            case SETTLED -> c.put("State", "Active").put("LastUpdateStatus", "Successful");
        }
        return c;
    }

    /** FunctionConfiguration as ListFunctions returns it: AWS leaves out the state and the runtime version there. */
    ObjectNode listed(FunctionRecord f, String arn) {
        ObjectNode c = Json.object();
        c.put("FunctionName", f.name());
        c.put("FunctionArn", arn);
        c.put("Runtime", f.runtime());
        c.put("Role", f.role());
        c.put("Handler", f.handler());
        c.put("CodeSize", f.codeSize());
        c.put("Description", f.description());
        c.put("Timeout", f.timeoutSeconds());
        c.put("MemorySize", f.memoryMb());
        c.put("LastModified", LAST_MODIFIED.format(f.lastModified()));
        c.put("CodeSha256", java.util.Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex(f.codeSha256Hex())));
        c.put("Version", f.version());
        if (f.environmentConfigured() || !f.environment().isEmpty()) {
            c.putObject("Environment").set("Variables", Json.MAPPER.valueToTree(f.environment()));
        }
        f.deadLetterTarget().ifPresent(target -> c.putObject("DeadLetterConfig").put("TargetArn", target));
        c.putObject("TracingConfig").put("Mode", f.tracingMode());
        c.put("RevisionId", f.revisionId());
        if (!f.layers().isEmpty()) {
            ArrayNode layers = c.putArray("Layers");
            f.layers().forEach(layer -> layers.addObject().put("Arn", layer.arn()).put("CodeSize", layer.codeSize()));
        }
        c.put("PackageType", f.packageType());
        ArrayNode architectures = c.putArray("Architectures");
        f.architectures().forEach(architectures::add);
        c.putObject("EphemeralStorage").put("Size", f.ephemeralStorageMb());
        // AWS optimizes published versions only: $LATEST says Off even with ApplyOn PublishedVersions.
        boolean optimized = f.snapStartApplyOn().equals("PublishedVersions") && !f.version().equals("$LATEST");
        c.putObject("SnapStart").put("ApplyOn", f.snapStartApplyOn()).put("OptimizationStatus",
                optimized ? "On" : "Off");
        ObjectNode logging = c.putObject("LoggingConfig");
        logging.put("LogFormat", f.logging().logFormat());
        if (f.logging().applicationLogLevel() != null) {
            logging.put("ApplicationLogLevel", f.logging().applicationLogLevel());
        }
        if (f.logging().systemLogLevel() != null) {
            logging.put("SystemLogLevel", f.logging().systemLogLevel());
        }
        logging.put("LogGroup", f.logging().logGroup());
        return c;
    }

    private static FunctionSettings settings(JsonNode body) {
        JsonNode logging = body.path("LoggingConfig");
        JsonNode environment = body.path("Environment");
        Map<String, String> variables = stringMap(environment.path("Variables"), "Environment.Variables");
        return FunctionSettings.builder()
                .runtime(optionalText(body, "Runtime"))
                .role(optionalText(body, "Role"))
                .handler(optionalText(body, "Handler"))
                .description(optionalText(body, "Description"))
                .timeoutSeconds(optionalInt(body, "Timeout"))
                .memoryMb(optionalInt(body, "MemorySize"))
                .ephemeralStorageMb(body.path("EphemeralStorage").isObject()
                        ? optionalInt(body.path("EphemeralStorage"), "Size") : null)
                // An Environment without Variables sets no variables, as {"Variables": {}} does.
                .environment(environment.isObject() ? (variables == null ? Map.of() : variables) : null)
                .architectures(stringList(body.path("Architectures"), "Architectures"))
                .layers(stringList(body.path("Layers"), "Layers"))
                .logging(logging.isObject() ? new FunctionSettings.Logging(
                        Optional.ofNullable(optionalText(logging, "LogFormat")),
                        Optional.ofNullable(optionalText(logging, "ApplicationLogLevel")),
                        Optional.ofNullable(optionalText(logging, "SystemLogLevel")),
                        Optional.ofNullable(optionalText(logging, "LogGroup"))) : null)
                .tracingMode(body.path("TracingConfig").isObject()
                        ? optionalText(body.path("TracingConfig"), "Mode") : null)
                .packageType(optionalText(body, "PackageType"))
                .snapStartApplyOn(body.path("SnapStart").isObject()
                        ? Optional.ofNullable(optionalText(body.path("SnapStart"), "ApplyOn")).orElse("None") : null)
                // {} changes nothing; TargetArn "" removes the target (AWS's way).
                .deadLetterTarget(body.path("DeadLetterConfig").isObject()
                        ? optionalText(body.path("DeadLetterConfig"), "TargetArn") : null)
                .build();
    }

    /** The package of a Code object or UpdateFunctionCode request: ZipFile or S3; images are refused clearly. */
    private byte[] zip(JsonNode code) {
        if (code.hasNonNull("ImageUri")) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "Container images are not supported by Kindling: upload a .zip package as ZipFile or to S3.");
        }
        return packages.read(code, "Please provide a source for the function code: ZipFile or S3Bucket and S3Key.");
    }

    private static Map<String, String> tags(JsonNode node) {
        Map<String, String> tags = stringMap(node, "Tags");
        return tags == null ? Map.of() : tags;
    }
}
