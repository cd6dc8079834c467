// browser: launches Debian's Chromium through playwright-core (installed in
// web/node_modules by `npm ci --prefix web`) for the end-to-end tests.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--autoplay-policy=no-user-gesture-required'],
  });
}

// The checks' lines, one way for every test: "ok - ..." and "FAIL - ...
// (why)" on stdout, which run_e2e in tests/integration/lib.sh counts.
let failures = 0;

export function ok(what) { console.log(`ok - ${what}`); }

export function fail(what, why) {
  failures++;
  console.log(`FAIL - ${what}${why ? ` (${String(why).split('\n')[0].slice(0, 400)})` : ''}`);
}

export function check(what, cond, why) { if (cond) ok(what); else fail(what, why); }

// Exit 1 when a check failed, 0 when none did (the shell tells these from
// a crash or a timeout).
export function done() { process.exit(failures ? 1 : 0); }

// Anything that escapes the scenarios is a failure with its own exit
// code, 3: "FAIL - the WHAT ran (first line of the error)".
export function failOnEscape(what) {
  const escape = (err) => {
    console.log(`FAIL - the ${what} ran (${String(err && err.stack || err).split('\n')[0]})`);
    process.exit(3);
  };
  process.on('uncaughtException', escape);
  process.on('unhandledRejection', escape);
}
