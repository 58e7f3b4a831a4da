// The console's only way to Kindling: its public AWS APIs on this page's own origin, signed with SigV4 in the
// browser with the key the user signed in with (kept for this tab only, in sessionStorage).
import { LambdaClient } from "@aws-sdk/client-lambda";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SQSClient } from "@aws-sdk/client-sqs";
import { ApiGatewayV2Client } from "@aws-sdk/client-apigatewayv2";
import { S3Client } from "@aws-sdk/client-s3";
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256Js } from "@smithy/core/checksum";

const STORAGE_KEY = "kindling.session";

/** The signed-in key, or null. */
export function currentSession() {
  const saved = sessionStorage.getItem(STORAGE_KEY);
  return saved ? JSON.parse(saved) : null;
}

/**
 * Checks the key with STS GetCallerIdentity (any valid key may call it) and keeps it for this tab.
 * Throws the API's error (a bad key: "The security token included in the request is invalid.").
 */
export async function signIn({ accessKeyId, secretAccessKey, sessionToken, region }) {
  const session = { accessKeyId: accessKeyId.trim(), secretAccessKey: secretAccessKey.trim(), region: region.trim() };
  if (sessionToken && sessionToken.trim()) session.sessionToken = sessionToken.trim();
  const identity = await new STSClient(config(session)).send(new GetCallerIdentityCommand({}));
  session.arn = identity.Arn;
  session.account = identity.Account;
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  clients = null;
  return session;
}

export function signOut() {
  sessionStorage.removeItem(STORAGE_KEY);
  clients = null;
}

function config(session) {
  const credentials = { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey };
  if (session.sessionToken) credentials.sessionToken = session.sessionToken;
  // One attempt: a failure is shown at once with AWS's message, and the user decides whether to try again.
  return { endpoint: location.origin, region: session.region, credentials, maxAttempts: 1 };
}

let clients = null;

/** The AWS SDK clients for the signed-in key. */
export function aws() {
  if (!clients) {
    const session = currentSession();
    if (!session) throw new Error("Not signed in");
    const c = config(session);
    clients = {
      session,
      lambda: new LambdaClient(c),
      logs: new CloudWatchLogsClient(c),
      cloudwatch: new CloudWatchClient(c),
      events: new EventBridgeClient(c),
      sqs: new SQSClient(c),
      apigateway: new ApiGatewayV2Client(c),
      // Buckets by path on the one endpoint; checksums only where S3 requires them.
      s3: new S3Client({ ...c, forcePathStyle: true, requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" }),
    };
  }
  return clients;
}

/**
 * Kindling's usage report (GET /kindling/usage, signed for the lambda service like Lambda's own operations): no
 * AWS SDK has a command for it, so it is signed here with the SDK's own signer.
 */
export async function usageThisMonth() {
  const session = currentSession();
  const signer = new SignatureV4({
    service: "lambda", region: session.region, sha256: Sha256Js,
    credentials: { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken },
  });
  const url = new URL("/kindling/usage", location.origin);
  const signed = await signer.sign({
    method: "GET", protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined,
    path: url.pathname, query: {}, headers: { host: url.host },
  });
  const headers = { ...signed.headers };
  delete headers.host; // the browser sends it, and may not be told to
  const response = await fetch(url, { headers });
  const body = await response.json();
  if (!response.ok) {
    const error = new Error(body.message ?? body.Message ?? `HTTP ${response.status}`);
    error.name = body.Type ?? body.__type ?? "Error";
    throw error;
  }
  return body;
}

/** An error as AWS tells it: its code and message (the SDK's name is the error code). */
export function describeError(error) {
  const code = error?.name && error.name !== "Error" ? error.name : error?.Code ?? "";
  const message = error?.message ?? String(error);
  const status = error?.$metadata?.httpStatusCode;
  return { code, message, status };
}
