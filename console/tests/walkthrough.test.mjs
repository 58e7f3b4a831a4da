// The console walkthrough of the getting-started guides, in a real headless Chromium (Debian's chromium, driven by
// playwright-core) against a running Kindling: sign-in (a bad key first), Create function, the guide's handler
// deployed from the editor, a test event from the API Gateway AWS Proxy template, Test, an environment variable,
// a function URL called, the invocations in Monitor, a failing Deploy that keeps the editor's text.
// Run by tests/e2e/console.sh, which starts the server: KINDLING_ENDPOINT=http://127.0.0.1:<port>.
// Screenshots of every page: console/target/screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { DeleteFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand } from "@aws-sdk/client-lambda";
import { endpoint, WAIT, lambda, openBrowser, replaceEditorText as replace, editorText as read } from "./browser.mjs";

const HANDLER = `import json
import os

def lambda_handler(event, context):
    body = json.loads(event.get("body") or "{}")
    name = body.get("name", "Anonymous")
    print(f"Contact form submission received: {name}")
    notify = os.environ.get("NOTIFY_EMAIL")
    if notify:
        print(f"Notifying {notify}")
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({"message": f"Thank you, {name}! We will be in touch."}),
    }
`;
const FORM = { name: "Jane Doe", email: "jane@example.com", message: "Hello from the contact form" };

let browser;
let page;
let shot;

before(async () => {
  ({ browser, page, shot } = await openBrowser("walkthrough"));
});

after(async () => {
  await browser?.close();
});

const replaceEditorText = (scope, text) => replace(page, scope, text);
const editorText = (scope) => read(page, scope);

async function runTest() {
  await page.getByRole("button", { name: "Test", exact: true }).click();
  const result = page.locator(".execution-result");
  await result.waitFor(WAIT);
  return result;
}

test("the console walkthrough, from sign-in to Monitor", async () => {
  await page.goto(`${endpoint}/console`);
  await page.getByRole("heading", { name: "Sign in to Kindling" }).waitFor();
  await shot("sign-in");

  // A bad key gets a clear sign-in error, AWS's own words.
  await page.getByLabel("Access key ID").fill("AKIDNOTAKEY");
  await page.getByLabel("Secret access key").fill("wrong");
  await page.getByRole("button", { name: "Sign in" }).click();
  const signInError = page.getByRole("alert");
  await signInError.waitFor();
  assert.match(await signInError.innerText(), /Sign-in failed[\s\S]*(InvalidClientTokenId|UnrecognizedClient)[\s\S]*security token included in the request is invalid/);
  await shot("sign-in-bad-key");

  await page.getByLabel("Access key ID").fill("test");
  await page.getByLabel("Secret access key").fill("test");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Functions" }).waitFor();
  await shot("functions");

  // Create function → Author from scratch.
  await page.getByRole("link", { name: "Create function" }).click();
  await page.getByLabel("Function name").fill("ProcessContactForm");
  await page.getByLabel("Runtime").selectOption("python3.12");
  await page.getByRole("button", { name: "Create function" }).click();
  await page.getByText('Congratulations! Your Lambda function "ProcessContactForm" has been successfully created').waitFor();
  const code = page.locator(".code-layout");
  await code.getByText("Hello from Lambda!").waitFor();
  await shot("created");

  // The guide's handler, deployed from the editor.
  await replaceEditorText(code, HANDLER);
  await page.getByText("Changes not deployed").waitFor();
  await page.getByRole("button", { name: "Deploy" }).click();
  await page.getByText("Successfully updated the function ProcessContactForm.").waitFor();
  const deployed = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "ProcessContactForm" }));
  assert.equal(deployed.Handler, "lambda_function.lambda_handler");
  await shot("deployed");

  // A test event from the API Gateway AWS Proxy template, with the guide's body.
  await page.getByRole("tab", { name: "Test" }).click();
  await page.getByLabel("Template").selectOption("apigateway-aws-proxy");
  const eventEditor = page.locator(".event-editor");
  await eventEditor.getByText('"httpMethod": "POST"').waitFor();
  const event = JSON.parse(await editorText(eventEditor));
  assert.equal(event.resource, "/{proxy+}");
  event.body = JSON.stringify(FORM);
  event.isBase64Encoded = false;
  await replaceEditorText(eventEditor, JSON.stringify(event, null, 2));
  await page.getByLabel("Event name").fill("ContactFormSubmission");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByText("The test event ContactFormSubmission was successfully saved.").waitFor();

  let result = await runTest();
  await result.getByText("Executing function: succeeded").waitFor();
  const response = JSON.parse(await result.locator("pre.response").innerText());
  assert.equal(response.statusCode, 200);
  assert.match(JSON.parse(response.body).message, /^Thank you, Jane Doe/);
  const logs = await result.locator("pre.logs").innerText();
  assert.match(logs, /Contact form submission received: Jane Doe/);
  assert.match(logs, /REPORT RequestId: /);
  const summary = await result.locator("dl.summary").innerText();
  assert.match(summary, /Duration\s+[\d.]+ ms/);
  assert.match(summary, /Billed duration\s+\d+ ms/);
  assert.match(summary, /Max memory used\s+\d+ MB/);
  assert.match(summary, /Request ID\s+[0-9a-f-]{36}/);
  await shot("test-result");

  // An environment variable, seen by the function.
  await page.getByRole("tab", { name: "Configuration" }).click();
  const env = page.locator("section.environment");
  await env.getByRole("button", { name: "Add environment variable" }).click();
  await env.getByLabel("Key 1").fill("NOTIFY_EMAIL");
  await env.getByLabel("Value 1").fill("team@example.com");
  await env.getByRole("button", { name: "Save" }).click();
  await env.getByText("Successfully updated the function ProcessContactForm.").waitFor();
  const configured = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "ProcessContactForm" }));
  assert.deepEqual(configured.Environment.Variables, { NOTIFY_EMAIL: "team@example.com" });
  await shot("environment");
  await page.getByRole("tab", { name: "Test" }).click();
  result = await runTest();
  await result.getByText("Notifying team@example.com").waitFor();

  // A function URL trigger, called.
  await page.getByRole("tab", { name: "Triggers" }).click();
  await page.getByRole("button", { name: "Add trigger" }).click();
  await page.getByLabel("Trigger", { exact: true }).selectOption("url");
  await page.locator(".add-trigger").getByLabel("Auth type").selectOption("NONE");
  await page.locator(".add-trigger").getByRole("button", { name: "Add", exact: true }).click();
  const urlLink = page.locator("a.function-url");
  await urlLink.waitFor();
  await shot("trigger-function-url");
  // Followed in the browser, which resolves *.localhost to this machine, then posted the form from that page.
  const [urlPage] = await Promise.all([page.context().waitForEvent("page"), urlLink.click()]);
  await urlPage.waitForLoadState();
  assert.match(await urlPage.locator("body").innerText(), /Thank you, Anonymous/);
  const answer = await urlPage.evaluate(async (form) => {
    const r = await fetch(location.href, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(form) });
    return { status: r.status, body: await r.json() };
  }, FORM);
  assert.equal(answer.status, 200);
  assert.match(answer.body.message, /^Thank you, Jane Doe/);
  await urlPage.close();

  // Monitor: the invocations (two tests, the URL opened and posted to) counted.
  await page.getByRole("tab", { name: "Monitor" }).click();
  const invocations = page.locator(".chart[data-metric=Invocations] .total");
  const deadline = Date.now() + 60_000;
  for (;;) {
    const text = await invocations.innerText().catch(() => "");
    if (Number(text.match(/(\d+)/)?.[1] ?? 0) >= 4) break;
    assert.ok(Date.now() < deadline, `Monitor shows "${text}" invocations, not 4, within 60 s`);
    await page.getByRole("button", { name: "Refresh the metrics" }).click();
    await page.waitForFunction(() => !document.querySelector(".monitor .busy"));
  }
  // The log streams' events, and the live tail showing an invocation made meanwhile.
  await page.locator(".logs-panel").getByRole("button", { name: /^Show the events of / }).first().click();
  await page.locator("pre.log-events").getByText(/REPORT RequestId/).first().waitFor();
  await page.getByRole("button", { name: "Start live tail" }).click();
  await page.getByText("Tailing new events").waitFor();
  await lambda.send(new InvokeCommand({ FunctionName: "ProcessContactForm",
    Payload: new TextEncoder().encode(JSON.stringify({ body: JSON.stringify({ name: "Live Tail" }) })) }));
  await page.locator("pre.live-tail").getByText(/Contact form submission received: Live Tail/).waitFor();
  await shot("monitor");
  await page.getByRole("button", { name: "Stop live tail" }).click();
});

test("a failing Deploy keeps the editor's text", async () => {
  await page.getByRole("tab", { name: "Code" }).click();
  const code = page.locator(".code-layout");
  await code.getByText("Contact form submission received").waitFor();
  const edited = HANDLER + "\n# an edit that must survive a failed deploy\n";
  await replaceEditorText(code, edited);
  await lambda.send(new DeleteFunctionCommand({ FunctionName: "ProcessContactForm" })); // gone behind the page's back
  await page.getByRole("button", { name: "Deploy" }).click();
  const error = page.getByRole("alert");
  await error.waitFor();
  assert.match(await error.innerText(), /ResourceNotFoundException[\s\S]*Function not found/);
  assert.match(await editorText(code), /an edit that must survive a failed deploy/);
  await page.getByText("Changes not deployed").waitFor();
  await shot("deploy-failed");
});
