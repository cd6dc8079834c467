// End-to-end: accounts in Chromium against a real server with no account
// yet (local mode, loopback): the local-mode note, first-run setup of the
// admin, the admin page limiting a viewer to one folder, signing out,
// signing in as that viewer (who sees neither the admin page nor the
// other folder's film, even through search) and signing out again.
// usage: node tests/e2e/auth.mjs BASE_URL SCREENSHOT_DIR FAMILY_FOLDER SECRET_FILM_ID
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, ok, fail, check, done } from './browser.mjs';

const [, , BASE, SHOTS, FAMILY, SECRET_ID] = process.argv;
mkdirSync(SHOTS, { recursive: true });

const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
page.setDefaultTimeout(20000);
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
const shot = (name) => page.screenshot({ path: join(SHOTS, `auth-${name}.png`), fullPage: true }).catch(() => {});
const text = () => page.evaluate(() => document.body.innerText);
const titles = () => page.$$eval('.grid .card-title', (els) => els.map((e) => e.textContent));

async function signIn(name, password) {
  await page.goto(`${BASE}/signin`);
  await page.fill('#f-name', name);
  await page.fill('#f-password', password);
  await page.click('form.signin button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
}

try {
  // Local mode: the library without sign-in, and the way to the first admin.
  await page.goto(`${BASE}/`);
  await page.waitForFunction(() => document.querySelectorAll('.grid .card').length >= 3, null, { timeout: 30000 });
  check('local mode: the library shows without sign-in', (await titles()).length === 3);
  check('local mode: the header says so', (await text()).includes('Local mode'));
  await shot('local-mode');

  // First-run setup from loopback.
  await page.click('text=Make the first admin');
  await page.waitForSelector('form.signin');
  await page.fill('#f-name', 'ana');
  await page.fill('#f-password', 'correct horse');
  await page.click('form.signin button[type=submit]');
  await page.waitForURL((u) => u.pathname === '/admin');
  await page.waitForSelector('#users');
  check('setup: the first admin lands on the admin page', (await text()).includes('Administration'));
  check('setup: the header names the admin', (await page.textContent('#account-link')) === 'ana');
  {
    const t = await text();
    check('admin: the catalog size and transcodes running are shown',
      /Catalog size\s*[0-9.]+ MB/i.test(t) && /Transcodes running\s*0 of [0-9]+/i.test(t));
    check('admin: the daily backup is listed', (await page.locator('#backups tbody tr').count()) >= 1);
  }
  await shot('setup-done');

  // The admin adds a viewer and limits them to the family folder.
  await page.fill('#new-user-name', 'vic');
  await page.fill('#new-user-password', 'vic password');
  await page.click('#add-user button[type=submit]');
  await page.waitForSelector('tr[data-user="vic"]');
  const row = page.locator('tr[data-user="vic"]');
  await row.locator('label.check', { hasText: 'every folder' }).locator('input').uncheck();
  await row.locator('label.check', { hasText: FAMILY }).locator('input').check();
  await row.locator('button', { hasText: 'Save' }).click();
  await page.waitForFunction(() => {
    const r = document.querySelector('tr[data-user="vic"]');
    return r && !r.querySelector('label.check input').checked;
  });
  ok('admin: vic is limited to the family folder');
  await shot('admin-users');

  // Sign out: back to the sign-in page; the library is closed.
  await page.click('#signout');
  await page.waitForURL((u) => u.pathname === '/signin');
  await page.goto(`${BASE}/`);
  await page.waitForURL((u) => u.pathname === '/signin');
  check('signed out: the library sends to sign-in', true);
  await page.fill('#f-name', 'vic');
  await page.fill('#f-password', 'wrong password');
  await page.click('form.signin button[type=submit]');
  await page.waitForFunction(() => document.querySelector('.form-status').textContent.length > 0);
  check('a wrong password says so', (await page.textContent('.form-status')).includes('wrong name or password'));
  await shot('signin-wrong');

  // The viewer: the family films only, no admin link, not even by URL or search.
  await signIn('vic', 'vic password');
  await page.goto(`${BASE}/`);
  await page.waitForFunction(() => document.querySelectorAll('.grid .card').length >= 2);
  const seen = await titles();
  check('viewer: the family films', seen.length === 2 && seen.includes('Kids Film'), seen.join(', '));
  check('viewer: not the other folder\'s film', !seen.includes('Secret Film'));
  check('viewer: no admin link', (await page.$('#admin-link')) === null);
  await shot('viewer-library');
  const box = page.locator('#search-input');
  await box.click();
  await box.pressSequentially('secret', { delay: 30 });
  await page.waitForFunction(() => /result/i.test(document.body.innerText), null, { timeout: 10000 }).catch(() => {});
  await page.waitForTimeout(800);
  check('viewer: search finds nothing of it', !(await text()).includes('Secret Film'));
  await shot('viewer-search');
  await page.keyboard.press('Escape');
  await page.goto(`${BASE}/film/${SECRET_ID}`);
  await page.waitForSelector('.notice h1');
  check('viewer: its page does not exist', (await text()).includes('Not in the library') && !(await text()).includes('Secret Film'));
  await page.goto(`${BASE}/admin`);
  await page.waitForSelector('.notice h1');
  check('viewer: no admin page', !(await text()).includes('Administration'));
  await shot('viewer-admin');

  await page.click('#signout');
  await page.waitForURL((u) => u.pathname === '/signin');
  const cookies = await context.cookies();
  check('signed out: the session cookie is gone', !cookies.some((c) => c.name === 'cinemateca_session'));
  await shot('signed-out');
} catch (err) {
  fail('the account scenario ran to the end', err.message);
  await shot('failure');
}
check('no script errors on any page', errors.length === 0, errors.join('; '));
await browser.close();
done();
