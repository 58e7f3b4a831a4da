// The console in Firefox (Debian's firefox-esr, driven by puppeteer-core over WebDriver BiDi, as Playwright drives
// only its own Firefox build): sign in, Create function on Node.js, Test, the result and the log. Skipped, saying
// so, where firefox-esr is not installed (./test.sh installs it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import puppeteer from "puppeteer-core";
import { endpoint, WAIT } from "./browser.mjs";

const firefox = process.env.FIREFOX ?? "/usr/bin/firefox-esr";
const shots = new URL("../target/screenshots/", import.meta.url).pathname;

test("sign in, create a function and test it in Firefox", { skip: !existsSync(firefox) && `${firefox} is not installed` }, async () => {
  mkdirSync(shots, { recursive: true });
  const browser = await puppeteer.launch({ browser: "firefox", executablePath: firefox, headless: true,
    defaultViewport: { width: 1366, height: 900 } });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(WAIT.timeout);
    await page.goto(`${endpoint}/console/`);
    await page.waitForSelector("input[name=accessKeyId]");
    await page.type("input[name=accessKeyId]", "test");
    await page.type("input[name=secretAccessKey]", "test");
    await page.click("form button[type=submit]");
    await page.waitForSelector("a[href='#/create']");

    await page.click("a[href='#/create']");
    await page.waitForSelector("input[name=functionName]");
    await page.type("input[name=functionName]", "FirefoxHello");
    await page.select("select[name=runtime]", "nodejs20.x");
    await page.click("form button[type=submit]");
    await page.waitForFunction(() => document.body.innerText.includes('Your Lambda function "FirefoxHello" has been successfully created'));
    await page.waitForFunction(() => document.querySelector(".cm-content")?.innerText.includes("Hello from Lambda!"));
    await page.screenshot({ path: `${shots}firefox-01-created.png`, fullPage: true });

    await page.click("#tab-test");
    await page.waitForSelector(".event-editor .cm-content");
    const testButton = await page.waitForSelector(".panel .row button.primary");
    assert.equal(await testButton.evaluate((b) => b.textContent), "Test");
    await testButton.click();
    await page.waitForSelector(".execution-result");
    const result = await page.$eval(".execution-result", (e) => e.innerText);
    assert.match(result, /Executing function: succeeded/);
    assert.match(result, /"statusCode": 200/);
    assert.match(result, /Hello from Lambda!/);
    assert.match(result, /REPORT RequestId: [0-9a-f-]{36}/);
    await page.screenshot({ path: `${shots}firefox-02-test-result.png`, fullPage: true });
  } finally {
    await browser.close();
  }
});
