package dev.kindling.api;

import dev.kindling.LambdaException;
import dev.kindling.iam.AccessPolicies;
import dev.kindling.iam.Identities;
import dev.kindling.iam.Identity;
import dev.kindling.services.S3Storage;
import dev.kindling.triggers.BucketNotifications;
import dev.kindling.triggers.InvalidNotificationException;
import dev.kindling.triggers.S3Requester;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S3 on Kindling's one port. A request is S3's when it is signed for {@code s3} (in its Authorization header or,
 * presigned, in its query) or addressed to an S3 host name ({@code <bucket>.s3.localhost}). Kindling verifies the
 * signature itself, with the same keys as every other API (the operator's, and the session credentials it issues to
 * functions), then forwards the request to the embedded s3proxy with its body streamed both ways. Kindling answers
 * what s3proxy does not do: the bucket notification subresource ({@code ?notification}), which it stores, and the
 * checks S3 makes on names (bucket names AWS forbids, keys over 1,024 bytes). Every object change s3proxy confirms
 * is reported to the bucket notifications ({@link S3Changes}).
 */
public final class S3Api implements StreamedRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(S3Api.class);
    private static final int MAX_KEY_BYTES = 1024;
    /**
     * s3proxy keeps each key as a path, so each part between slashes is a file name, written first under a temporary
     * name 37 bytes longer: 255 - 37 bytes at most.
     */
    private static final int MAX_KEY_PART_BYTES = 218;
    /** A notification configuration is a small document; anything larger is not one. */
    private static final int MAX_CONFIGURATION_BYTES = 1_048_576;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final S3Forwarder forwarder;
    private final SigV4Verifier verifier;
    private final S3SigV2Verifier olderVerifier;
    private final BucketNotifications notifications;
    private final S3Changes changes;
    private final AccessCheck access;

    /**
     * @param s3 where requests go on to, once their signature is verified
     * @param access what each role's credentials may do: a function's S3 calls are checked against its role
     */
    public S3Api(S3Storage s3, Identities identities, AccessPolicies access, BucketNotifications notifications) {
        this.access = new AccessCheck(access);
        this.forwarder = new S3Forwarder(s3);
        this.verifier = new SigV4Verifier(identities);
        this.olderVerifier = new S3SigV2Verifier(identities);
        this.notifications = notifications;
        this.changes = new S3Changes(notifications, forwarder);
    }

    @Override
    public boolean claims(ApiRequest request) {
        Optional<String> authorization = request.header("Authorization");
        if (authorization.isPresent() && !authorization.get().startsWith("AWS ")) {
            return ServiceDirectory.scopeService(authorization.get()).map("s3"::equals).orElse(false);
        }
        if (S3SigV2Verifier.signedWith(request)) {
            return true;
        }
        if (request.rawQuery().contains("X-Amz-Credential=")) {
            String[] scope = request.queryParam("X-Amz-Credential").orElse("").split("/");
            return scope.length == 5 && scope[3].equals("s3");
        }
        return S3Address.isS3Host(request.header("Host").orElse(""));
    }

    @Override
    public void serve(ApiRequest api, Request request, Response response, Callback done) {
        String requestId = HexFormat.of().withUpperCase().formatHex(randomBytes(8));
        String hostId = java.util.Base64.getEncoder().encodeToString(randomBytes(48));
        S3Exchange exchange = new S3Exchange(api, request, response, requestId, hostId);
        try {
            S3Address address = S3Address.of(api.header("Host").orElse("localhost"), api.rawPath());
            SigV4Verifier.S3Signature signature = S3SigV2Verifier.signedWith(api)
                    ? new SigV4Verifier.S3Signature(olderVerifier.verify(api, address.pathStyle()), Optional.empty())
                    : verifier.verifyS3(api);
            serve(exchange, address, signature);
            done.succeeded();
        } catch (LambdaException e) {
            exchange.fail(S3Errors.of(e), done);
        } catch (S3Errors.Refused e) {
            exchange.fail(e.error(), done);
        } catch (InvalidNotificationException e) {
            exchange.fail(new S3Errors.S3Error(e.status(), e.code(), e.getMessage(), e.arguments()), done);
        } catch (AwsChunkedSignatures.Mismatch e) {
            exchange.fail(new S3Errors.S3Error(403, "SignatureDoesNotMatch", "The request signature we calculated"
                    + " does not match the signature you provided. Check your key and signing method."), done);
        } catch (S3Forwarder.DigestMismatch e) {
            exchange.fail(new S3Errors.S3Error(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256'"
                    + " header does not match what was computed."), done);
        } catch (Exception e) {
            if (response.isCommitted()) { // the answer was under way: only the connection can say it failed
                LOG.debug("S3 request {} {} ended early: {}", api.method(), api.rawPath(), e.toString());
                done.failed(e);
                return;
            }
            LOG.error("S3 request {} {} failed", api.method(), api.rawPath(), e);
            exchange.fail(new S3Errors.S3Error(500, "InternalError",
                    "We encountered an internal error. Please try again."), done);
        }
    }

    private void serve(S3Exchange exchange, S3Address address, SigV4Verifier.S3Signature signature)
            throws Exception {
        ApiRequest api = exchange.api();
        Identity caller = signature.identity();
        // IAM sees the request path-style, whichever style it came in: arn:aws:s3:::<bucket>/<key>
        ApiRequest pathStyle = new ApiRequest(api.requestId(), api.method(), address.pathStyle(), api.rawQuery(),
                api.headers(), api.body(), Map.of(), Optional.of(caller));
        access.require(caller, "s3", new Router.Match(S3Operations.of(api, address), r -> null, pathStyle, true));
        refusal(api, address).ifPresent(error -> {
            throw new S3Errors.Refused(error);
        });
        if (address.bucket().isPresent() && address.key().isEmpty() && api.queryParam("notification").isPresent()) {
            notificationConfiguration(exchange, address.bucket().get());
            return;
        }
        InputStream body = signature.chunks().map(c -> c.check(exchange.body())).orElseGet(exchange::body);
        HttpResponse<InputStream> answer = forwarder.forward(api, address, body, exchange.bodyLength());
        S3Requester requester = new S3Requester(principalId(caller), exchange.sourceIp(), exchange.requestId(),
                exchange.hostId());
        // The change's events are on disk before the client hears of the change (a PUT's answer has no body; the
        // answers that say what changed, of POSTs, are small and read first).
        Optional<byte[]> kept = S3Changes.needsBody(api, address) ? Optional.of(readAll(answer)) : Optional.empty();
        changes.observe(api, address, answer.statusCode(), answer.headers(), kept.orElse(new byte[0]), requester);
        exchange.answer(answer, kept);
    }

    private static byte[] readAll(HttpResponse<InputStream> answer) throws IOException {
        try (InputStream in = answer.body()) {
            return in.readAllBytes();
        }
    }

    /** What S3 refuses before it looks at any bucket: names it forbids. */
    private static Optional<S3Errors.S3Error> refusal(ApiRequest api, S3Address address) {
        if (address.key().isPresent() && address.key().get().getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return Optional.of(new S3Errors.S3Error(400, "KeyTooLongError", "Your key is too long",
                    List.of(Map.entry("Size", String.valueOf(address.key().get().getBytes(StandardCharsets.UTF_8)
                            .length)), Map.entry("MaxSizeAllowed", String.valueOf(MAX_KEY_BYTES)))));
        }
        if (address.key().isPresent() && java.util.Arrays.stream(address.key().get().split("/"))
                .anyMatch(part -> part.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_PART_BYTES)) {
            return Optional.of(new S3Errors.S3Error(400, "KeyTooLongError", "Your key is too long for Kindling's"
                    + " file-system store: each part of a key between slashes must be at most " + MAX_KEY_PART_BYTES
                    + " bytes (a file name's limit, less what s3proxy adds while writing)."));
        }
        boolean createBucket = api.method().equals("PUT") && address.key().isEmpty() && api.rawQuery().isEmpty();
        if (createBucket && address.bucket().isPresent() && !S3BucketNames.valid(address.bucket().get())) {
            return Optional.of(new S3Errors.S3Error(400, "InvalidBucketName", "The specified bucket is not valid.",
                    List.of(Map.entry("BucketName", address.bucket().get()))));
        }
        return Optional.empty();
    }

    /** GET and PUT {@code /<bucket>?notification}: Kindling's own, s3proxy has no notifications. */
    private void notificationConfiguration(S3Exchange exchange, String bucket) throws Exception {
        ApiRequest api = exchange.api();
        if (forwarder.head(bucket, "").statusCode() == 404) {
            throw new S3Errors.Refused(new S3Errors.S3Error(404, "NoSuchBucket", "The specified bucket does not exist",
                    List.of(Map.entry("BucketName", bucket))));
        }
        switch (api.method()) {
            case "GET" -> exchange.answerXml(200, notifications.configurationXml(bucket));
            case "PUT" -> {
                byte[] xml = exchange.readWhole(MAX_CONFIGURATION_BYTES);
                boolean skip = api.header("x-amz-skip-destination-validation").map("true"::equalsIgnoreCase)
                        .orElse(false);
                notifications.configure(bucket, xml, skip);
                exchange.answerXml(200, "");
            }
            default -> throw new S3Errors.Refused(new S3Errors.S3Error(405, "MethodNotAllowed",
                    "The specified method is not allowed against this resource."));
        }
    }

    /** The requester as an S3 event names it: the account for its root, {@code AWS:<role>:<session>} for a role. */
    private static String principalId(Identity caller) {
        String arn = caller.arn();
        int assumed = arn.indexOf(":assumed-role/");
        if (assumed >= 0) {
            return "AWS:" + arn.substring(assumed + ":assumed-role/".length()).replace('/', ':');
        }
        String account = arn.split(":").length > 4 ? arn.split(":")[4] : arn;
        return "AWS:" + account;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
