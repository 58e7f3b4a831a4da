package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Environment;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;

class RestartPersistenceTest {
    @TempDir
    Path dataDir;

    private Path blob(byte[] zip) {
        return dataDir.resolve("code/blobs").resolve(ServerFixture.sha256Hex(zip) + ".zip");
    }

    @Test
    void everythingSurvivesARestart() throws Exception {
        byte[] zipA = ServerFixture.zip("alpha");
        byte[] zipB = ServerFixture.zip("beta");
        GetFunctionConfigurationResponse beforeA;
        GetFunctionConfigurationResponse beforeB;
        try (KindlingServer server = ServerFixture.start(dataDir); LambdaClient lambda = ServerFixture.client(server)) {
            lambda.createFunction(ServerFixture.create("alpha", zipA).tags(Map.of("team", "a", "env", "dev"))
                    .memorySize(256).timeout(30).description("alpha fn")
                    .environment(Environment.builder().variables(Map.of("KEY", "V")).build()).build());
            lambda.createFunction(ServerFixture.create("beta", zipB).tags(Map.of("team", "b")).build());
            beforeA = lambda.getFunctionConfiguration(r -> r.functionName("alpha"));
            beforeB = lambda.getFunctionConfiguration(r -> r.functionName("beta"));
        }

        try (KindlingServer server = ServerFixture.start(dataDir); LambdaClient lambda = ServerFixture.client(server)) {
            GetFunctionConfigurationResponse afterA = lambda.getFunctionConfiguration(r -> r.functionName("alpha"));
            GetFunctionConfigurationResponse afterB = lambda.getFunctionConfiguration(r -> r.functionName("beta"));
            assertThat(afterA.equalsBySdkFields(beforeA)).as("alpha: %s vs %s", afterA, beforeA).isTrue();
            assertThat(afterB.equalsBySdkFields(beforeB)).as("beta: %s vs %s", afterB, beforeB).isTrue();
            assertThat(afterA.lastModified()).isEqualTo(beforeA.lastModified());
            assertThat(afterA.revisionId()).isEqualTo(beforeA.revisionId());
            assertThat(afterA.memorySize()).isEqualTo(256);
            assertThat(afterA.environment().variables()).isEqualTo(Map.of("KEY", "V"));

            var a = lambda.getFunction(r -> r.functionName("alpha"));
            assertThat(a.tags()).isEqualTo(Map.of("team", "a", "env", "dev"));
            assertThat(lambda.listTags(r -> r.resource(afterB.functionArn())).tags()).isEqualTo(Map.of("team", "b"));
            assertThat(ServerFixture.download(a.code().location())).isEqualTo(zipA);
            assertThat(ServerFixture.download(lambda.getFunction(r -> r.functionName("beta")).code().location()))
                    .isEqualTo(zipB);
            assertThat(lambda.listFunctions().functions()).hasSize(2);
            assertThat(lambda.getAccountSettings().accountUsage().functionCount()).isEqualTo(2);
        }
    }

    @Test
    void oldBlobIsRemovedOnlyWhenNoFunctionRefersToIt() throws Exception {
        byte[] shared = ServerFixture.zip("shared");
        byte[] newA = ServerFixture.zip("new-a");
        byte[] newB = ServerFixture.zip("new-b");
        try (KindlingServer server = ServerFixture.start(dataDir); LambdaClient lambda = ServerFixture.client(server)) {
            lambda.createFunction(ServerFixture.create("one", shared).build());
            lambda.createFunction(ServerFixture.create("two", shared).build());
            assertThat(blob(shared)).exists();
        }
        try (KindlingServer server = ServerFixture.start(dataDir); LambdaClient lambda = ServerFixture.client(server)) {
            assertThat(blob(shared)).as("kept across restart").exists();

            lambda.updateFunctionCode(r -> r.functionName("one").zipFile(SdkBytes.fromByteArray(newA)));
            assertThat(blob(newA)).exists();
            assertThat(blob(shared)).as("still used by 'two'").exists();

            lambda.updateFunctionCode(r -> r.functionName("two").zipFile(SdkBytes.fromByteArray(newB)));
            assertThat(blob(shared)).as("no function refers to it any more").doesNotExist();
            assertThat(dataDir.resolve("code/tasks").resolve(ServerFixture.sha256Hex(shared))).doesNotExist();
            assertThat(ServerFixture.download(lambda.getFunction(r -> r.functionName("one")).code().location()))
                    .isEqualTo(newA);

            lambda.deleteFunction(r -> r.functionName("two"));
            assertThat(blob(newB)).as("deleted function's code").doesNotExist();
        }
        try (KindlingServer server = ServerFixture.start(dataDir); LambdaClient lambda = ServerFixture.client(server)) {
            try (var files = Files.list(dataDir.resolve("code/blobs"))) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .containsExactly(ServerFixture.sha256Hex(newA) + ".zip");
            }
            assertThat(ServerFixture.download(lambda.getFunction(r -> r.functionName("one")).code().location()))
                    .isEqualTo(newA);
        }
    }
}
