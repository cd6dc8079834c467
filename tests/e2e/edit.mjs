// End-to-end: the film editor (issue 13) in Debian's Chromium against a
// real server in local mode (where the one user is an admin): open the
// editor, see a field error beside its field, save an edit (the .nfo lands
// beside the film), upload a poster, cut a backdrop from a frame, and be
// asked before a hand-written .nfo is replaced.
// usage: node tests/e2e/edit.mjs BASE_URL SCREENSHOT_DIR LIBRARY_DIR PLAIN_ID HAND_ID POSTER_PNG
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, ok, fail, check, done } from './browser.mjs';

const [, , BASE, SHOTS, LIB, PLAIN, HAND, POSTER_PNG] = process.argv;
if (!POSTER_PNG) {
  console.error('usage: node tests/e2e/edit.mjs BASE_URL SCREENSHOT_DIR LIBRARY_DIR PLAIN_ID HAND_ID POSTER_PNG');
  process.exit(2);
}
const waitFor = async (fn, ms = 15000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (fn()) return true; await new Promise((r) => setTimeout(r, 100)); }
  return false;
};

const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
page.setDefaultTimeout(15000);
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()); });
const shot = (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });

try {
  const nfo = join(LIB, 'amelie', 'amelie.nfo');
  await page.goto(`${BASE}/film/${PLAIN}`);
  await page.waitForSelector('h1.film-title');
  check('the film page has an Edit button for the admin', await page.isVisible('#edit-film'));
  await page.click('#edit-film');
  await page.waitForSelector('dialog.edit-dialog[open]');
  check('the editor opens as a dialog', true);
  check('the title field holds the title', (await page.inputValue('input[name="title"]')).toLowerCase() === 'amelie');

  // A field error shows beside its field.
  await page.fill('input[name="year"]', '1500');
  await page.click('#edit-save');
  await page.waitForSelector('input[name="year"][aria-invalid="true"]');
  const yearError = await page.textContent(`#${await page.getAttribute('input[name="year"]', 'aria-describedby')}`);
  check('a bad year is named beside the year field', /1870/.test(yearError), yearError);
  check('nothing written for bad input', !existsSync(nfo));
  await shot('edit-field-error');

  // A good edit.
  await page.fill('input[name="title"]', 'Amélie');
  await page.fill('input[name="original_title"]', "Le Fabuleux Destin d'Amélie Poulain");
  await page.fill('input[name="year"]', '2001');
  await page.fill('input[name="tagline"]', 'She will change your life & <yours>.');
  await page.fill('textarea[name="plot"]', 'A shy waitress in Montmartre decides to help the people around her.');
  await page.fill('input[name="genres"]', 'Comedy, Romance');
  await page.fill('input[name="collection"]', "Jeunet's Paris");
  await page.click('#edit-add-person');
  let person = page.locator('.edit-person').last();
  await person.locator('input[name="name"]').fill('Jean-Pierre Jeunet');
  await person.locator('input[name="job"]').fill('director');
  await page.click('#edit-add-person');
  person = page.locator('.edit-person').last();
  await person.locator('input[name="name"]').fill('Audrey Tautou');
  await person.locator('input[name="character"]').fill('Amélie Poulain');
  await page.click('#edit-add-release');
  const release = page.locator('.edit-release').last();
  await release.locator('select[name="type"]').selectOption('festival');
  await release.locator('input[name="date"]').fill('2001-04-25');
  await release.locator('input[name="country"]').fill('FR');
  await release.locator('input[name="event"]').fill('Paris Film Festival');
  await shot('edit-filled');
  await page.click('#edit-save');
  await page.waitForSelector('dialog.edit-dialog', { state: 'detached' });
  await page.waitForFunction(() => document.querySelector('h1.film-title')?.textContent === 'Amélie');
  check('the page shows the new title at once', true);
  const text = await page.textContent('article.film');
  check('the director is credited', text.includes('Jean-Pierre Jeunet'));
  check('the role is shown', text.includes('Amélie Poulain'));
  check('the festival is in the release history', text.includes('Paris Film Festival'));
  check('the tagline is shown as text', text.includes('She will change your life & <yours>.'));
  check('an .nfo was written beside the film', existsSync(nfo));
  const written = existsSync(nfo) ? readFileSync(nfo, 'utf8') : '';
  check('the .nfo holds the edit', written.includes('<title>Amélie</title>') && written.includes('<director>Jean-Pierre Jeunet</director>') &&
    written.includes('event="Paris Film Festival"'), written.slice(0, 300));
  await shot('edit-saved');

  // Artwork: upload a poster, cut a backdrop from the film.
  await page.click('#edit-film');
  await page.waitForSelector('dialog.edit-dialog[open]');
  await page.setInputFiles('#edit-upload-poster', POSTER_PNG);
  await page.waitForFunction(() => /New poster saved/.test(document.querySelector('.edit-art .edit-status')?.textContent || ''));
  check('a poster uploaded from the editor', existsSync(join(LIB, 'amelie', 'amelie-poster.jpg')));
  await page.fill('#edit-frame-time', '2');
  await page.click('#edit-frame-backdrop');
  await page.waitForFunction(() => /cut from the film at 2 s/.test(document.querySelector('.edit-art .edit-status')?.textContent || ''));
  check('a backdrop cut from the frame at 2 s', existsSync(join(LIB, 'amelie', 'amelie-fanart.jpg')));
  await page.waitForFunction(() => document.querySelector('.edit-preview-backdrop')?.naturalWidth > 0);
  await page.locator('.edit-art').scrollIntoViewIfNeeded();
  await shot('edit-artwork');
  await page.click('#edit-cancel');
  await page.waitForSelector('dialog.edit-dialog', { state: 'detached' });
  await page.waitForFunction(() => document.querySelector('img.film-backdrop') && !document.querySelector('img.film-backdrop-blur'));
  check('the film page shows the new backdrop', true);
  // The uploaded poster (a flat blue) is what the page shows, not a
  // cached copy of the one before.
  const rgb = await page.evaluate(async () => {
    const img = document.querySelector('img.film-poster, .film-poster img');
    if (!img) return null;
    await img.decode().catch(() => {});
    const c = document.createElement('canvas');
    c.width = 4; c.height = 4;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0, 4, 4);
    return [...g.getImageData(1, 1, 1, 1).data].slice(0, 3);
  });
  check('the film page shows the uploaded poster', rgb && rgb[2] > 120 && rgb[0] < 80, JSON.stringify(rgb));
  await shot('edit-film-after');

  // A hand-written .nfo: asked before it is replaced.
  const handNfo = join(LIB, 'Hand Made (1999)', 'Hand Made (1999).nfo');
  const before = readFileSync(handNfo, 'utf8');
  await page.goto(`${BASE}/film/${HAND}`);
  await page.click('#edit-film');
  await page.waitForSelector('dialog.edit-dialog[open]');
  await page.fill('input[name="tagline"]', 'Edited in the browser.');
  await page.click('#edit-save');
  await page.waitForSelector('#edit-replace');
  check('the editor asks "Replace your .nfo?"', (await page.textContent('.edit-ask')).includes('Replace your .nfo'));
  check('the hand-written .nfo is untouched while asking', readFileSync(handNfo, 'utf8') === before);
  await shot('edit-ask-replace');
  await page.click('#edit-replace');
  await page.waitForSelector('dialog.edit-dialog', { state: 'detached' });
  check('replaced when asked', readFileSync(handNfo, 'utf8').includes('Edited in the browser.'));
  check('the hand-written one kept as .nfo.bak', readFileSync(`${handNfo}.bak`, 'utf8') === before);
  check('no page errors', errors.length === 0, errors.join(' | '));
} catch (err) {
  fail('the editor scenario ran to the end', err.message);
  await shot('edit-failure').catch(() => {});
} finally {
  await browser.close();
}
done();
