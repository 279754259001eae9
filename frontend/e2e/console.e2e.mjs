// End to end, in headless Chromium against the real server (see server.mjs): an organiser
// creates an event and a skill, imports competitors from a CSV with one bad row (the problem is
// shown by row and column, the file is fixed and committed), invites a team leader; the team
// leader accepts, registers an entry and sees an over-age competitor refused.
//
// Run with `npm run e2e` (builds the SPA first). Screenshots go to e2e/artifacts/.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { deflateSync } from 'node:zlib';

import { apiOk, apiSignIn, frontendDir, launchBrowser, linkFromMail, startServer } from './server.mjs';

const artifacts = join(frontendDir, 'e2e', 'artifacts');
mkdirSync(artifacts, { recursive: true });

const year = new Date().getFullYear() + 1;

let server;
let browser;
let page;

async function shot(name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 }, baseURL: server.base });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => console.error('page error:', error));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(email, password) {
  await page.goto('/login');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

let eventUrl;

/** A direct API call (another user acting at the same time as the browser). */
const api = (token, method, path, body) => apiOk(server, method, path, { token, body });

/** A tiny valid PNG (2 × 2, one colour), built here so the test needs no fixture file. */
function tinyPng() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const row = Buffer.from([0, 31, 78, 140, 31, 78, 140]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat([row, row]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('organiser: create an event and move it to registration', async () => {
  // The demo event's organiser starts the next event themselves (and organises it).
  await signIn('organiser@demo.skillmark.org', server.password);
  await page.waitForURL(/\/events\/[0-9a-f-]{36}$/);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Events' }).click();
  await page.getByRole('heading', { name: 'Events', level: 1 }).waitFor();
  // The demo event is listed.
  await page.getByRole('table').getByRole('link').first().waitFor();
  await shot('01-events');

  const form = page.locator('form', { has: page.getByRole('button', { name: 'Create event' }) });
  // A server-side validation error shows next to its field: no name.
  await form.getByLabel('First competition day (C1)').fill(`${year}-06-01`);
  await form.getByLabel('Registration deadline').fill(`${year}-05-01T18:00`);
  await form.getByRole('button', { name: 'Create event' }).click();
  const nameField = form.getByLabel('Event name');
  await page.waitForFunction(() => document.querySelector('input[name="name"][aria-invalid="true"]') !== null);
  assert.equal(await nameField.getAttribute('aria-invalid'), 'true');
  await shot('02-event-field-error');

  await nameField.fill(`E2E Selection ${year}`);
  await form.getByLabel('Venue').fill('Tianjin');
  await form.getByRole('button', { name: 'Create event' }).click();
  await page.getByRole('heading', { name: `E2E Selection ${year}`, level: 1 }).waitFor();
  eventUrl = new URL(page.url()).pathname;
  assert.match(eventUrl, /^\/events\/[0-9a-f-]{36}$/);

  await page.getByRole('button', { name: 'Move to “Registration”' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('An event only moves forward').waitFor();
  await shot('03-status-confirmation');
  await dialog.getByRole('button', { name: 'Move to “Registration”' }).click();
  await page.locator('.status-steps li.current', { hasText: 'Registration' }).waitFor();
  await shot('04-event-overview');
});

test('organiser: add a skill and two delegations', async () => {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Skills' }).click();
  const form = page.locator('form', { has: page.getByRole('button', { name: 'Add skill' }) });
  await form.getByLabel('Number').fill('E2');
  await form.getByLabel('Name (Chinese)').fill('网站技术');
  await form.getByLabel('Name (English)').fill('Web Technologies');
  await form.getByLabel('Entries per delegation').fill('3');
  await form.getByRole('button', { name: 'Add skill' }).click();
  await page.getByRole('cell', { name: 'Web Technologies' }).waitFor();
  // Settings can be changed afterwards (the skill's version guards against lost updates).
  await page.getByRole('button', { name: 'Change skill E2' }).click();
  const edit = page.locator('form', { has: page.getByRole('button', { name: 'Save' }) });
  await edit.getByLabel('Sector').fill('ICT');
  await edit.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('cell', { name: 'ICT', exact: true }).waitFor();
  await shot('05-skills');

  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Delegations' }).click();
  for (const [code, zh, en] of [
    ['TJ', '天津', 'Tianjin'],
    ['HB', '河北', 'Hebei'],
  ]) {
    const add = page.locator('form', { has: page.getByRole('button', { name: 'Add delegation' }) });
    await add.getByLabel('Code').fill(code);
    await add.getByLabel('Name (Chinese)').fill(zh);
    await add.getByLabel('Name (English)').fill(en);
    await add.getByRole('button', { name: 'Add delegation' }).click();
    await page.getByRole('cell', { name: en, exact: true }).waitFor();
  }
  await shot('06-delegations');
});

test('organiser: import competitors, see the bad row, fix it and commit', async () => {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Imports' }).click();
  await page.getByLabel('List', { exact: true }).selectOption('competitors');
  // The empty list to fill in, with its headers in the interface language.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the empty Competitors and entries list as CSV' }).click();
  const template = await downloading;
  assert.equal(template.suggestedFilename(), 'competitors-template.csv');
  const templateText = readFileSync(await template.path(), 'utf8');
  assert.match(templateText, /Delegation\*,Skill number\*,Team,Name\*,Gender\*,Date of birth\*,ID number\*/);
  const header = 'delegation,skill,team,name,gender,birth_date,id_number';
  const rows = (badDate) => [
    header,
    'TJ,E2,1,Zhang Wei,male,2005-03-01,120101200503011234',
    'TJ,E2,2,Li Na,female,2006-07-15,120101200607151235',
    `TJ,E2,3,Wang Fang,female,${badDate},120101200601201236`,
  ];
  const bad = join(artifacts, 'competitors-bad.csv');
  const good = join(artifacts, 'competitors.csv');
  writeFileSync(bad, `${rows('2006-13-45').join('\n')}\n`);
  writeFileSync(good, `${rows('2006-01-20').join('\n')}\n`);

  await page.getByLabel('File (CSV in UTF-8 or GBK, or XLSX)').setInputFiles(bad);
  // The server's answer is held back until the progress bar has been seen (a small file is
  // otherwise checked too fast to see it).
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route('**/api/v1/events/*/imports/*', async (route) => {
    await held;
    await route.continue();
  }, { times: 1 });
  await page.getByRole('button', { name: 'Check file' }).click();
  await page.getByRole('progressbar', { name: /^(Sending the file…|Checking the rows…)$/ }).waitFor();
  await shot('07a-import-progress');
  release();
  const problems = page.locator('table.import-problems');
  await problems.waitFor();
  const problemRows = problems.locator('tbody tr');
  assert.equal(await problemRows.count(), 1, 'exactly the bad row is reported');
  const cells = await problemRows.first().locator('td').allTextContents();
  assert.equal(cells[0], '4', 'the spreadsheet row (header = row 1)');
  assert.equal(cells[1], 'Date of birth', 'the column in the interface language');
  assert.equal(cells[2], 'Not a valid Date of birth.', 'the problem worded from its code');
  assert.equal(await page.getByRole('button', { name: /^Import \d+ rows$/ }).count(), 0, 'no commit while there are problems');
  await shot('07-import-problems');

  await page.getByLabel('File (CSV in UTF-8 or GBK, or XLSX)').setInputFiles(good);
  await page.getByRole('button', { name: 'Check file' }).click();
  await page.getByText('All 3 rows are fine').waitFor();
  await page.getByRole('button', { name: 'Import 3 rows' }).click();
  await page.getByText('3 rows imported').waitFor();
  await shot('08-import-done');

  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Competitors' }).click();
  await page.getByRole('cell', { name: 'Wang Fang' }).waitFor();
  await page.getByLabel('Search').fill('li na');
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
  assert.equal(await page.getByRole('cell', { name: 'Li Na' }).count(), 1);
  // ID numbers are masked in lists.
  assert.equal(await page.getByText('120101200607151235').count(), 0);
  await shot('09-competitors');
});

test('organiser: invite a team leader', async () => {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Invitations' }).click();
  const form = page.locator('form', { has: page.getByRole('button', { name: 'Send invitation' }) });
  await form.getByLabel('Delegation').selectOption({ label: 'HB Hebei' });
  await form.getByLabel('Email address').fill('leader.hb@e2e.skillmark.test');
  await form.getByLabel('Name').fill('Hebei Team Leader');
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await page.getByText('Invitation sent to leader.hb@e2e.skillmark.test').waitFor();
  await shot('10-invitations');

  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('cell', { name: 'Team leader appointed' }).first().waitFor();
  await page.getByRole('cell', { name: /^Delegation HB Hebei/ }).first().waitFor();
  await shot('11-audit');
});

test('team leader: accept the invitation, register an entry, an over-age competitor is refused', async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('link', { name: 'Sign in' }).first().waitFor();

  const link = await linkFromMail(server.mailDir, 'leader.hb@e2e.skillmark.test', '/accept-invitation');
  await page.goto(link);
  await page.getByLabel('Password', { exact: true }).fill('a long team leader password');
  await page.getByLabel('Confirm password').fill('a long team leader password');
  await page.getByRole('button', { name: 'Activate account' }).click();
  await page.getByRole('heading', { name: /Entries · HB Hebei/ }).waitFor();
  await page.getByText('Registration closes').waitFor();
  await shot('12-team-leader');

  await page.getByLabel('Skill').selectOption({ label: 'E2 Web Technologies' });
  await page.getByRole('button', { name: 'Register an entry' }).click();
  const entry = page.locator('section.entry-card', { hasText: 'E2 Web Technologies' });
  await entry.waitFor();

  const form = entry.locator('form.add-competitor');
  await form.getByLabel('Name').fill('Old Hand');
  await form.getByLabel('Gender').selectOption('male');
  await form.getByLabel('Date of birth').fill(`${year - 30}-04-01`);
  await form.getByLabel('ID number').fill('130101199704011230');
  const refusal = form.getByText(`Not eligible: 30 in ${year}, above the age limit of 22.`);
  await refusal.waitFor();
  assert.equal(await form.getByLabel('Date of birth').getAttribute('aria-invalid'), 'true');
  // The button is marked unavailable; submitting with Enter is refused too.
  assert.equal(await form.getByRole('button', { name: 'Add competitor' }).getAttribute('aria-disabled'), 'true');
  await form.getByLabel('ID number').press('Enter');
  await shot('13-over-age-refused');
  assert.equal(await entry.getByRole('cell', { name: 'Old Hand' }).count(), 0, 'the over-age competitor was not added');

  await form.getByLabel('Date of birth').fill(`${year - 20}-04-01`);
  await form.getByText(`Eligible: 20 in the competition year (limit 22).`).waitFor();
  await form.getByLabel('Name').fill('Young Talent');
  await form.getByRole('button', { name: 'Add competitor' }).click();
  await entry.getByRole('cell', { name: 'Young Talent', exact: true }).waitFor();
  // The list has been refreshed since the refused Enter: the over-age competitor is still not there.
  assert.equal(await entry.getByRole('cell', { name: 'Old Hand' }).count(), 0, 'the over-age competitor was never added');
  await shot('14-entry-with-competitor');

  // Correct the competitor: the name was misspelt.
  await entry.getByRole('button', { name: 'Details of Young Talent' }).click();
  const correct = entry.getByRole('form', { name: 'Correct the details of Young Talent' });
  // The single entry carries the full ID number (lists show it masked).
  assert.equal(await correct.getByLabel('ID number').inputValue(), '130101199704011230');
  await correct.getByLabel('Name').fill('Young Talent Zhao');
  await correct.getByText('Eligible: 20 in the competition year (limit 22).').waitFor();
  await correct.getByRole('button', { name: 'Save changes' }).click();
  await entry.getByRole('cell', { name: 'Young Talent Zhao', exact: true }).waitFor();
  await entry.getByRole('heading', { name: 'Competitor · Young Talent Zhao' }).waitFor();

  // Meanwhile an organiser corrects the date of birth: saving the older version is refused (409),
  // said plainly, and the current details can be loaded.
  const admin = await apiSignIn(server, 'admin@demo.skillmark.org', server.password);
  const listed = await api(admin, 'GET', `/api/v1${eventUrl}/entries?per_page=500`);
  const zhao = listed.items.flatMap((e) => e.competitors).find((c) => c.name === 'Young Talent Zhao');
  const full = await api(admin, 'GET', `/api/v1/entries/${zhao.entry_id}`);
  const current = full.competitors.find((c) => c.id === zhao.id);
  await api(admin, 'PUT', `/api/v1/competitors/${zhao.id}`, {
    name: current.name,
    gender: current.gender,
    birth_date: `${year - 21}-04-01`,
    id_number: current.id_number,
    version: current.version,
  });
  await correct.getByLabel('Name').fill('Young Talent Zhao Jr');
  await correct.getByRole('button', { name: 'Save changes' }).click();
  await correct.getByText('Someone else changed this competitor while you were editing.').waitFor();
  await shot('14a-competitor-conflict');
  await correct.getByRole('button', { name: 'Load the current details' }).click();
  await page.waitForFunction(
    (expected) => document.querySelector('form[aria-label="Correct the details of Young Talent Zhao"] input[type="date"]')?.value === expected,
    `${year - 21}-04-01`,
  );
  assert.equal(await correct.getByLabel('Name').inputValue(), 'Young Talent Zhao');

  // A photo: a small PNG, shown once uploaded (fetched with the token, as a blob).
  const png = join(artifacts, 'competitor.png');
  writeFileSync(png, tinyPng());
  await entry.getByText('No photo').first().waitFor();
  await entry.getByLabel('Upload a photo').setInputFiles(png);
  const photo = entry.getByRole('img', { name: 'Photo of Young Talent Zhao' });
  await photo.waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector('.competitor-photo img');
    return img instanceof HTMLImageElement && img.complete && img.naturalWidth === 2;
  });

  // A portal account: invited by mail; a second attempt says there is one already.
  const account = entry.getByRole('form', { name: 'Portal account for Young Talent Zhao' });
  await account.getByLabel('Email address').fill('young.talent@e2e.skillmark.test');
  await account.getByRole('button', { name: 'Give an account' }).click();
  await account.getByText('Invitation sent to young.talent@e2e.skillmark.test.').waitFor();
  await linkFromMail(server.mailDir, 'young.talent@e2e.skillmark.test', '/accept-invitation');
  await account.getByLabel('Email address').fill('young.talent@e2e.skillmark.test');
  await account.getByRole('button', { name: 'Give an account' }).click();
  await account.getByText('Young Talent Zhao already has a portal account.').waitFor();
  await shot('14b-competitor-details');

  // The whole console speaks Chinese after the switch.
  await page.getByRole('button', { name: '切换到中文' }).click();
  await page.getByRole('heading', { name: /报名 · HB/ }).waitFor();
  await shot('15-team-leader-zh');
});

test('on a phone the console still works without sideways scrolling of the page', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await page.getByRole('heading', { name: /HB/ }).waitFor();
  const overflow = await page.evaluate(() => {
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    return { by: document.documentElement.scrollWidth - window.innerWidth, wide: wide.slice(0, 5) };
  });
  assert.ok(overflow.by <= 1, `page overflows by ${overflow.by}px: ${overflow.wide.join(', ')}`);
  // The header leaves the screen to the page: at most 15% of its height, sign-out on it.
  const headerBottom = await page.locator('header.console-header').evaluate((h) => h.getBoundingClientRect().bottom);
  assert.ok(headerBottom <= 0.15 * 844, `the console header ends at ${headerBottom}px of 844`);
  assert.ok(await page.getByRole('button', { name: '退出登录' }).isVisible());
  await shot('16-phone');

  // A competitor's details fit a phone too (photo above the forms).
  await page.getByRole('button', { name: 'Young Talent Zhao 的详情' }).click();
  await page.getByRole('img', { name: 'Young Talent Zhao 的照片' }).waitFor();
  const detailsOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(detailsOverflow <= 1, `the competitor's details overflow by ${detailsOverflow}px`);
  await shot('16b-phone-competitor');
});

test('chief expert: progress dashboard with unlock (reason required) and lock, scheme, groups, draw', async () => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.getByRole('button', { name: /^(Sign out|退出登录)$/ }).click();
  await page.getByRole('link', { name: /^(Sign in|登录)$/ }).first().waitFor();
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await signIn(server.chief17, server.password);
  await page.getByRole('heading', { name: /^Marking progress · 17/ }).waitFor();
  await page.locator('table.progress-grid tbody tr').first().waitFor();
  await shot('17-chief-progress');

  const unlockButtons = page.getByRole('button', { name: /^Unlock [A-Z]+\d+ of / });
  const lockedBefore = await unlockButtons.count();
  assert.ok(lockedBefore > 0, 'the demo has locked sub-criteria');
  const name = await unlockButtons.first().getAttribute('aria-label');
  await unlockButtons.first().click();
  const dialog = page.getByRole('dialog');
  const confirm = dialog.getByRole('button', { name: 'Unlock' });
  assert.equal(await confirm.getAttribute('aria-disabled'), 'true', 'no unlock without a reason');
  await dialog.getByLabel('Reason').fill('Mark entered against the wrong entry');
  assert.equal(await confirm.getAttribute('aria-disabled'), 'false');
  await shot('18-chief-unlock-reason');
  await confirm.click();
  await page.waitForFunction(
    (expected) => document.querySelectorAll('button[aria-label^="Unlock "]').length === expected,
    lockedBefore - 1,
  );
  // The cell is open again: the unlock button is gone, and a lock is offered only if it is complete.
  assert.equal(await page.getByRole('button', { name }).count(), 0);
  await page.getByText(`${lockedBefore - 1} of `).first().waitFor();

  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await nav.getByRole('link', { name: 'Marking scheme' }).click();
  await page.getByRole('heading', { name: /^Frozen/ }).waitFor();
  await page.locator('table.scheme-table tbody tr').nth(2).waitFor();
  await shot('19-chief-scheme');

  await nav.getByRole('link', { name: 'Marking groups' }).click();
  await page.getByRole('button', { name: 'Propose groups' }).click();
  await page.getByRole('button', { name: 'Create group' }).first().waitFor();
  await shot('20-chief-groups');

  await nav.getByRole('link', { name: 'Workstation draw' }).click();
  await page.getByText('Replays to the same result').first().waitFor();
  await shot('21-chief-draw');

  await nav.getByRole('link', { name: 'Judge analytics' }).click();
  await page.getByRole('heading', { name: /^Judge analytics · 17/ }).waitFor();
  const judges = page.locator('table.analytics-table tbody tr');
  await judges.first().waitFor();
  // Sortable: by name, then back to the largest deviation first.
  await page.getByRole('button', { name: 'Judge' }).click();
  assert.equal(await page.getByRole('columnheader', { name: 'Judge' }).getAttribute('aria-sort'), 'ascending');
  await shot('21b-chief-analytics');
});

test('organiser: every delegation\'s entries, filtered; withdraw one after confirming', async () => {
  await page.getByRole('button', { name: /^(Sign out|退出登录)$/ }).click();
  await page.getByRole('link', { name: /^(Sign in|登录)$/ }).first().waitFor();
  await signIn('admin@demo.skillmark.org', server.password);
  await page.waitForURL('**/events');
  await page.getByRole('link', { name: `E2E Selection ${year}` }).click();
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Entries' }).click();
  await page.getByRole('heading', { name: 'Entries', level: 1 }).waitFor();
  // Three imported entries of Tianjin and the one Hebei registered.
  await page.getByText('4 entries: 4 registered, 0 confirmed, 0 withdrawn.').waitFor();
  await page.getByLabel('Delegation').selectOption({ label: 'HB Hebei' });
  await page.waitForFunction(() => document.querySelectorAll('table.entries-table tbody tr').length === 1);
  await shot('22-organiser-entries');

  await page.getByRole('button', { name: /^Withdraw entry E2 HB/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Withdraw HB Hebei from E2 Web Technologies?').waitFor();
  await shot('23-withdraw-confirmation');
  await dialog.getByRole('button', { name: 'Withdraw' }).click();
  const row = page.locator('table.entries-table tbody tr', { hasText: 'Young Talent Zhao' });
  await row.getByText('Withdrawn', { exact: true }).waitFor();
  await page.getByText('E2 Web Technologies · HB Hebei: now Withdrawn.').waitFor();
  await page.getByText('4 entries: 3 registered, 0 confirmed, 1 withdrawn.').waitFor();
  await page.getByLabel('Entry', { exact: true }).selectOption('withdrawn');
  await page.waitForFunction(() => document.querySelectorAll('table.entries-table tbody tr').length === 1);
  await shot('24-entry-withdrawn');
});

test('organiser: build a marking scheme in the draft editor, with the total and problems in place', async () => {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Skills' }).click();
  await page.getByRole('row', { name: /Web Technologies/ }).getByRole('link', { name: 'Progress and scheme' }).click();
  await page.waitForURL('**/progress');
  await page.goto(page.url().replace(/\/progress$/, '/scheme'));
  await page.getByRole('heading', { name: /^Marking scheme · E2/ }).waitFor();
  await page.getByRole('button', { name: 'Add criterion' }).click();
  const total = page.locator('.scheme-running-total');
  await total.getByText('Total 1.00 of 100.00 · 99.00 still to give').waitFor();
  await page.getByLabel('Criterion A', { exact: true }).fill('Design');
  await page.getByLabel('Sub-criterion A1', { exact: true }).fill('Layout');
  await page.getByLabel('Description A1.1').fill('The grid follows the brief');
  await page.getByLabel('Max A1.1').fill('60');
  await page.getByRole('button', { name: 'Add judgement aspect to A1' }).click();
  await page.getByLabel('Description A1.2').fill('Overall impression');
  await page.getByLabel('Max A1.2').fill('40,00');
  await total.getByText('Total 100.00 of 100.00 · complete').waitFor();
  // The J aspect still lacks its descriptors: said next to it, before saving.
  const judged = page.getByRole('listitem', { name: 'Aspect A1.2' });
  await judged.getByText('A judgement aspect needs four descriptors (scores 0, 1, 2, 3).').waitFor();
  for (const [score, text] of [
    [0, 'Below standard'],
    [1, 'Meets the standard'],
    [2, 'Exceeds it in places'],
    [3, 'Excellent'],
  ]) {
    await judged.getByLabel(`Descriptor for score ${score} of A1.2`).fill(text);
  }
  assert.equal(await judged.getByText('four descriptors').count(), 0);
  // Reorder: the judgement aspect first.
  await page.getByRole('button', { name: 'Move Aspect A1.2 up' }).click();
  assert.equal(await page.getByLabel('Description A1.1').inputValue(), 'Overall impression');
  await shot('25-scheme-editor');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByText('Draft saved.').waitFor();
  assert.equal(await page.getByText('Problems to solve before freezing').count(), 0);
});

test('sign-in page: arrives rendered, signs in before its script has run, keeps what was typed when it arrives', async () => {
  const leader = 'leader.sh@demo.skillmark.org';
  const launch = { locale: 'en-GB', viewport: { width: 1024, height: 768 }, baseURL: server.base };

  // Without the script at all: the page is there and its form signs in through the server, on to
  // the page the link asked for.
  const bare = await browser.newContext({ ...launch, javaScriptEnabled: false });
  const plain = await bare.newPage();
  await plain.goto('/login?next=/my-results');
  assert.equal(await plain.title(), 'Sign in · Skillmark');
  assert.equal(await plain.locator('html').getAttribute('lang'), 'en');
  await plain.getByLabel('Email address').fill(leader);
  await plain.getByLabel('Password').fill('not the password');
  await plain.getByRole('button', { name: 'Sign in' }).click();
  await plain.waitForURL('**/login?failed=invalid_credentials&next=%2Fmy-results');
  await plain.getByLabel('Email address').fill(leader);
  await plain.getByLabel('Password').fill(server.password);
  await plain.getByRole('button', { name: 'Sign in' }).click();
  await plain.waitForURL('**/my-results');
  await plain.screenshot({ path: join(artifacts, 'sign-in-without-script.png'), fullPage: true });
  // The sign-in is the app's: with the script, the console opens signed in from that cookie.
  const later = await browser.newContext({ ...launch, storageState: await bare.storageState() });
  await bare.close();
  const console_ = await later.newPage();
  await console_.goto('/console');
  await console_.getByRole('heading', { name: /^Entries · SH/ }).waitFor();
  // A refusal the server sent back is said once the script has run.
  await console_.goto('/login?failed=invalid_credentials');
  await console_.getByRole('alert').getByText('The email address or password is wrong.').waitFor();
  await later.close();

  // With the script held back: what is typed meanwhile is what the app signs in with.
  const slow = await browser.newContext(launch);
  const typing = await slow.newPage();
  const complaints = [];
  typing.on('console', (message) => {
    if (message.type() === 'error' && /hydrat/i.test(message.text())) complaints.push(message.text());
  });
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await typing.route('**/assets/*.js', async (route) => {
    await held;
    await route.continue();
  });
  // React's props on the field: the app's script has taken the page over.
  const hydrated = () => Object.keys(document.querySelector('input[name="email"]') ?? {}).some((k) => k.startsWith('__reactProps'));
  await typing.goto('/login', { waitUntil: 'commit' });
  await typing.getByLabel('Email address').fill(leader);
  await typing.getByLabel('Password').fill(server.password);
  assert.equal(await typing.evaluate(hydrated), false, 'the fields were filled before the script arrived');
  release();
  await typing.waitForFunction(hydrated);
  await typing.route(
    (url) => url.pathname === '/login',
    (route) => (route.request().method() === 'POST' ? route.abort() : route.continue()),
  );
  // The script's own sign-in (the browser's form post is blocked here, so only it can succeed).
  await typing.getByRole('button', { name: 'Sign in' }).click();
  await typing.getByRole('heading', { name: /^Entries · SH/ }).waitFor();
  assert.deepEqual(complaints, [], 'the rendered page and the app agree (no hydration mismatch)');
  await slow.close();
});
