// What the console's browser tests share: Debian's chromium launched by playwright-core, sign-in, the code
// editor driven from the keyboard, screenshots, and an AWS SDK client to check what the console did.
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { LambdaClient } from "@aws-sdk/client-lambda";

export const endpoint = process.env.KINDLING_ENDPOINT ?? "http://127.0.0.1:9000";
export const WAIT = { timeout: 60_000 }; // a loaded 2-core machine: generous deadlines, never fixed sleeps
export const sdkConfig = { endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } };
export const lambda = new LambdaClient(sdkConfig);
const shots = new URL("../target/screenshots/", import.meta.url).pathname;

/** A browser with one page (clipboard allowed, as the editor's copy needs), and `shot(name)` for screenshots. */
export async function openBrowser(prefix) {
  mkdirSync(shots, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: endpoint });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT.timeout);
  let step = 0;
  const shot = (name) => page.screenshot({ path: `${shots}${prefix}-${String(++step).padStart(2, "0")}-${name}.png`, fullPage: true });
  return { browser, page, shot };
}

/** Signs in with the server's default key. */
export async function signIn(page) {
  await page.goto(`${endpoint}/console/`);
  await page.getByLabel("Access key ID").fill("test");
  await page.getByLabel("Secret access key").fill("test");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Functions" }).waitFor();
}

/** Replaces all the text of the CodeMirror editor in `scope` as a person would: select all, type the new text. */
export async function replaceEditorText(page, scope, text) {
  await scope.locator(".cm-content").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(text);
}

/** The whole text of the editor in `scope`, as a person gets it: select all, copy (it shows only what is in view). */
export async function editorText(page, scope) {
  await scope.locator(".cm-content").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Control+C");
  return page.evaluate(() => navigator.clipboard.readText());
}

/** A zip with the given files (name → text), made with the console's own dependency. */
export { zipSync, strToU8 } from "fflate";
