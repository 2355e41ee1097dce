// Page loads in a real browser for `station bench console --browser`: Debian's Chromium driven
// by playwright-core (this folder's packages), signed in once, then each evidence page and the
// network page loaded in turn. A load is the page's own Navigation Timing, from the start of the
// navigation to the end of its load event: the request, the answer, parsing, the stylesheet,
// the images and scripts. Prints one JSON line: {"evidence": [ms...], "network": [ms...]}.
import { chromium } from "playwright-core";

const base = process.env.CONSOLE_URL;
const orders = JSON.parse(process.env.CONSOLE_ORDERS || "[]");

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/console/login`);
  await page.getByLabel("Name").fill(process.env.CONSOLE_NAME);
  await page.getByLabel("Password").fill(process.env.CONSOLE_PASSWORD);
  await Promise.all([page.waitForURL(/\/console\/(network|search)/), page.getByRole("button", { name: "Sign in" }).click()]);

  async function load(path) {
    const answer = await page.goto(`${base}${path}`, { waitUntil: "load" });
    if (!answer || answer.status() !== 200) throw new Error(`${path}: ${answer ? answer.status() : "no answer"}`);
    return page.evaluate(() => {
      const [nav] = performance.getEntriesByType("navigation");
      return nav.loadEventEnd - nav.startTime;
    });
  }
  const result = { evidence: [], network: [] };
  for (const order of orders) {
    result.evidence.push(await load(`/console/orders/${encodeURIComponent(order)}`));
    result.network.push(await load("/console/network"));
  }
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
