// dlna: the admin page's DLNA switch in Chromium. The section says DLNA is
// on; its button turns it off (the server then says so, and its /dlna/
// URLs are gone), and on again. Screenshots go to SHOTS_DIR.
// Prints "ok - ..." / "FAIL - ..." lines; exit 1 when a check failed.
//   node tests/e2e/dlna.mjs BASE_URL SHOTS_DIR
import { launch, ok, fail, done } from './browser.mjs';

const [base, shots] = process.argv.slice(2);
const check = (cond, what) => (cond ? ok(what) : fail(what));

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(`${base}/admin`);
  const button = page.locator('#dlna-switch');
  await button.waitFor({ timeout: 30000 });
  await button.scrollIntoViewIfNeeded();
  check((await button.textContent()) === 'Turn DLNA off', 'the admin page offers "Turn DLNA off"');
  check((await button.getAttribute('aria-pressed')) === 'true', 'the button is pressed (on)');
  check((await page.locator('#dlna-state').textContent()).startsWith('On:'), 'and says DLNA is on');
  await page.locator('#dlna').screenshot({ path: `${shots}/dlna-on.png` });
  await button.click();
  await page.locator('#dlna-switch:has-text("Turn DLNA on")').waitFor({ timeout: 15000 });
  ok('after a click it offers "Turn DLNA on"');
  check((await page.locator('#dlna-state').textContent()).startsWith('Off:'), 'and says DLNA is off');
  const state = await page.evaluate(async () => (await fetch('/api/v1/dlna')).json());
  check(state.enabled === false, `the server says off (${JSON.stringify(state)})`);
  const desc = await page.evaluate(async () => (await fetch('/dlna/description.xml')).status);
  check(desc === 404, `the device description is gone (${desc})`);
  await page.locator('#dlna').screenshot({ path: `${shots}/dlna-off.png` });
  await page.locator('#dlna-switch').click();
  await page.locator('#dlna-switch:has-text("Turn DLNA off")').waitFor({ timeout: 15000 });
  const back = await page.evaluate(async () => (await fetch('/api/v1/dlna')).json());
  check(back.enabled === true, 'a second click turns it on again');
} catch (e) {
  fail(`the browser test ran to the end: ${e.message}`);
} finally {
  await browser.close();
}
done();
