// The console in a real browser: Debian's Chromium driven by playwright-core, pages checked
// by axe-core. Run by tests/console/test_browser.py, which starts the hub and its data and
// reads the one JSON line this prints. Every check is a step that records what it saw; the
// Python test asserts on it, so a failure names the step.
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const base = process.env.CONSOLE_URL;
const password = process.env.CONSOLE_PASSWORD;
const shots = process.env.CONSOLE_SCREENSHOTS || "";
const secret = process.env.CONSOLE_SECRET || "";
const result = { steps: {}, axe: {} };
result.steps.pages_with_secret = [];

async function noSecret(page, name) {
  // The carrier's credential must be on no page the console serves.
  if (secret && (await page.content()).includes(secret)) result.steps.pages_with_secret.push(name);
}

async function axe(page, name) {
  await noSecret(page, name);
  // Evaluated through the DevTools protocol, which the page CSP (no inline script) allows.
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
  result.axe[name] = found;
}

async function shot(page, name) {
  if (shots) {
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: `${shots}/console-${name}.png`, fullPage: true });
  }
}

async function signIn(context, name) {
  const page = await context.newPage();
  await page.goto(`${base}/console/login`);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Password").fill(password);
  await Promise.all([page.waitForURL(/\/console\/(network|search)/), page.getByRole("button", { name: "Sign in" }).click()]);
  return page;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  // No page without a session: the network page sends an anonymous browser to sign in.
  const anonymous = await browser.newContext();
  const lost = await anonymous.newPage();
  await lost.goto(`${base}/console/network`);
  result.steps.anonymous_lands_on = new URL(lost.url()).pathname;
  await axe(lost, "login");
  await shot(lost, "login");
  await anonymous.close();

  // A supervisor finds the order packed at the emulated bench and sees its photo.
  const boss = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
  const page = await signIn(boss, "dan");
  result.steps.supervisor_home = new URL(page.url()).pathname;
  await page.goto(`${base}/console/search`);
  await page.getByLabel(/Order number, tracking number/).fill(process.env.CONSOLE_ORDER);
  await page.getByRole("button", { name: "Search" }).click();
  await axe(page, "search");
  await shot(page, "search");
  await page.getByRole("link", { name: process.env.CONSOLE_ORDER }).click();
  const photo = page.locator("figure img").first();
  await photo.waitFor();
  result.steps.photo_width = await photo.evaluate((img) => img.complete ? img.naturalWidth : 0);
  result.steps.order_heading = await page.locator("h1").innerText();
  await axe(page, "order");
  await shot(page, "order");

  // The evidence PDF downloads.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download the evidence as PDF" }).click(),
  ]);
  const pdfPath = await download.path();
  result.steps.pdf_name = download.suggestedFilename();
  result.steps.pdf_magic = readFileSync(pdfPath).subarray(0, 5).toString("latin1");

  // A dead letter is resolved from the network page.
  await page.goto(`${base}/console/network`);
  await axe(page, "network");
  await shot(page, "network");
  const resolve = page.getByRole("button", { name: /^Resolve dead letter/ });
  result.steps.dead_letters_before = await resolve.count();
  await page.getByLabel("Note").first().fill("box unpacked at bench-2");
  await Promise.all([page.waitForURL(`${base}/console/network`), resolve.first().click()]);
  result.steps.dead_letters_after = await page.getByRole("button", { name: /^Resolve dead letter/ }).count();

  // An RMA created in the console (the bench pulls it: asserted by the Python test).
  await page.goto(`${base}/console/rmas`);
  await axe(page, "rmas");
  await page.getByLabel("RMA number").fill("RMA-501");
  await page.getByLabel("Order number").fill(process.env.CONSOLE_ORDER);
  await page.getByLabel(/^Items/).fill("MUG, 1, arrived broken");
  await Promise.all([page.waitForURL(/\/console\/rmas\/RMA-501/), page.getByRole("button", { name: "Create RMA" }).click()]);
  result.steps.rma_heading = await page.locator("h1").innerText();
  result.steps.rma_notice = await page.getByRole("status").innerText();
  await axe(page, "rma");
  await shot(page, "rma");

  // The day's manifest downloads from the shipping page.
  await page.goto(`${base}/console/shipping`);
  await axe(page, "shipping");
  await shot(page, "shipping");
  const [manifest] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: `Download manifest ${process.env.CONSOLE_MANIFEST}` }).click(),
  ]);
  result.steps.manifest_name = manifest.suggestedFilename();
  result.steps.manifest_magic = readFileSync(await manifest.path()).subarray(0, 5).toString("latin1");

  // A forged form (wrong CSRF token) is refused even with the session's cookie.
  result.steps.forged_status = await page.evaluate(async () => {
    const r = await fetch("/console/conflicts/1/resolve", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "csrf=forged",
    });
    return r.status;
  });
  await boss.close();

  // Customer service cannot open the supervisors' page.
  const agentContext = await browser.newContext();
  const agent = await signIn(agentContext, "cara");
  result.steps.agent_home = new URL(agent.url()).pathname;
  const refused = await agent.goto(`${base}/console/network`);
  result.steps.agent_network_status = refused.status();
  await axe(agent, "refused");
  // Nor grant returns, nor see the carrier accounts.
  result.steps.agent_rmas_status = (await agent.goto(`${base}/console/rmas`)).status();
  result.steps.agent_shipping_status = (await agent.goto(`${base}/console/shipping`)).status();
  await agentContext.close();
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
