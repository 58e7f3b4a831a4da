package dev.kindling;

import static dev.kindling.ServerFixture.ARN_PREFIX;
import static dev.kindling.ServerFixture.ROLE;
import static dev.kindling.ServerFixture.assertLambdaError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.Architecture;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.Environment;
import software.amazon.awssdk.services.lambda.model.EphemeralStorage;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.Layer;
import software.amazon.awssdk.services.lambda.model.ListFunctionsResponse;
import software.amazon.awssdk.services.lambda.model.PackageType;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.State;
import software.amazon.awssdk.services.lambda.model.TracingMode;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionCodeResponse;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionConfigurationResponse;

class FunctionLifecycleTest {
    private static final String LAST_MODIFIED = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000";

    @RegisterExtension
    static final RunningServer kindling = new RunningServer();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void createReturnsEveryFieldAwsReturns() {
        String name = unique("create");
        byte[] zip = ServerFixture.zip("v1");
        CreateFunctionResponse f = kindling.lambda().createFunction(ServerFixture.create(name, zip).description("first").build());

        assertThat(f.sdkHttpResponse().statusCode()).isEqualTo(201);
        assertThat(f.functionName()).isEqualTo(name);
        assertThat(f.functionArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:" + name);
        assertThat(f.runtime()).isEqualTo(Runtime.PYTHON3_12);
        assertThat(f.role()).isEqualTo(ROLE);
        assertThat(f.handler()).isEqualTo("lambda_function.lambda_handler");
        assertThat(f.description()).isEqualTo("first");
        assertThat(f.timeout()).isEqualTo(3);
        assertThat(f.memorySize()).isEqualTo(128);
        assertThat(f.codeSha256()).isEqualTo(ServerFixture.sha256Base64(zip));
        assertThat(f.codeSize()).isEqualTo(zip.length);
        assertThat(f.lastModified()).matches(LAST_MODIFIED);
        assertThat(f.revisionId()).isNotBlank();
        assertThat(f.version()).isEqualTo("$LATEST");
        // AWS answers CreateFunction with Pending; the next read sees it Active (ResponseShapesTest).
        assertThat(f.state()).isEqualTo(State.PENDING);
        assertThat(f.lastUpdateStatus()).isNull();
        assertThat(f.packageType()).isEqualTo(PackageType.ZIP);
        assertThat(f.architectures()).containsExactly(Architecture.X86_64);
        assertThat(f.ephemeralStorage().size()).isEqualTo(512);
        assertThat(f.tracingConfig().mode()).isEqualTo(TracingMode.PASS_THROUGH);
        assertThat(f.loggingConfig().logGroup()).isEqualTo("/aws/lambda/" + name);
        assertThat(f.loggingConfig().logFormatAsString()).isEqualTo("Text");
    }

    @Test
    void getByNameFullArnAndPartialArnAndDownloadCode() {
        String name = unique("get");
        byte[] zip = ServerFixture.zip("get");
        CreateFunctionResponse created = kindling.lambda().createFunction(ServerFixture.create(name, zip).build());

        for (String ref : List.of(name, ARN_PREFIX + name, "000000000000:function:" + name)) {
            GetFunctionResponse got = kindling.lambda().getFunction(r -> r.functionName(ref));
            FunctionConfiguration c = got.configuration();
            assertThat(c.functionName()).as(ref).isEqualTo(name);
            assertThat(c.functionArn()).isEqualTo(created.functionArn());
            assertThat(c.codeSha256()).isEqualTo(created.codeSha256());
            // AWS: the function got a new RevisionId when it left Pending (test_function_revisions_basic).
            assertThat(c.revisionId()).isNotEqualTo(created.revisionId());
            assertThat(c.lastModified()).isEqualTo(created.lastModified());
            assertThat(got.code().location()).startsWith("http://");
            assertThat(ServerFixture.download(got.code().location())).isEqualTo(zip);

            var conf = kindling.lambda().getFunctionConfiguration(r -> r.functionName(ref));
            assertThat(conf.functionArn()).isEqualTo(created.functionArn());
        }
    }

    @Test
    void listPagesThroughEveryFunctionOnceInNameOrder() {
        String prefix = unique("page");
        List<String> names = new ArrayList<>();
        for (int i = 4; i >= 0; i--) {
            String name = prefix + "-" + i;
            names.add(0, name);
            kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zip(name)).build());
        }
        List<String> seen = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            String m = marker;
            ListFunctionsResponse page = kindling.lambda().listFunctions(r -> r.maxItems(2).marker(m));
            assertThat(page.functions()).hasSizeLessThanOrEqualTo(2);
            page.functions().forEach(f -> seen.add(f.functionName()));
            marker = page.nextMarker();
            pages++;
            assertThat(pages).isLessThan(1000);
        } while (marker != null);

        List<String> ours = seen.stream().filter(n -> n.startsWith(prefix)).toList();
        assertThat(ours).containsExactlyElementsOf(names);
        assertThat(seen).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void updateCodeChangesShaAndRevision() {
        String name = unique("code");
        byte[] v1 = ServerFixture.zip("v1");
        byte[] v2 = ServerFixture.zip("v2-longer");
        CreateFunctionResponse created = kindling.lambda().createFunction(ServerFixture.create(name, v1).build());

        UpdateFunctionCodeResponse updated = kindling.lambda().updateFunctionCode(r -> r.functionName(name)
                .zipFile(SdkBytes.fromByteArray(v2)));
        assertThat(updated.codeSha256()).isEqualTo(ServerFixture.sha256Base64(v2)).isNotEqualTo(created.codeSha256());
        assertThat(updated.codeSize()).isEqualTo(v2.length);
        assertThat(updated.revisionId()).isNotBlank().isNotEqualTo(created.revisionId());
        assertThat(updated.lastModified()).matches(LAST_MODIFIED);

        GetFunctionResponse got = kindling.lambda().getFunction(r -> r.functionName(name));
        assertThat(got.configuration().codeSha256()).isEqualTo(updated.codeSha256());
        // AWS: the completed update has a newer RevisionId than the update's answer (test_function_revisions_basic).
        assertThat(got.configuration().revisionId()).isNotEqualTo(updated.revisionId());
        assertThat(ServerFixture.download(got.code().location())).isEqualTo(v2);
    }

    @Test
    void updateConfigurationStoresAndReturnsEveryField() {
        String name = unique("conf");
        CreateFunctionResponse created = kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zip("c")).build());
        String newRole = "arn:aws:iam::000000000000:role/other-role";
        String layer = kindling.lambda().publishLayerVersion(r -> r.layerName(unique("deps"))
                .content(c -> c.zipFile(SdkBytes.fromByteArray(ServerFixture.zip("layer"))))).layerVersionArn();

        UpdateFunctionConfigurationResponse updated = kindling.lambda().updateFunctionConfiguration(r -> r
                .functionName(name)
                .handler("app.main")
                .memorySize(1024)
                .timeout(120)
                .environment(Environment.builder().variables(Map.of("STAGE", "prod", "DEBUG", "1")).build())
                .description("updated description")
                .role(newRole)
                .ephemeralStorage(EphemeralStorage.builder().size(2048).build())
                .layers(layer));

        var fromGetConfig = kindling.lambda().getFunctionConfiguration(r -> r.functionName(name));
        var fromGet = kindling.lambda().getFunction(r -> r.functionName(name)).configuration();
        List<View> views = List.of(
                new View(updated.handler(), updated.memorySize(), updated.timeout(), updated.environment().variables(),
                        updated.description(), updated.role(), updated.ephemeralStorage().size(),
                        updated.layers().stream().map(Layer::arn).toList(), updated.codeSha256(),
                        updated.runtime()),
                new View(fromGetConfig.handler(), fromGetConfig.memorySize(), fromGetConfig.timeout(),
                        fromGetConfig.environment().variables(), fromGetConfig.description(), fromGetConfig.role(),
                        fromGetConfig.ephemeralStorage().size(),
                        fromGetConfig.layers().stream().map(Layer::arn).toList(), fromGetConfig.codeSha256(),
                        fromGetConfig.runtime()),
                new View(fromGet.handler(), fromGet.memorySize(), fromGet.timeout(), fromGet.environment().variables(),
                        fromGet.description(), fromGet.role(), fromGet.ephemeralStorage().size(),
                        fromGet.layers().stream().map(Layer::arn).toList(), fromGet.codeSha256(),
                        fromGet.runtime()));
        // AWS: the update's answer has a RevisionId of its own; reads after it completes share a newer one.
        assertThat(updated.revisionId()).isNotEqualTo(created.revisionId());
        assertThat(fromGet.revisionId()).isEqualTo(fromGetConfig.revisionId()).isNotEqualTo(updated.revisionId());
        for (View c : views) {
            assertThat(c).isEqualTo(new View("app.main", 1024, 120, Map.of("STAGE", "prod", "DEBUG", "1"),
                    "updated description", newRole, 2048, List.of(layer), created.codeSha256(),
                    Runtime.PYTHON3_12));
        }
    }

    record View(String handler, Integer memorySize, Integer timeout, Map<String, String> env, String description,
            String role, Integer ephemeralStorage, List<String> layers, String codeSha256,
            Runtime runtime) {}

    @Test
    void tagListTagsUntag() {
        String name = unique("tags");
        String arn = kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zip("t"))
                .tags(Map.of("team", "core")).build()).functionArn();
        assertThat(kindling.lambda().listTags(r -> r.resource(arn)).tags()).isEqualTo(Map.of("team", "core"));

        kindling.lambda().tagResource(r -> r.resource(arn).tags(Map.of("env", "test", "owner", "me")));
        assertThat(kindling.lambda().listTags(r -> r.resource(arn)).tags())
                .isEqualTo(Map.of("team", "core", "env", "test", "owner", "me"));
        assertThat(kindling.lambda().getFunction(r -> r.functionName(name)).tags())
                .isEqualTo(Map.of("team", "core", "env", "test", "owner", "me"));

        kindling.lambda().untagResource(r -> r.resource(arn).tagKeys("team", "owner"));
        assertThat(kindling.lambda().listTags(r -> r.resource(arn)).tags()).isEqualTo(Map.of("env", "test"));
    }

    @Test
    void accountSettingsCountFunctions() {
        String name = unique("acct");
        long before = kindling.lambda().getAccountSettings().accountUsage().functionCount();
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zip("a")).build());
        var settings = kindling.lambda().getAccountSettings();
        assertThat(settings.accountUsage().functionCount()).isEqualTo(before + 1);
        assertThat(settings.accountUsage().totalCodeSize()).isPositive();
        assertThat(settings.accountLimit().codeSizeZipped()).isEqualTo(52_428_800L);
        assertThat(settings.accountLimit().codeSizeUnzipped()).isEqualTo(262_144_000L);
        long listed = 0;
        String marker = null;
        do {
            String m = marker;
            ListFunctionsResponse page = kindling.lambda().listFunctions(r -> r.marker(m));
            listed += page.functions().size();
            marker = page.nextMarker();
        } while (marker != null);
        assertThat(settings.accountUsage().functionCount()).isEqualTo(listed);
    }

    @Test
    void deleteThenGetIsNotFound() {
        String name = unique("del");
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zip("d")).build());
        kindling.lambda().deleteFunction(r -> r.functionName(name));

        var e = assertLambdaError(() -> kindling.lambda().getFunction(r -> r.functionName(name)), "ResourceNotFoundException", 404);
        assertThat(e).isInstanceOf(ResourceNotFoundException.class);
        assertThat(ServerFixture.message(e)).contains(ARN_PREFIX + name);
        assertLambdaError(() -> kindling.lambda().deleteFunction(r -> r.functionName(name)), "ResourceNotFoundException", 404);
        assertThat(kindling.lambda().listFunctions().functions()).extracting(FunctionConfiguration::functionName)
                .doesNotContain(name);
    }

    @Test
    void createTwiceIsConflict() {
        String name = unique("twice");
        CreateFunctionResponse first = kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zip("1")).build());
        String settled = kindling.lambda().getFunctionConfiguration(r -> r.functionName(name)).revisionId();
        var e = assertLambdaError(() -> kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zip("2")).build()),
                "ResourceConflictException", 409);
        assertThat(e).isInstanceOf(ResourceConflictException.class);
        assertThat(ServerFixture.message(e)).contains(name);
        // The first function is untouched.
        var c = kindling.lambda().getFunctionConfiguration(r -> r.functionName(name));
        assertThat(c.codeSha256()).isEqualTo(first.codeSha256());
        assertThat(c.revisionId()).isEqualTo(settled);
    }
}
