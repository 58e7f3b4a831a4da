package dev.kindling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.control.ConstraintViolations;
import dev.kindling.control.LayerService;
import dev.kindling.store.LayerPolicy;
import dev.kindling.store.LayerVersionRecord;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The layer operations of the Lambda API (2018-10-31), in the shapes of botocore's service model. Request fields are
 * read here and handed to {@link LayerService}; nothing here decides anything.
 */
public final class LayersApi implements ApiServer.Operations {
    private static final DateTimeFormatter CREATED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);
    private static final String LAYERS = "/2018-10-31/layers";
    private static final String VERSION = LAYERS + "/{name}/versions/{version}";

    private final LayerService layers;
    private final CodeDownloads downloads;
    private final CodePackages packages;

    public LayersApi(LayerService layers, CodeDownloads downloads, CodePackages packages) {
        this.packages = packages;
        this.layers = layers;
        this.downloads = downloads;
    }

    @Override
    public void addRoutes(Router router) {
        router.addWithQuery("GetLayerVersionByArn", "GET", LAYERS, "find", "LayerVersion", this::getByArn)
                .add("ListLayers", "GET", LAYERS, this::listLayers)
                .add("PublishLayerVersion", "POST", LAYERS + "/{name}/versions", this::publish)
                .add("ListLayerVersions", "GET", LAYERS + "/{name}/versions", this::listVersions)
                .add("GetLayerVersion", "GET", VERSION, this::get)
                .add("DeleteLayerVersion", "DELETE", VERSION, this::delete)
                .add("AddLayerVersionPermission", "POST", VERSION + "/policy", this::addPermission)
                .add("GetLayerVersionPolicy", "GET", VERSION + "/policy", this::policy)
                .add("RemoveLayerVersionPermission", "DELETE", VERSION + "/policy/{sid}", this::removePermission);
    }

    private ApiResponse publish(ApiRequest request) {
        JsonNode body = Json.parseObject(request.body());
        JsonNode content = body.path("Content");
        if (!content.isObject()) {
            throw ConstraintViolations.missingMember("content");
        }
        LayerVersionRecord.Details details = new LayerVersionRecord.Details(
                RequestFields.text(body, "Description").orElse(""), RequestFields.text(body, "LicenseInfo"),
                RequestFields.strings(body, "CompatibleRuntimes"),
                RequestFields.strings(body, "CompatibleArchitectures"));
        LayerVersionRecord published = layers.publish(request.pathParam("name"), details, zip(content));
        return ApiResponse.json(201, version(request, published));
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.json(200, version(request, layers.get(request.pathParam("name"), versionNumber(request))));
    }

    private ApiResponse getByArn(ApiRequest request) {
        String arn = request.queryParam("Arn").orElseThrow(() -> ConstraintViolations.missingMember("arn"));
        return ApiResponse.json(200, version(request, layers.getByArn(arn)));
    }

    private ApiResponse listLayers(ApiRequest request) {
        LayerService.Page page = layers.listLayers(filter(request), request.queryParam("Marker"),
                RequestFields.integerQuery(request, "MaxItems"));
        ObjectNode body = Json.object();
        page.nextMarker().ifPresent(marker -> body.put("NextMarker", marker));
        ArrayNode list = body.putArray("Layers");
        for (LayerVersionRecord latest : page.versions()) {
            ObjectNode layer = list.addObject();
            layer.put("LayerName", latest.layerName());
            layer.put("LayerArn", layers.layerArn(latest.layerName()));
            layer.set("LatestMatchingVersion", listed(latest));
        }
        return ApiResponse.json(200, body);
    }

    private ApiResponse listVersions(ApiRequest request) {
        LayerService.Page page = layers.listVersions(request.pathParam("name"), filter(request),
                request.queryParam("Marker"), RequestFields.integerQuery(request, "MaxItems"));
        ObjectNode body = Json.object();
        page.nextMarker().ifPresent(marker -> body.put("NextMarker", marker));
        ArrayNode list = body.putArray("LayerVersions");
        page.versions().forEach(v -> list.add(listed(v)));
        return ApiResponse.json(200, body);
    }

    private ApiResponse delete(ApiRequest request) {
        layers.delete(request.pathParam("name"), versionNumber(request));
        return ApiResponse.empty(204);
    }

    private ApiResponse addPermission(ApiRequest request) {
        JsonNode body = Json.parseObject(request.body());
        ConstraintViolations missing = new ConstraintViolations();
        Optional<String> sid = RequestFields.text(body, "StatementId");
        Optional<String> action = RequestFields.text(body, "Action");
        Optional<String> principal = RequestFields.text(body, "Principal");
        sid.ifPresentOrElse(s -> { }, () -> missing.missing("statementId"));
        action.ifPresentOrElse(s -> { }, () -> missing.missing("action"));
        principal.ifPresentOrElse(s -> { }, () -> missing.missing("principal"));
        missing.throwIfAny();
        LayerPolicy.Statement statement = new LayerPolicy.Statement(sid.get(), action.get(), principal.get(),
                RequestFields.text(body, "OrganizationId"));
        String name = request.pathParam("name");
        long version = versionNumber(request);
        LayerPolicy policy = layers.addPermission(name, version, statement, request.queryParam("RevisionId"));
        String resource = layers.versionArn(layers.get(name, version));
        ObjectNode answer = Json.object();
        answer.put("Statement", statement(statement, resource).toString());
        answer.put("RevisionId", policy.revisionId());
        return ApiResponse.json(201, answer);
    }

    private ApiResponse removePermission(ApiRequest request) {
        layers.removePermission(request.pathParam("name"), versionNumber(request), request.pathParam("sid"),
                request.queryParam("RevisionId"));
        return ApiResponse.empty(204);
    }

    private ApiResponse policy(ApiRequest request) {
        String name = request.pathParam("name");
        long version = versionNumber(request);
        LayerPolicy policy = layers.policy(name, version);
        String resource = layers.versionArn(layers.get(name, version));
        ObjectNode document = Json.object();
        document.put("Version", "2012-10-17");
        document.put("Id", "default");
        ArrayNode statements = document.putArray("Statement");
        policy.statements().forEach(s -> statements.add(statement(s, resource)));
        ObjectNode answer = Json.object();
        answer.put("Policy", document.toString());
        answer.put("RevisionId", policy.revisionId());
        return ApiResponse.json(200, answer);
    }

    /** A statement as AWS writes it: an account becomes its root principal, an organization a condition. */
    private ObjectNode statement(LayerPolicy.Statement s, String resource) {
        ObjectNode statement = Json.object();
        statement.put("Sid", s.sid());
        statement.put("Effect", "Allow");
        if (s.principal().equals("*")) {
            statement.put("Principal", "*");
        } else {
            String root = s.principal().startsWith("arn:") ? s.principal()
                    : "arn:aws:iam::" + s.principal() + ":root";
            statement.putObject("Principal").put("AWS", root);
        }
        statement.put("Action", s.action());
        statement.put("Resource", resource);
        s.organizationId().ifPresent(org -> statement.putObject("Condition").putObject("StringEquals")
                .put("aws:PrincipalOrgID", org));
        return statement;
    }

    /** GetLayerVersionResponse and PublishLayerVersionResponse: a list entry, plus the content and layer ARN. */
    private ObjectNode version(ApiRequest request, LayerVersionRecord v) {
        ObjectNode body = Json.object();
        ObjectNode content = body.putObject("Content");
        content.put("Location", downloads.location(request.header("Host").orElse("127.0.0.1"), v.content().sha256Hex()));
        content.put("CodeSha256", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(v.content().sha256Hex())));
        content.put("CodeSize", v.content().size());
        body.put("LayerArn", layers.layerArn(v.layerName()));
        body.setAll(listed(v));
        return body;
    }

    /** LayerVersionsListItem. AWS shows the compatibility lists even when empty, and LicenseInfo only when set. */
    private ObjectNode listed(LayerVersionRecord v) {
        ObjectNode item = Json.object();
        item.put("LayerVersionArn", layers.versionArn(v));
        item.put("Version", v.version());
        item.put("Description", v.details().description());
        item.put("CreatedDate", CREATED.format(v.created()));
        ArrayNode runtimes = item.putArray("CompatibleRuntimes");
        v.details().compatibleRuntimes().forEach(runtimes::add);
        v.details().licenseInfo().ifPresent(license -> item.put("LicenseInfo", license));
        ArrayNode architectures = item.putArray("CompatibleArchitectures");
        v.details().compatibleArchitectures().forEach(architectures::add);
        return item;
    }

    private static LayerService.Filter filter(ApiRequest request) {
        return new LayerService.Filter(request.queryParam("CompatibleRuntime"),
                request.queryParam("CompatibleArchitecture"));
    }

    private static long versionNumber(ApiRequest request) {
        String version = request.pathParam("version");
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException e) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "VersionNumber must be a layer version number, not '" + version + "'.");
        }
    }

    /** The package of a layer's Content: ZipFile or S3. */
    private byte[] zip(JsonNode content) {
        return packages.read(content, "Please provide a source for the layer content: Content.ZipFile or"
                + " Content.S3Bucket and Content.S3Key.");
    }
}
