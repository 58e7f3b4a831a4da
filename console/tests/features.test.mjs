// The console's other pages in a real headless Chromium: a function error shown as AWS shows it, saved test events,
// general configuration (and AWS's error for a bad value, nothing changed), versions and weighted aliases,
// triggers (schedule, SQS queue, HTTP API called in the browser), a zip upload, the functions list's search and
// paging, and tabs used from the keyboard. Each test checks with the AWS SDK what the console did.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  CreateFunctionCommand, GetFunctionConfigurationCommand, GetAliasCommand, UpdateFunctionConfigurationCommand,
  ListEventSourceMappingsCommand, GetFunctionCommand, GetFunctionConcurrencyCommand, GetFunctionEventInvokeConfigCommand,
  GetProvisionedConcurrencyConfigCommand, PublishLayerVersionCommand, PublishVersionCommand,
} from "@aws-sdk/client-lambda";
import { EventBridgeClient, ListRuleNamesByTargetCommand } from "@aws-sdk/client-eventbridge";
import { SQSClient, CreateQueueCommand } from "@aws-sdk/client-sqs";
import { S3Client, CreateBucketCommand, PutObjectCommand, GetBucketNotificationConfigurationCommand } from "@aws-sdk/client-s3";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { WAIT, lambda, sdkConfig, openBrowser, signIn, zipSync, strToU8 } from "./browser.mjs";

let browser;
let page;
let shot;
let ordersQueue;

before(async () => {
  // Made while the other tests run: the server starts its SQS service (ElasticMQ) on the first SQS call, which
  // takes seconds on a loaded machine.
  ordersQueue = new SQSClient(sdkConfig).send(new CreateQueueCommand({ QueueName: "console-orders" }));
  ordersQueue.catch(() => {}); // awaited (and its failure reported) by the triggers test
  ({ browser, page, shot } = await openBrowser("features"));
  await signIn(page);
});

after(async () => {
  await browser?.close();
});

const ROLE = "arn:aws:iam::000000000000:role/lambda-role";

async function createPython(name, code) {
  await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: "python3.12", Role: ROLE,
    Handler: "lambda_function.lambda_handler", Code: { ZipFile: zipSync({ "lambda_function.py": strToU8(code) }) } }));
}

async function openFunction(name, tab) {
  await page.goto(`${(new URL(page.url())).origin}/console/#/functions/${name}/${tab}`);
  await page.getByRole("heading", { name, exact: true }).waitFor();
}

test("a function error is shown with its type, message and stack trace; saved events stay", async () => {
  await createPython("FailingForm", `def lambda_handler(event, context):
    check(event)

def check(event):
    raise ValueError("the form has no name")
`);
  await openFunction("FailingForm", "test");
  await page.getByLabel("Event name").fill("EmptyForm");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByText("The test event EmptyForm was successfully saved.").waitFor();
  await page.getByRole("button", { name: "Test", exact: true }).click();
  const result = page.locator(".execution-result");
  await result.getByText("Executing function: failed").waitFor();
  const error = await result.locator("dl.function-error").innerText();
  assert.match(error, /Error type\s+ValueError/);
  assert.match(error, /Error message\s+the form has no name/);
  assert.match(error, /Stack trace[\s\S]*lambda_function\.py[\s\S]*in check/);
  assert.match(await result.locator("pre.logs").innerText(), /REPORT RequestId/);
  await shot("function-error");

  await page.reload();
  await page.getByLabel("Saved events").waitFor();
  assert.equal(await page.getByLabel("Saved events").inputValue(), "EmptyForm");
});

test("general configuration is saved, and a bad value gets AWS's error with nothing changed", async () => {
  await createPython("Configured", "def lambda_handler(event, context):\n    return 1\n");
  await openFunction("Configured", "configuration");
  const general = page.locator("section.general");
  await general.getByLabel("Memory (MB)").fill("256");
  await general.getByLabel("Timeout (seconds)").fill("10");
  await general.getByLabel("Description").fill("Set in the console");
  await general.getByRole("button", { name: "Save" }).click();
  await general.getByText("Successfully updated the function Configured.").waitFor();
  let config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "Configured" }));
  assert.equal(config.MemorySize, 256);
  assert.equal(config.Timeout, 10);
  assert.equal(config.Description, "Set in the console");

  await general.getByLabel("Memory (MB)").fill("100");
  await general.getByRole("button", { name: "Save" }).click();
  const alert = general.getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.innerText(), /ValidationException[\s\S]*memorySize/);
  await shot("configuration-error");
  config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "Configured" }));
  assert.equal(config.MemorySize, 256);
});

test("layers, reserved and provisioned concurrency, and asynchronous invocation settings are saved", async () => {
  await createPython("Tuned", "def lambda_handler(event, context):\n    return 1\n");
  await lambda.send(new PublishVersionCommand({ FunctionName: "Tuned" }));
  const layer = await lambda.send(new PublishLayerVersionCommand({ LayerName: "console-helpers",
    Content: { ZipFile: zipSync({ "python/helpers.py": strToU8("X = 1\n") }) } }));
  await createPython("TunedFailures", "def lambda_handler(event, context):\n    print(event)\n");
  await openFunction("Tuned", "configuration");

  const layers = page.locator("section.layers");
  await layers.getByLabel("Layer version ARN").fill(layer.LayerVersionArn);
  await layers.getByRole("button", { name: "Add a layer" }).click();
  await layers.getByRole("button", { name: "Save" }).click();
  await layers.getByText("Successfully updated the function Tuned.").waitFor();

  const concurrency = page.locator("section.concurrency");
  await concurrency.getByLabel("Reserved concurrency", { exact: true }).fill("5");
  await concurrency.getByRole("button", { name: "Reserve concurrency" }).click();
  await concurrency.getByText("Reserved concurrency: 5").waitFor();
  await concurrency.getByLabel("Version or alias").fill("1");
  await concurrency.getByLabel("Provisioned concurrency", { exact: true }).fill("1");
  await concurrency.getByRole("button", { name: "Add provisioned concurrency" }).click();
  await concurrency.locator("td", { hasText: /^1$/ }).first().waitFor();

  const async = page.locator("section.async");
  await async.getByLabel("Retry attempts").fill("0");
  await async.getByLabel("Maximum age of event (seconds)").fill("3600");
  await async.getByLabel("On-failure destination ARN").fill("arn:aws:lambda:us-east-1:000000000000:function:TunedFailures");
  await async.getByRole("button", { name: "Save" }).click();
  await async.getByText("Asynchronous invocation settings saved.").waitFor();
  await shot("configuration");

  const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "Tuned" }));
  assert.deepEqual(config.Layers.map((l) => l.Arn), [layer.LayerVersionArn]);
  assert.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: "Tuned" }))).ReservedConcurrentExecutions, 5);
  const provisioned = await lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: "Tuned", Qualifier: "1" }));
  assert.equal(provisioned.RequestedProvisionedConcurrentExecutions, 1);
  const events = await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: "Tuned" }));
  assert.equal(events.MaximumRetryAttempts, 0);
  assert.equal(events.MaximumEventAgeInSeconds, 3600);
  assert.equal(events.DestinationConfig.OnFailure.Destination, "arn:aws:lambda:us-east-1:000000000000:function:TunedFailures");
});

test("versions are published and an alias splits traffic between two", async () => {
  await createPython("Versioned", "def lambda_handler(event, context):\n    return 1\n");
  await openFunction("Versioned", "versions");
  const versions = page.locator("section.versions");
  await versions.getByRole("button", { name: "Publish new version" }).click();
  await versions.getByText("Successfully created version 1 for function Versioned.").waitFor();
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "Versioned", Description: "second" }));
  await versions.getByRole("button", { name: "Publish new version" }).click();
  await versions.getByText("Successfully created version 2 for function Versioned.").waitFor();

  const create = page.locator(".create-alias");
  await create.getByLabel("Alias name").fill("live");
  await create.getByLabel("Alias version").selectOption("2");
  await create.getByLabel("Additional version").selectOption("1");
  await create.getByLabel("Weight (%)").fill("10");
  await create.getByRole("button", { name: "Create alias" }).click();
  await page.locator("section.aliases td", { hasText: /^live$/ }).waitFor();
  await shot("versions-and-aliases");
  const alias = await lambda.send(new GetAliasCommand({ FunctionName: "Versioned", Name: "live" }));
  assert.equal(alias.FunctionVersion, "2");
  assert.deepEqual(alias.RoutingConfig.AdditionalVersionWeights, { 1: 0.1 });
});

test("triggers: a schedule, an SQS queue and an HTTP API (called in the browser) are added and listed", async () => {
  await createPython("Triggered", `def lambda_handler(event, context):
    return {"statusCode": 200, "body": "hello from " + event.get("routeKey", "somewhere")}
`);
  assert.ok((await ordersQueue).QueueUrl);
  await openFunction("Triggered", "triggers");
  const add = async (kind, fill) => {
    await page.getByRole("button", { name: "Add trigger" }).click();
    await page.getByLabel("Trigger", { exact: true }).selectOption(kind);
    await fill?.(page.locator(".add-trigger"));
    await page.locator(".add-trigger").getByRole("button", { name: "Add", exact: true }).click();
    await page.locator(".add-trigger").waitFor({ state: "detached" });
  };
  await add("schedule", (form) => form.getByLabel("Schedule expression").fill("rate(1 day)"));
  await page.locator("td", { hasText: "rate(1 day)" }).waitFor();
  await add("sqs", (form) => form.getByLabel("SQS queue").selectOption({ label: "arn:aws:sqs:us-east-1:000000000000:console-orders" }));
  await page.locator("td", { hasText: "arn:aws:sqs:us-east-1:000000000000:console-orders" }).waitFor();
  await add("httpapi");
  const endpointLink = page.locator("a.api-endpoint");
  await endpointLink.waitFor();
  await shot("triggers");

  const rules = await new EventBridgeClient(sdkConfig).send(new ListRuleNamesByTargetCommand({
    TargetArn: "arn:aws:lambda:us-east-1:000000000000:function:Triggered" }));
  assert.deepEqual(rules.RuleNames, ["Triggered-schedule"]);
  const mappings = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: "Triggered" }));
  assert.equal(mappings.EventSourceMappings.length, 1);

  const [apiPage] = await Promise.all([page.context().waitForEvent("page"), endpointLink.click()]);
  await apiPage.waitForLoadState();
  assert.match(await apiPage.locator("body").innerText(), /hello from \$default/);
  await apiPage.close();
});

test("an S3 trigger is added; an object put under its prefix invokes the function", async () => {
  await createPython("OnUpload", `def lambda_handler(event, context):
    for record in event["Records"]:
        print("uploaded:", record["s3"]["object"]["key"])
`);
  const s3 = new S3Client({ ...sdkConfig, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: "console-uploads" }));
  await openFunction("OnUpload", "triggers");
  await page.getByRole("button", { name: "Add trigger" }).click();
  await page.getByLabel("Trigger", { exact: true }).selectOption("s3");
  const form = page.locator(".add-trigger");
  await form.getByLabel("Bucket").selectOption("console-uploads");
  await form.getByLabel("Prefix").fill("uploads/");
  await form.getByRole("button", { name: "Add", exact: true }).click();
  await page.locator("td", { hasText: /^console-uploads$/ }).waitFor();
  await shot("trigger-s3");
  const notification = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: "console-uploads" }));
  assert.equal(notification.LambdaFunctionConfigurations[0].LambdaFunctionArn, "arn:aws:lambda:us-east-1:000000000000:function:OnUpload");

  await s3.send(new PutObjectCommand({ Bucket: "console-uploads", Key: "uploads/form.pdf", Body: "pdf" }));
  const logs = new CloudWatchLogsClient(sdkConfig);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const found = await logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/OnUpload", filterPattern: "uploaded" }))
      .then((r) => r.events ?? [], () => []);
    if (found.some((e) => e.message.includes("uploaded: uploads/form.pdf"))) break;
    assert.ok(Date.now() < deadline, "the function was not invoked for the object within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 250)); // polling interval, not a wait for the event
  }
});

test("a zip is uploaded and its files shown in the editor's tree", async () => {
  await createPython("Uploaded", "def lambda_handler(event, context):\n    return 1\n");
  await openFunction("Uploaded", "code");
  await page.locator(".files").getByText("lambda_function.py").waitFor();
  const zip = zipSync({ "lambda_function.py": strToU8("from helpers import answer\n\ndef lambda_handler(event, context):\n    return answer()\n"),
    "helpers/__init__.py": strToU8("def answer():\n    return 42\n") });
  await page.locator("input[type=file]").setInputFiles({ name: "upload.zip", mimeType: "application/zip", buffer: Buffer.from(zip) });
  await page.getByText("Successfully updated the function Uploaded with upload.zip.").waitFor();
  await page.locator(".files .folder", { hasText: "helpers/" }).waitFor();
  await page.locator(".files").getByRole("button", { name: "__init__.py" }).waitFor();
  const fn = await lambda.send(new GetFunctionCommand({ FunctionName: "Uploaded" }));
  assert.equal(fn.Configuration.CodeSize, zip.length);
  await shot("uploaded");
});

test("the functions list filters by name and pages by 20; tabs follow the arrow keys", async () => {
  for (let i = 0; i < 22; i++) {
    await createPython(`listed-${String(i).padStart(2, "0")}`, "def lambda_handler(event, context):\n    return 1\n");
  }
  await page.goto(`${(new URL(page.url())).origin}/console/#/functions`);
  await page.getByLabel("Filter by function name").fill("listed-");
  await page.getByText("Page 1 of 2 (22 functions)").waitFor();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByText("Page 2 of 2 (22 functions)").waitFor();
  assert.equal(await page.locator("tbody tr").count(), 2);
  await page.getByLabel("Filter by function name").fill("listed-07");
  await page.getByText("Page 1 of 1 (1 functions)").waitFor();
  await shot("functions-filtered");

  await page.getByRole("link", { name: "listed-07" }).click();
  const codeTab = page.getByRole("tab", { name: "Code" });
  await codeTab.focus();
  await page.keyboard.press("ArrowRight");
  await page.getByRole("tab", { name: "Test", selected: true }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Test");
});
