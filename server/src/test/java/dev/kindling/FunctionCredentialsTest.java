package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Each environment's own short-lived credentials, as AWS gives a function its role's: never the operator's key,
 * accepted by Kindling's API with their session token while the environment lives and until they expire, refused
 * after either.
 */
class FunctionCredentialsTest {
    /** Short enough for a test to see them expire; longer than a function's timeout plus a cold start. */
    private static final Duration LIFETIME = Duration.ofSeconds(12);

    @RegisterExtension
    static final RunningServer kindling = new RunningServer(c -> c.withCredentialLifetime(LIFETIME));
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String deploy() {
        String name = "creds-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py", """
                import os
                def lambda_handler(event, context):
                    return {k: os.environ[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")}
                """))).timeout(3).build());
        return name;
    }

    private static JsonNode credentialsOf(String name) throws Exception {
        InvokeResponse response = kindling.lambda().invoke(r -> r.functionName(name));
        assertThat(response.functionError()).isNull();
        return JSON.readTree(response.payload().asByteArray());
    }

    private static LambdaClient signedWith(AwsCredentials credentials) {
        return LambdaClient.builder().endpointOverride(URI.create(kindling.server().endpoint()))
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(ApacheHttpClient.create()).build();
    }

    private static AwsSessionCredentials session(JsonNode c) {
        return AwsSessionCredentials.create(c.get("AWS_ACCESS_KEY_ID").asText(),
                c.get("AWS_SECRET_ACCESS_KEY").asText(), c.get("AWS_SESSION_TOKEN").asText());
    }

    @Test
    void aFunctionsCredentialsAreItsOwnAndWorkOnlyWithTheirSessionToken() throws Exception {
        String name = deploy();
        JsonNode credentials = credentialsOf(name);
        assertThat(credentials.get("AWS_ACCESS_KEY_ID").asText()).isNotEqualTo(ServerConfig.DEFAULT_ACCESS_KEY);
        assertThat(credentials.get("AWS_SECRET_ACCESS_KEY").asText()).isNotEqualTo(ServerConfig.DEFAULT_SECRET_KEY);
        try (LambdaClient asFunction = signedWith(session(credentials))) {
            assertThat(asFunction.getFunction(r -> r.functionName(name)).configuration().functionName())
                    .isEqualTo(name);
        }
        try (LambdaClient withoutToken = signedWith(AwsBasicCredentials.create(
                credentials.get("AWS_ACCESS_KEY_ID").asText(), credentials.get("AWS_SECRET_ACCESS_KEY").asText()))) {
            ServerFixture.assertLambdaError(() -> withoutToken.listFunctions(), "UnrecognizedClientException", 403);
        }
    }

    /**
     * From inside its box a function reaches Kindling at AWS_ENDPOINT_URL and is served as its own identity: a
     * ListFunctions signed with SigV4 by hand (the system Python has no boto3) from the environment's credentials.
     */
    @Test
    void aFunctionCallsKindlingWithItsOwnCredentials() throws Exception {
        String name = "caller-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py", """
                import datetime, hashlib, hmac, json, os, urllib.error, urllib.parse, urllib.request
                def sign(key, text):
                    return hmac.new(key, text.encode(), hashlib.sha256).digest()
                def lambda_handler(event, context):
                    endpoint = urllib.parse.urlparse(os.environ["AWS_ENDPOINT_URL"])
                    path, region = "/2015-03-31/functions/", os.environ["AWS_REGION"]
                    now = datetime.datetime.now(datetime.timezone.utc)
                    amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
                    token = os.environ["AWS_SESSION_TOKEN"]
                    headers = {"host": endpoint.netloc, "x-amz-date": amz_date, "x-amz-security-token": token}
                    signed = ";".join(sorted(headers))
                    canonical = "\\n".join(["GET", path, "", *(k + ":" + headers[k] for k in sorted(headers)), "",
                                           signed, hashlib.sha256(b"").hexdigest()])
                    scope = "/".join([day, region, "lambda", "aws4_request"])
                    to_sign = "\\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                                         hashlib.sha256(canonical.encode()).hexdigest()])
                    key = ("AWS4" + os.environ["AWS_SECRET_ACCESS_KEY"]).encode()
                    for part in (day, region, "lambda", "aws4_request"):
                        key = sign(key, part)
                    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
                    request = urllib.request.Request(os.environ["AWS_ENDPOINT_URL"] + path, headers={
                        "X-Amz-Date": amz_date, "X-Amz-Security-Token": token,
                        "Authorization": "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s"
                                         % (os.environ["AWS_ACCESS_KEY_ID"], scope, signed, signature)})
                    try:
                        with urllib.request.urlopen(request, timeout=10) as response:
                            return {"status": response.status,
                                    "names": [f["FunctionName"] for f in json.load(response)["Functions"]]}
                    except urllib.error.HTTPError as e:
                        return {"status": e.code, "error": e.read().decode()}
                """))).timeout(20).build());
        InvokeResponse response = kindling.lambda().invoke(r -> r.functionName(name));
        assertThat(response.functionError()).as("the function's log:%n%s", kindling.logGroup(name)).isNull();
        JsonNode answer = JSON.readTree(response.payload().asByteArray());
        assertThat(answer.get("status").asInt()).as("%s", answer).isEqualTo(200);
        assertThat(answer.get("names").toString()).contains(name);
    }

    @Test
    void credentialsAreRefusedOnceTheirEnvironmentIsGone() throws Exception {
        String name = deploy();
        AwsSessionCredentials credentials = session(credentialsOf(name));
        kindling.lambda().updateFunctionConfiguration(r -> r.functionName(name).description("new environments"));
        try (LambdaClient asFunction = signedWith(credentials)) {
            ServerFixture.assertLambdaError(() -> asFunction.listFunctions(), "UnrecognizedClientException", 403);
        }
    }

    @Test
    void expiredCredentialsAreRefusedAndTheFunctionGetsNewOnes() throws Exception {
        String name = deploy();
        JsonNode first = credentialsOf(name);
        Instant expiry = Instant.now().plus(LIFETIME);
        try (LambdaClient asFunction = signedWith(session(first))) {
            while (Instant.now().isBefore(expiry.plusSeconds(1))) { // this test is about time: expiry is its subject
                Thread.sleep(200);
            }
            ServerFixture.assertLambdaError(() -> asFunction.listFunctions(), "ExpiredTokenException", 403);
        }
        JsonNode next = credentialsOf(name);
        assertThat(next.get("AWS_ACCESS_KEY_ID").asText()).as("a fresh environment with fresh credentials")
                .isNotEqualTo(first.get("AWS_ACCESS_KEY_ID").asText());
        try (LambdaClient asFunction = signedWith(session(next))) {
            assertThat(asFunction.listFunctions().functions()).isNotEmpty();
        }
    }
}
