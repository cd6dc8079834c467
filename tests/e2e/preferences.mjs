// preferences: the TV layout is the user's, not the browser's. Bob turns
// it on in one browser (the "TV layout" setting beside the grid); a fresh
// browser (no cookies, no local storage) shows the 10-foot layout once he
// signs in there; Ana, signing in on a third, gets her own setting.
// Against a server started by tests/integration/preferences.sh, where
// bob's is off and ana's on.
// usage: node tests/e2e/preferences.mjs BASE_URL SCREENSHOT_DIR
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, ok, fail, check, done } from './browser.mjs';

const [, , BASE, SHOTS] = process.argv;
mkdirSync(SHOTS, { recursive: true });

const browser = await launch();
const errors = [];
async function freshBrowser() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page };
}
async function signIn(page, name, password) {
  await page.goto(`${BASE}/signin`);
  await page.fill('#f-name', name);
  await page.fill('#f-password', password);
  await page.click('form.signin button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
  await page.waitForSelector('.grid .card');
}
const tvOn = (page) => page.evaluate(() => document.documentElement.classList.contains('tv'));

try {
  const a = await freshBrowser();
  await signIn(a.page, 'bob', 'bob password 2');
  check('first browser: bob starts in the ordinary layout', !(await tvOn(a.page)));
  const saved = a.page.waitForResponse((r) => r.url().endsWith('/api/v1/me/preferences') && r.request().method() === 'PUT');
  await a.page.check('#view-tv');
  const res = await saved;
  check('ticking "TV layout" saves it with the account', res.status() === 200, String(res.status()));
  check('first browser: the 10-foot layout', await tvOn(a.page));
  await a.page.screenshot({ path: join(SHOTS, 'preferences-first-browser.png') });

  const b = await freshBrowser();
  const stored = await b.page.evaluate(() => localStorage.getItem('cinemateca.tv')).catch(() => null);
  check('second browser: nothing stored in it beforehand', stored === null, String(stored));
  await signIn(b.page, 'bob', 'bob password 2');
  await b.page.waitForFunction(() => document.documentElement.classList.contains('tv'), null, { timeout: 15000 })
    .then(() => ok('second browser: after bob signs in, the TV layout is on'))
    .catch((e) => fail('second browser: after bob signs in, the TV layout is on', e.message));
  check('second browser: the setting shows it ticked', await b.page.isChecked('#view-tv'));
  const cardHeight = await b.page.$eval('.grid .card', (e) => e.getBoundingClientRect().height);
  await b.page.screenshot({ path: join(SHOTS, 'preferences-second-browser.png') });

  // Off again there, and on: the layout follows each change.
  const put = (page) => page.waitForResponse((r) => r.url().endsWith('/api/v1/me/preferences') && r.request().method() === 'PUT');
  let done = put(b.page);
  await b.page.uncheck('#view-tv');
  await done;
  check('second browser: unticked, the ordinary layout', !(await tvOn(b.page)));
  const smaller = await b.page.$eval('.grid .card', (e) => e.getBoundingClientRect().height);
  check('the TV layout has larger posters', cardHeight > smaller, `${cardHeight} vs ${smaller}`);
  done = put(b.page);
  await b.page.check('#view-tv');
  await done;

  // Another user's setting is theirs: ana's (on) wins over what this
  // browser remembered (off).
  const c = await freshBrowser();
  await c.page.goto(`${BASE}/signin`);
  await c.page.evaluate(() => localStorage.setItem('cinemateca.tv', '0'));
  await signIn(c.page, 'ana', 'ana password 1');
  await c.page.waitForFunction(() => document.documentElement.classList.contains('tv'), null, { timeout: 15000 })
    .then(() => ok('third browser: ana gets her own setting (on), over what the browser had'))
    .catch((e) => fail('third browser: ana gets her own setting (on), over what the browser had', e.message));
  // ?tv=0 in the address wins for that visit.
  const answered = c.page.waitForResponse((r) => r.url().endsWith('/api/v1/me/preferences') && r.request().method() === 'GET');
  await c.page.goto(`${BASE}/?tv=0`);
  await answered;
  await c.page.waitForSelector('.grid .card');
  await c.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  check('?tv=0 in the address wins over the account for that visit', !(await tvOn(c.page)));
  for (const x of [a, b, c]) await x.context.close();
} catch (err) {
  fail('the preferences test ran to the end', err.message);
}
check('no script errors', errors.length === 0, errors.join(' | '));
await browser.close();
done();
