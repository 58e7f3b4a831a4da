package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The web console's files at /console/, as a browser fetches them: the page, its script and stylesheet with their
 * types and security headers; nothing outside the built console reachable; and a bucket named "console" still S3's.
 * (The console itself is tested in a browser by tests/e2e/console.sh.)
 */
class ConsoleAssetsTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();

    private static HttpResponse<String> get(String path) {
        return ServerFixture.send(HttpRequest.newBuilder(URI.create(kindling.server().endpoint() + path)).GET().build());
    }

    @Test
    void thePageItsScriptAndItsStylesheetAreServedWithTheirTypesAndASecurityPolicy() {
        HttpResponse<String> page = get("/console/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<script type=\"module\" src=\"console.js\"></script>");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'").contains("frame-ancestors 'none'");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

        HttpResponse<String> script = get("/console/console.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(script.body()).contains("GetCallerIdentity").contains("UpdateFunctionCode");
        assertThat(get("/console/console.css").headers().firstValue("Content-Type"))
                .hasValue("text/css; charset=utf-8");
    }

    @Test
    void aBrowserGetsTheScriptGzipped() throws Exception {
        HttpResponse<byte[]> zipped = ServerFixture.HTTP.send(HttpRequest.newBuilder(
                URI.create(kindling.server().endpoint() + "/console/console.js"))
                .header("Accept-Encoding", "gzip, deflate, br").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(zipped.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        byte[] script;
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body()))) {
            script = in.readAllBytes();
        }
        assertThat(new String(script, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(get("/console/console.js").body());
        assertThat(zipped.body().length).isLessThan(script.length / 2);
    }

    @Test
    void theBarePathRedirectsToTheFolderSoRelativeAssetPathsResolve() {
        HttpResponse<String> bare = get("/console");
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location")).hasValue("/console/");
    }

    @Test
    void nothingOutsideTheBuiltConsoleIsReachable() {
        for (String path : new String[] {"/console/nothing.js", "/console/.hidden", "/console/x/console.js",
                "/console/..%2Fdev%2Fkindling%2FMain.class", "/console/%2e%2e/db/migration/V1__functions.sql"}) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isIn(400, 404);
            assertThat(response.body()).as(path).doesNotContain("CREATE TABLE").doesNotContain("\u00ca\u00fe\u00ba\u00be");
        }
    }

    @Test
    void aBucketNamedConsoleIsStillS3s() {
        try (S3Client s3 = S3Test.s3(kindling.server())) {
            s3.createBucket(b -> b.bucket("console"));
            s3.putObject(b -> b.bucket("console").key("index.html"), RequestBody.fromString("mine"));
            assertThat(s3.getObjectAsBytes(b -> b.bucket("console").key("index.html")).asUtf8String()).isEqualTo("mine");
        }
        assertThat(get("/console/").body()).contains("console.js"); // unsigned: still the console
    }
}
