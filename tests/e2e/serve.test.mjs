// Browser end-to-end tests of `redflag serve` in a real headless Chromium.
//
// Builds a store with the CLI from documents written here (one of them
// hostile), starts `redflag serve --port 0`, and uses the UI the way an
// analyst does: list, filter, open, review with the keyboard and buttons,
// reload. Run by tests/cli/test_serve_e2e.sh (ctest), which sets REDFLAG,
// RF_SRC and RF_TMP. Screenshots go to tests/e2e/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const REDFLAG = process.env.REDFLAG;
const RF_SRC = process.env.RF_SRC || join(here, '..', '..');
const TMP = process.env.RF_TMP || join(here, 'tmp');
const ART = join(here, 'artifacts');
const CHROMIUM = process.env.RF_CHROMIUM || '/usr/bin/chromium';
assert.ok(REDFLAG, 'REDFLAG must point at the redflag binary');

const STORE = join(TMP, 'e2e.db');
const HOSTILE = '<script>alert(1)</script>';
let server;
let url;
let browser;
let dialogs = 0;
const pageErrors = [];

function redflag(args) {
  return execFileSync(REDFLAG, args, { cwd: TMP, encoding: 'utf8' });
}

function startServer() {
  return new Promise((resolve, reject) => {
    const p = spawn(REDFLAG, ['serve', '--store', STORE, '--port', '0'], {
      cwd: TMP, stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error('serve printed no URL')), 10000);
    p.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^redflag serve: (http:\/\/127\.0\.0\.1:\d+\/)\n/);
      if (m) { clearTimeout(timer); resolve([p, m[1]]); }
    });
    p.on('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
  });
}

before(async () => {
  rmSync(TMP, { recursive: true, force: true });
  mkdirSync(TMP, { recursive: true });
  mkdirSync(ART, { recursive: true });
  writeFileSync(join(TMP, 'hostile.txt'),
    'The system detects the face of a pedestrian and classifies the race of the person. ' +
    `${HOSTILE} The face attributes include ethnicity.\n`);
  writeFileSync(join(TMP, 'trap.txt'),
    'A race condition in the face tracker is fixed.\n' +
    'The face recognition module outputs ethnicity labels for each pedestrian.\n');
  writeFileSync(join(TMP, 'patents.jsonl'), JSON.stringify({
    publication_number: 'US-11574187-B2', country_code: 'US', kind_code: 'B2',
    publication_date: 20230207, filing_date: 20200115, family_id: '71234567',
    assignee_harmonized: [{ name: 'Acme Vision Corp', country_code: 'US' }],
    inventor_harmonized: [{ name: 'Jane Doe' }],
    cpc: [{ code: 'G06V40/16' }],
    title_localized: [{ text: 'Pedestrian attribute recognition', language: 'en' }],
    abstract_localized: [{ text: 'A camera captures the face of each pedestrian and a ' +
      'neural network estimates the ethnicity of the pedestrian from the face image.', language: 'en' }],
  }) + '\n');
  const rules = join(RF_SRC, 'tests/data/rules/basic.yaml');
  try {
    redflag(['scan', '--store', STORE, '--rules', rules, 'hostile.txt', 'trap.txt', 'patents.jsonl']);
  } catch (e) {
    if (e.status !== 1) { throw e; } // 1 = findings, as expected
  }
  [server, url] = await startServer();
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install the Debian package chromium`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  assert.deepEqual(pageErrors, [], 'no script errors in the page');
  if (browser) { await browser.close(); }
  if (server && server.exitCode === null) {
    const done = new Promise((r) => server.on('exit', (code, sig) => r([code, sig])));
    server.kill('SIGTERM');
    const [code] = await done;
    assert.equal(code, 0, 'serve stops cleanly on SIGTERM');
  }
});

async function newPage() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
  page.on('pageerror', (e) => { pageErrors.push(String(e)); });
  return page;
}

test('the list shows every open finding, with security headers', async () => {
  const page = await newPage();
  const resp = await page.goto(url);
  assert.equal(resp.status(), 200);
  const h = resp.headers();
  assert.match(h['content-security-policy'], /default-src 'none'; script-src 'self'/);
  assert.equal(h['x-content-type-options'], 'nosniff');
  assert.equal(h['referrer-policy'], 'no-referrer');
  const expected = redflag(['report', '--store', STORE, '--format', 'jsonl']).trim().split('\n').length;
  assert.equal(await page.textContent('#total'), String(expected));
  assert.equal(await page.locator('#findings tbody tr[data-fp]').count(), expected);
  await page.screenshot({ path: join(ART, 'list.png'), fullPage: true });
  await page.close();
});

test('filter, open a finding, review it, reload: the review is kept', async () => {
  const page = await newPage();
  await page.goto(url);
  await page.fill('input[name="applicant"]', 'acme');
  await Promise.all([page.waitForURL(/applicant=acme/), page.click('#apply')]);
  assert.equal(await page.textContent('#total'), '1');
  const row = page.locator('#findings tbody tr[data-fp]');
  assert.equal(await row.count(), 1);
  const fp = await row.getAttribute('data-fp');
  await page.screenshot({ path: join(ART, 'filtered.png'), fullPage: true });

  // keyboard: j selects the first row, Enter opens it
  await page.keyboard.press('j');
  assert.match(await row.getAttribute('class'), /sel/);
  await Promise.all([page.waitForURL(/\/finding\//), page.keyboard.press('Enter')]);

  assert.equal(await page.getAttribute('#public-record', 'href'),
    'https://patents.google.com/patent/US11574187B2');
  const doc = await page.textContent('#document');
  for (const s of ['Acme Vision Corp', 'Jane Doe', 'G06V40/16', '2023-02-07', '2020-01-15']) {
    assert.ok(doc.includes(s), `document metadata shows ${s}`);
  }
  const marks = await page.locator('#snippet mark').allTextContents();
  assert.ok(marks.includes('face') && marks.includes('ethnicity'), 'matched terms are highlighted');
  assert.ok((await page.locator('#snippet mark').count()) >= 2, 'matched terms are highlighted');
  assert.match(await page.textContent('#finding'), /EU AI Act Art\. 5\(1\)\(g\)/);
  assert.match(await page.textContent('#finding'), /t-attr/);

  // c confirms (keyboard), then the button marks it false positive
  await page.keyboard.press('c');
  await page.waitForFunction(() => document.getElementById('status').textContent === 'confirmed');
  await page.click('#btn-fp');
  await page.waitForFunction(() => document.getElementById('status').textContent === 'false-positive');
  await page.fill('#note', 'stock photo caption, not a system');
  await page.click('#save-note');
  await page.waitForFunction(() => document.getElementById('msg').textContent === 'Note saved.');
  await page.screenshot({ path: join(ART, 'finding.png'), fullPage: true });

  await page.reload();
  assert.equal(await page.textContent('#status'), 'false-positive');
  assert.equal(await page.inputValue('#note'), 'stock photo caption, not a system');

  const lines = redflag(['report', '--store', STORE, '--format', 'jsonl', '--status', 'false-positive'])
    .trim().split('\n').map((l) => JSON.parse(l));
  const mine = lines.find((l) => l.fingerprint === fp);
  assert.ok(mine, 'the review shows in redflag report');
  assert.equal(mine.status, 'false-positive');
  assert.equal(mine.note, 'stock photo caption, not a system');
  await page.close();
});

test('a hostile document is shown as text, never run', async () => {
  const page = await newPage();
  await page.goto(url + '?q=' + encodeURIComponent('alert(1)'));
  assert.equal(await page.textContent('#total'), '1');
  const cell = await page.textContent('#findings tbody tr[data-fp] .ex');
  assert.ok(cell.includes(HOSTILE), 'the script tag is visible as text in the list');
  await page.click('#findings tbody tr[data-fp] a.open');
  await page.waitForURL(/\/finding\//);
  assert.ok((await page.textContent('#neighbours')).includes(HOSTILE) ||
    (await page.textContent('#snippet')).includes(HOSTILE), 'visible as text in the finding view');
  // the only script element is ours
  assert.deepEqual(await page.$$eval('script', (s) => s.map((e) => e.getAttribute('src'))), ['/static/app.js']);
  await page.screenshot({ path: join(ART, 'hostile.png'), fullPage: true });
  assert.equal(dialogs, 0, 'no dialog fired');
  await page.close();
});

test('the summary draws the report charts', async () => {
  const page = await newPage();
  await page.goto(url + 'summary');
  assert.equal(await page.locator('#charts figure.chart svg').count(), 5);
  assert.match(await page.textContent('#charts'), /Acme Vision Corp/);
  await page.screenshot({ path: join(ART, 'summary.png'), fullPage: true });
  await page.close();
});

test('state changes need the CSRF token', async () => {
  const list = JSON.parse(redflag(['report', '--store', STORE, '--format', 'jsonl']).trim().split('\n')[0]);
  const body = JSON.stringify({ fingerprint: list.fingerprint, status: 'confirmed' });
  const headers = { 'Content-Type': 'application/json' };
  let r = await fetch(url + 'api/review', { method: 'POST', headers, body });
  assert.equal(r.status, 403, 'no token, no cookie');
  // a session cookie alone (what a cross-site form would carry) is not enough
  const page = await fetch(url);
  const cookie = page.headers.get('set-cookie').split(';')[0];
  assert.match(cookie, /^rf_csrf=[0-9a-f]{32}$/);
  r = await fetch(url + 'api/review', { method: 'POST', headers: { ...headers, Cookie: cookie }, body });
  assert.equal(r.status, 403, 'cookie without header');
  r = await fetch(url + 'api/review', {
    method: 'POST', headers: { ...headers, Cookie: cookie, 'X-CSRF-Token': '0'.repeat(32) }, body,
  });
  assert.equal(r.status, 403, 'header not matching the cookie');
  r = await fetch(url + 'api/review', {
    method: 'POST', headers: { ...headers, Cookie: cookie, 'X-CSRF-Token': cookie.slice(8) }, body,
  });
  assert.equal(r.status, 200, 'with the token it works');
  const after = JSON.parse(redflag(['report', '--store', STORE, '--format', 'jsonl']).trim().split('\n')[0]);
  assert.equal(after.status, 'confirmed');
  r = await fetch(url + 'api/review', { method: 'GET' });
  assert.equal(r.status, 405, 'reviews are POST only');
});
