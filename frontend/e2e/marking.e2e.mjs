// End to end, in headless Chromium against the real server with the demo event (see server.mjs):
// the judge's tablet app and the results pages.
//
// - An expert on a tablet-sized screen marks an entry (nothing pre-filled, review, confirm), goes
//   offline, marks another entry, reloads the page offline, comes back online and the queued marks
//   are sent exactly once (checked through the API). An edit made offline while another expert
//   changed the same mark shows the conflict with both values; the expert keeps theirs.
// - The score buttons work by keyboard as a radio group. With three judges, a score out of spread
//   shows a warning on the open screen once all have scored (and a badge in the list) and goes
//   after a re-score within spread; a change queued offline is refused once the sub-criterion is
//   locked, and locked aspects are read-only. The list shows one marking day or only what is left.
// - The expert cannot open an entry of their own delegation. The tablet has no sideways overflow
//   and 44 px touch targets at 10 inches, portrait and landscape.
// - The chief expert locks and unlocks (with a reason; refusals shown) from the floor.
// - Public results and the competitor's own results fit a phone (375 and 390 px wide).
// - Before publication the competitor's page and the public pages show nothing of a ratified skill;
//   after the organiser publishes it, the live board shows it without a reload and the competitor
//   sees their breakdown.
//
// Run with `npm run e2e`. Screenshots go to e2e/artifacts/ (prefix `m`).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { apiCall, apiOk, apiSignIn, artifacts, demoEvent, demoExpert, linkFromMail, shot, startWalk, stopWalk } from './server.mjs';

const PASSWORD = 'a long tablet judge password';

let server;
let browser;

const ok = (method, path, options) => apiOk(server, method, path, options);

const login = (email, password) => apiSignIn(server, email, password);

/** Accepts the invitation mailed to `email` and returns the new account's token. */
async function acceptInvitation(email) {
  const link = await linkFromMail(server.mailDir, email, '/accept-invitation');
  const token = new URL(link, server.base).searchParams.get('token');
  return (await ok('POST', '/api/v1/auth/invitation/accept', { body: { token, password: PASSWORD } })).access_token;
}

// What the tests share: the demo event, a marking skill, two experts invited for it, entries.
const s = {};

before(async () => {
  ({ server, browser } = await startWalk());

  const { organiser, eventId, skill } = await demoEvent(server);
  // 07 is still being marked and not anonymous; 04 is ratified but not yet published.
  Object.assign(s, { organiser, eventId, skill: skill('07'), ratified: skill('04') });
  const page = await ok('GET', `/api/v1/events/${s.eventId}/entries?skill_id=${s.skill.id}&status=confirmed&per_page=500`, { token: s.organiser });
  s.entries = page.items;
  const delegations = [...new Set(s.entries.map((e) => e.delegation_id))];
  [s.ownDelegation, s.otherDelegation, s.thirdDelegation] = delegations;

  // Three experts of the skill (a judgement needs three judges), from three delegations, in one
  // marking group that marks everything.
  for (const [key, email, delegation, name] of [
    ['judge', 'tablet.judge@e2e.skillmark.test', s.ownDelegation, 'Tablet Judge'],
    ['other', 'other.judge@e2e.skillmark.test', s.otherDelegation, 'Other Judge'],
    ['third', 'third.judge@e2e.skillmark.test', s.thirdDelegation, 'Third Judge'],
  ]) {
    await ok('POST', `/api/v1/events/${s.eventId}/experts`, {
      token: s.organiser,
      body: { email, display_name: name, skill_id: s.skill.id, delegation_id: delegation, locale: 'en' },
    });
    s[`${key}Token`] = await acceptInvitation(email);
    s[`${key}Id`] = (await ok('GET', '/api/v1/me', { token: s[`${key}Token`] })).id;
    s[`${key}Email`] = email;
  }
  const scheme = await ok('GET', `/api/v1/skills/${s.skill.id}/scheme`, { token: s.organiser });
  s.scheme = scheme.scheme;
  const subs = s.scheme.criteria.flatMap((c) => c.sub_criteria.map((x) => x.id));
  await ok('POST', `/api/v1/skills/${s.skill.id}/groups`, {
    token: s.organiser,
    body: { name: 'E2E tablet group', members: [s.judgeId, s.otherId, s.thirdId], sub_criteria: subs },
  });

  // Entries (not of the judge's delegation) with a sub-criterion nobody has marked yet.
  const progress = await ok('GET', `/api/v1/skills/${s.skill.id}/progress`, { token: s.organiser });
  const open = [];
  for (const row of progress) {
    const entry = s.entries.find((e) => e.id === row.entry_id);
    if (entry === undefined || [s.ownDelegation, s.otherDelegation, s.thirdDelegation].includes(entry.delegation_id)) continue;
    const sub = row.sub_criteria.find((x) => x.marked === 0 && !x.locked);
    if (sub !== undefined) open.push({ entry, sub: sub.sub_criterion });
  }
  assert.ok(open.length >= 2, `the demo leaves unmarked sub-criteria in skill 07 (found ${open.length})`);
  [s.first, s.second] = open;
  s.ownEntry = s.entries.find((e) => e.delegation_id === s.ownDelegation);
});

after(() => stopWalk({ server, browser }));

/** The judge's marks of an entry as the organiser sees them, by aspect. */
async function marksOf(entryId, sub) {
  const aspects = await ok('GET', `/api/v1/entries/${entryId}/marks`, { token: s.organiser });
  return aspects.filter((a) => a.aspect.startsWith(`${sub}.`));
}

/** Enters a value for every aspect of `sub` on the open entry: 2 for judgement, the first choice, no deductions. */
async function markSub(page, sub) {
  const cards = page.locator(`article[data-aspect^="${sub}."]`);
  await cards.first().waitFor();
  const n = await cards.count();
  assert.equal(n, 4, 'the demo scheme has four aspects per sub-criterion');
  for (let i = 0; i < n; i += 1) {
    const card = cards.nth(i);
    // Nothing is pre-filled: an unmarked aspect says so and no option is selected.
    await card.getByText('Not marked', { exact: true }).first().waitFor();
    assert.equal(await card.locator('[aria-checked="true"], [aria-pressed="true"]').count(), 0);
    const radios = card.getByRole('radio');
    if ((await radios.count()) > 0) {
      // One Tab stop per group of score buttons: the first, as nothing is selected.
      const stops = await radios.evaluateAll((rs) => rs.map((r) => r.tabIndex));
      assert.deepEqual(stops, stops.map((_, j) => (j === 0 ? 0 : -1)));
    }
    if ((await radios.count()) === 4) await radios.nth(2).click();
    else if ((await radios.count()) > 0) await radios.first().click();
    else await card.getByRole('button', { name: 'No deductions' }).click();
    await card.locator('[data-testid="mark-state"]', { hasText: 'Entered, not confirmed' }).waitFor();
  }
}

/** Waits until `check` holds (the page answers a key press asynchronously). */
async function until(check, what, timeout = 10_000) {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function reviewAndConfirm(page, count) {
  await page.getByRole('button', { name: `Review ${count} and confirm` }).click();
  await page.getByRole('heading', { name: /^Review before confirming/ }).waitFor();
  assert.equal(await page.locator('.mark-review-table').first().locator('tbody tr').count(), count);
  await assertTabletLayout(page, 'the review');
  await shot(page, `m-review-${count}`);
  await page.getByRole('button', { name: 'Confirm and send' }).click();
}

/**
 * The tablet's layout: the page never scrolls sideways, and every score button and other control
 * of the marking screen is a touch target of at least 44 × 44 CSS px.
 */
async function tabletLayout(page) {
  return page.evaluate(() => {
    const controls = [...document.querySelectorAll('.mark-app :is(button, a[href], [role="radio"], textarea, summary)')].filter(
      (e) => e.getClientRects().length > 0,
    );
    const small = controls
      .map((e) => ({ e, r: e.getBoundingClientRect() }))
      .filter(({ r }) => r.width < 44 || r.height < 44)
      .map(({ e, r }) => `${e.tagName.toLowerCase()}.${e.className} "${e.textContent.trim().slice(0, 20)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    const scores = [...document.querySelectorAll('.mark-app [role="radio"]')].map((e) => e.getBoundingClientRect());
    return {
      innerWidth,
      clientWidth: document.documentElement.clientWidth,
      scrollWidth: document.documentElement.scrollWidth,
      controls: controls.length,
      scores: scores.length,
      smallestScore: scores.length === 0 ? null : Math.min(...scores.map((r) => Math.min(r.width, r.height))),
      small,
    };
  });
}

async function assertTabletLayout(page, what, { scores = 0 } = {}) {
  const layout = await tabletLayout(page);
  const width = page.viewportSize().width;
  assert.equal(layout.innerWidth, width, `${what}: not zoomed out`);
  assert.ok(layout.scrollWidth <= layout.clientWidth, `${what}: no horizontal overflow (${layout.scrollWidth} > ${layout.clientWidth})`);
  assert.ok(layout.controls > 0, `${what}: controls found`);
  assert.ok(layout.scores >= scores, `${what}: ${scores} score buttons shown (${layout.scores})`);
  if (scores > 0) assert.ok(layout.smallestScore >= 44, `${what}: score buttons at least 44 px (${layout.smallestScore})`);
  assert.deepEqual(layout.small, [], `${what}: every control at least 44 × 44 px`);
}

let context;
let tablet;

test('expert on a tablet: marks an entry, explicit entry, review, confirm, saved once', async () => {
  context = await browser.newContext({
    locale: 'en-GB',
    viewport: { width: 800, height: 1280 },
    hasTouch: true,
    isMobile: true,
    deviceScaleFactor: 1,
    baseURL: server.base,
  });
  tablet = await context.newPage();
  tablet.setDefaultTimeout(20_000);
  tablet.on('pageerror', (error) => console.error('page error:', error));

  await tablet.goto('/login?next=/mark');
  await tablet.getByLabel('Email address').fill(s.judgeEmail);
  await tablet.getByLabel('Password').fill(PASSWORD);
  await tablet.getByRole('button', { name: 'Sign in' }).click();
  await tablet.getByRole('heading', { name: /^Entries · 07/ }).waitFor();
  await tablet.getByTestId('left-to-mark').waitFor();
  // The judge's own delegation's entry is there but cannot be opened.
  assert.equal(await tablet.locator(`a[href*="/entries/${s.ownEntry.id}"]`).count(), 0);
  await tablet.getByText('Your own delegation: you do not mark this entry (recusal).').first().waitFor();
  await assertTabletLayout(tablet, 'entries, 10-inch portrait');
  await shot(tablet, 'm01-entries');

  await tablet.locator(`a[href*="/entries/${s.first.entry.id}"]`).click();
  await tablet.locator(`article[data-aspect="${s.first.sub}.1"]`).waitFor();
  // Blind judgement: nothing of the other judges before this judge has scored.
  await tablet
    .locator(`article[data-aspect="${s.first.sub}.4"]`)
    .getByText('The other judges’ scores appear once you have scored.')
    .waitFor();
  await assertTabletLayout(tablet, 'an entry to mark, 10-inch portrait', { scores: 4 });
  await shot(tablet, 'm02-entry-unmarked');
  await markSub(tablet, s.first.sub);
  // A note and the unsure flag on the judgement.
  const judgement = tablet.locator(`article[data-aspect="${s.first.sub}.4"]`);
  await judgement.getByRole('button', { name: 'Unsure' }).click();
  await judgement.locator('button[aria-pressed="true"]', { hasText: 'Unsure' }).waitFor();
  await assertTabletLayout(tablet, 'an entry with values entered, 10-inch portrait', { scores: 4 });
  await shot(tablet, 'm03-entry-entered');

  // The score buttons by keyboard: one Tab stop (the selected score), arrows move the focus without
  // selecting, Space or Enter selects.
  const scores = judgement.getByRole('radio');
  const focused = () => scores.evaluateAll((rs) => rs.findIndex((r) => r === document.activeElement));
  const checked = () => scores.evaluateAll((rs) => rs.findIndex((r) => r.getAttribute('aria-checked') === 'true'));
  assert.deepEqual(await scores.evaluateAll((rs) => rs.map((r) => r.tabIndex)), [-1, -1, 0, -1]);
  await scores.nth(2).focus();
  await tablet.keyboard.press('ArrowRight');
  assert.equal(await focused(), 3);
  assert.equal(await checked(), 2, 'an arrow moves the focus, it does not enter a score');
  await tablet.keyboard.press('ArrowDown');
  assert.equal(await focused(), 0, 'the arrows wrap around');
  await tablet.keyboard.press('ArrowUp');
  await tablet.keyboard.press('ArrowLeft');
  assert.equal(await focused(), 2);
  await tablet.keyboard.press('Home');
  assert.equal(await focused(), 0);
  await tablet.keyboard.press('End');
  assert.equal(await focused(), 3);
  await tablet.keyboard.press('Space');
  await until(async () => (await checked()) === 3, 'Space selects the focused score');
  assert.deepEqual(await scores.evaluateAll((rs) => rs.map((r) => r.tabIndex)), [-1, -1, -1, 0]);
  await tablet.keyboard.press('ArrowLeft');
  await tablet.keyboard.press('Enter');
  await until(async () => (await checked()) === 2, 'Enter selects the focused score');
  // The same for the choice of allowed values of a measurement.
  const stepped = tablet.locator(`article[data-aspect="${s.first.sub}.2"]`).getByRole('radio');
  const steppedChecked = () => stepped.evaluateAll((rs) => rs.findIndex((r) => r.getAttribute('aria-checked') === 'true'));
  assert.equal(await stepped.count(), 3);
  await stepped.nth(0).focus();
  await tablet.keyboard.press('End');
  await tablet.keyboard.press('Enter');
  await until(async () => (await steppedChecked()) === 2, 'End then Enter selects the last value');
  await tablet.keyboard.press('Home');
  await tablet.keyboard.press('Space');
  await until(async () => (await steppedChecked()) === 0, 'Home then Space selects the first value');
  await reviewAndConfirm(tablet, 4);
  await tablet.getByText('4 marks confirmed and queued.').waitFor();
  // The way on: the next entry on the floor that still needs this expert (never their own).
  const next = tablet.getByRole('link', { name: /^Next with marks left: Workstation \d+/ });
  const nextHref = await next.getAttribute('href');
  assert.ok(!nextHref.includes(s.first.entry.id) && !nextHref.includes(s.ownEntry.id), nextHref);
  await tablet.getByTestId('queue').getByText('All marks sent').waitFor();
  for (let i = 1; i <= 4; i += 1) {
    await tablet.locator(`article[data-aspect="${s.first.sub}.${i}"] [data-testid="mark-state"]`, { hasText: 'Saved' }).waitFor();
  }
  // The judgement is saved: now the judge waits for the other judges (still blind).
  await judgement.getByText(/Waiting for the other judges \(1 of 3 have scored\)/).waitFor();
  await shot(tablet, 'm04-entry-saved');

  const marks = await marksOf(s.first.entry.id, s.first.sub);
  for (const aspect of marks) {
    const mine = aspect.marks.filter((m) => m.entered_by === s.judgeId);
    assert.equal(mine.length, 1, `${aspect.aspect}: one mark`);
    assert.equal(mine[0].version, 1);
  }
  const score = marks.find((a) => a.aspect === `${s.first.sub}.4`).marks.find((m) => m.judge_id === s.judgeId);
  assert.equal(score.value, 2);
  assert.equal(score.unsure, true);
});

test('offline: marks are queued, survive a reload and are sent exactly once when back online', async () => {
  await tablet.getByRole('link', { name: /Back to entries/ }).click();
  await tablet.getByRole('heading', { name: /^Entries · 07/ }).waitFor();
  // Let the service worker take control so the page can be reloaded without a network.
  await tablet.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 20_000 }).catch(async () => {
    await tablet.reload();
    await tablet.waitForFunction(() => navigator.serviceWorker?.controller != null);
  });
  // Installable: the manifest reads without errors, and Chromium names no reason against installing
  // other than the test browser's private (incognito) profile.
  const cdp = await context.newCDPSession(tablet);
  const manifest = await cdp.send('Page.getAppManifest');
  assert.deepEqual(manifest.errors, []);
  assert.match(manifest.data, /"start_url": "\/mark"/);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito'), []);
  await cdp.detach();
  await tablet.getByRole('heading', { name: /^Entries · 07/ }).waitFor();

  await context.setOffline(true);
  await tablet.getByTestId('network-state').getByText('Offline: marks stay on this tablet').waitFor();
  await tablet.locator(`a[href*="/entries/${s.second.entry.id}"]`).click();
  await markSub(tablet, s.second.sub);
  await reviewAndConfirm(tablet, 4);
  await tablet.getByTestId('queue').getByText('4 marks to send').waitFor();
  await tablet.locator(`article[data-aspect="${s.second.sub}.1"] [data-testid="mark-state"]`, { hasText: 'Queued' }).waitFor();
  await shot(tablet, 'm05-offline-queued');

  // Closing the tab or restarting the tablet loses nothing: reload while still offline.
  await tablet.reload();
  await tablet.getByTestId('queue').getByText('4 marks to send').waitFor();
  assert.equal(await tablet.evaluate(() => navigator.serviceWorker.controller !== null), true, 'the service worker served the page offline');
  await tablet.locator(`article[data-aspect="${s.second.sub}.1"] [data-testid="mark-state"]`, { hasText: 'Queued' }).waitFor();
  await shot(tablet, 'm06-offline-after-reload');
  assert.equal((await marksOf(s.second.entry.id, s.second.sub)).flatMap((a) => a.marks).length, 0, 'nothing reached the server yet');

  await context.setOffline(false);
  await tablet.getByTestId('queue').getByText('All marks sent').waitFor({ timeout: 30_000 });
  await tablet.locator(`article[data-aspect="${s.second.sub}.4"] [data-testid="mark-state"]`, { hasText: 'Saved' }).waitFor();
  await shot(tablet, 'm07-synced');
  const marks = await marksOf(s.second.entry.id, s.second.sub);
  assert.equal(marks.length, 4);
  for (const aspect of marks) {
    assert.equal(aspect.marks.length, 1, `${aspect.aspect}: exactly one mark`);
    assert.equal(aspect.marks[0].entered_by, s.judgeId);
    assert.equal(aspect.marks[0].version, 1, `${aspect.aspect}: sent once (version 1)`);
  }
});

test('a conflicting edit shows both values and the expert chooses', async () => {
  const key = `${s.first.sub}.2`; // stepped: 0, 2.50 or 5.00
  await tablet.getByRole('link', { name: /Back to entries/ }).click();
  await tablet.locator(`a[href*="/entries/${s.first.entry.id}"]`).click();
  const card = tablet.locator(`article[data-aspect="${key}"]`);
  await card.locator('[data-testid="mark-state"]', { hasText: 'Saved' }).waitFor();

  await context.setOffline(true);
  await card.getByRole('radio', { name: '5.00' }).click();
  await reviewAndConfirm(tablet, 1);
  await tablet.getByTestId('queue').getByText('1 mark to send').waitFor();

  // Meanwhile the other expert of the group changes the same (shared) measurement mark.
  const result = await ok('POST', `/api/v1/entries/${s.first.entry.id}/marks`, {
    token: s.otherToken,
    body: { marks: [{ client_id: `other-${Date.now()}`, aspect: key, amount: 250, version: 1 }] },
  });
  assert.equal(result.results[0].outcome, 'saved');

  await context.setOffline(false);
  const conflict = card.getByRole('alert');
  await conflict.getByText('Someone else saved 2.50 marks (version 2) first; you entered 5.00 marks.').waitFor({ timeout: 30_000 });
  await card.locator('[data-testid="mark-state"]', { hasText: 'Conflict' }).waitFor();
  // The header does not claim that all marks were sent while one waits for the expert's choice.
  await tablet.getByTestId('queue').getByText('1 mark not taken: open its entry').waitFor();
  assert.doesNotMatch(await tablet.getByTestId('queue').textContent(), /All marks sent/);
  await shot(tablet, 'm08-conflict');
  await conflict.getByRole('button', { name: 'Keep mine: 5.00 marks' }).click();
  await card.locator('[data-testid="mark-state"]', { hasText: 'Saved' }).waitFor();
  await tablet.getByTestId('queue').getByText('All marks sent').waitFor();
  const [aspect] = (await marksOf(s.first.entry.id, s.first.sub)).filter((a) => a.aspect === key);
  assert.equal(aspect.marks.length, 1);
  assert.equal(aspect.marks[0].value, 500);
  assert.equal(aspect.marks[0].version, 3, 'both edits are in the history: 1 (first), 2 (other), 3 (kept)');

  // Once more, and this time the expert takes the other value: nothing more is sent.
  await context.setOffline(true);
  await card.getByRole('radio', { name: '2.50' }).click();
  await reviewAndConfirm(tablet, 1);
  await tablet.getByTestId('queue').getByText('1 mark to send').waitFor();
  const theirs = await ok('POST', `/api/v1/entries/${s.first.entry.id}/marks`, {
    token: s.otherToken,
    body: { marks: [{ client_id: `other-again-${Date.now()}`, aspect: key, amount: 0, version: 3 }] },
  });
  assert.equal(theirs.results[0].outcome, 'saved');
  await context.setOffline(false);
  await conflict.getByText(/^Someone else saved 0(\.00)? marks \(version 4\) first; you entered 2\.50 marks\.$/).waitFor({ timeout: 30_000 });
  await conflict.getByRole('button', { name: /^Take theirs: 0(\.00)? marks$/ }).click();
  await card.locator('[data-testid="mark-state"]', { hasText: 'Saved' }).waitFor();
  assert.equal(await card.getByRole('alert').count(), 0, 'the conflict is resolved');
  const values = card.getByRole('radio');
  await until(async () => (await values.evaluateAll((rs) => rs.findIndex((r) => r.getAttribute('aria-checked') === 'true'))) === 0, 'their value shows');
  await tablet.getByTestId('queue').getByText('All marks sent').waitFor();
  const [taken] = (await marksOf(s.first.entry.id, s.first.sub)).filter((a) => a.aspect === key);
  assert.equal(taken.marks.length, 1);
  assert.equal(taken.marks[0].value, 0);
  assert.equal(taken.marks[0].version, 4, 'their value stands; the expert’s was not sent');
});

test('spread: a warning once all judges have scored out of spread, gone after a re-score within it', async () => {
  const key = `${s.first.sub}.4`; // judgement; this judge scored 2
  const card = tablet.locator(`article[data-aspect="${key}"]`);
  await card.getByText(/Waiting for the other judges \(1 of 3 have scored\)/).waitFor();
  const scores = card.getByRole('radio');
  const warning = card.getByText('Out of spread (more than 1 apart): discuss with the other judges and re-score.', { exact: false });

  // This judge scores 3 first; the warning waits for the others.
  await scores.nth(3).click();
  await reviewAndConfirm(tablet, 1);
  await card.locator('[data-testid="mark-state"]', { hasText: 'Saved' }).waitFor();
  await card.getByText(/Waiting for the other judges \(1 of 3 have scored\)/).waitFor();
  assert.equal(await warning.count(), 0);

  // The other judges score 1 and 2 on their own tablets (through the API here): 3 and 1 are more
  // than one point apart. The open screen shows it without being left or reloaded.
  for (const [token, score] of [
    [s.otherToken, 1],
    [s.thirdToken, 2],
  ]) {
    const result = await ok('POST', `/api/v1/entries/${s.first.entry.id}/marks`, {
      token,
      body: { marks: [{ client_id: `spread-${score}-${Date.now()}`, aspect: key, score }] },
    });
    assert.equal(result.results[0].outcome, 'saved');
  }
  await warning.waitFor({ timeout: 30_000 });
  await card.getByText(/^Judges’ scores: .* \(spread 2\)/).waitFor();
  assert.equal(await card.locator('.mark-blind[role="alert"]').count(), 1, 'the warning is announced');
  await card.screenshot({ path: join(artifacts, 'm08a-out-of-spread.png') });

  // The list of entries says which entry has a score to re-score, and "only what is left" keeps it.
  await tablet.getByRole('link', { name: /Back to entries/ }).click();
  const firstLink = tablet.locator(`a[href*="/entries/${s.first.entry.id}"]`);
  await firstLink.getByText('1 out of spread').waitFor();
  const lockedOf = async () => Number(/locked (\d+) of/.exec(await firstLink.textContent())?.[1] ?? 0);
  const lockedBefore = await lockedOf();
  assert.equal(await firstLink.evaluate((a) => a.classList.contains('is-done')), false);
  const summary = await tablet.getByTestId('left-to-mark').textContent();
  const needing = Number(/(\d+) entr(?:y needs|ies need) you/.exec(summary)?.[1]);
  await tablet.getByRole('button', { name: 'Only what is left' }).click();
  await tablet.locator('button[aria-pressed="true"]', { hasText: 'Only what is left' }).waitFor();
  assert.equal(await tablet.locator('a.mark-entry').count(), needing, 'only the entries that need the expert are listed');
  assert.equal(await tablet.locator('a.mark-entry.is-done').count(), 0);
  assert.equal(await tablet.locator('li.is-recused').count(), 0);
  await shot(tablet, 'm08c-only-what-is-left');
  await firstLink.click();
  await warning.waitFor();

  // After discussing, this judge re-scores 2: within spread, the warning goes.
  await scores.nth(2).click();
  await reviewAndConfirm(tablet, 1);
  await card.locator('[data-testid="mark-state"]', { hasText: 'Saved' }).waitFor();
  await card.getByText(/^Judges’ scores: .* \(spread 1\)/).waitFor();
  assert.equal(await warning.count(), 0, 'no warning within spread');
  await card.screenshot({ path: join(artifacts, 'm08b-within-spread.png') });
  const [aspect] = (await marksOf(s.first.entry.id, s.first.sub)).filter((a) => a.aspect === key);
  assert.deepEqual(aspect.marks.map((m) => m.value).sort(), [1, 2, 2]);
  assert.equal(aspect.spread, 1);

  // Complete and within spread: the chief expert's side (the organiser here) locks it while this
  // tablet, offline, still has a change queued. The change is refused with the server's reason,
  // and the tablet shows the aspects read-only.
  const stepped = tablet.locator(`article[data-aspect="${s.first.sub}.2"]`);
  await context.setOffline(true);
  await stepped.getByRole('radio', { name: '5.00' }).click();
  await reviewAndConfirm(tablet, 1);
  await tablet.getByTestId('queue').getByText('1 mark to send').waitFor();
  await ok('POST', `/api/v1/entries/${s.first.entry.id}/locks`, { token: s.organiser, body: { sub_criterion: s.first.sub } });
  await context.setOffline(false);
  const refusal = stepped.getByRole('alert');
  await refusal.getByText(`Refused: ${s.first.sub} is locked for this entry; ask the chief expert to unlock it`).waitFor({ timeout: 30_000 });
  // Nothing waits to be sent, but the refused mark is not "sent" either until the expert discards it.
  await tablet.getByTestId('queue').getByText('1 mark not taken: open its entry').waitFor();
  // The locked value shown is the one that stands, not the refused change.
  await stepped.getByText(/^Locked by the chief expert: read-only\. · 0(\.00)? marks$/).waitFor();
  await shot(tablet, 'm08d-refused-locked');
  await refusal.getByRole('button', { name: 'Discard' }).click();
  await refusal.waitFor({ state: 'detached' });
  await tablet.getByTestId('queue').getByText('All marks sent').waitFor();
  const [kept] = (await marksOf(s.first.entry.id, s.first.sub)).filter((a) => a.aspect === `${s.first.sub}.2`);
  assert.equal(kept.marks[0].value, 0, 'the locked mark is unchanged');
  await tablet.reload();
  for (let i = 1; i <= 4; i += 1) {
    await tablet.locator(`article[data-aspect="${s.first.sub}.${i}"]`).getByText(/^Locked by the chief expert: read-only\./).waitFor();
  }
  assert.equal(await tablet.locator(`article[data-aspect^="${s.first.sub}."] :is([role="radio"], button)`).count(), 0, 'nothing to change');
  await card.getByText(/^Judges’ scores: .* \(spread 1\)/).waitFor();
  await shot(tablet, 'm08e-locked');
  await tablet.getByRole('link', { name: /Back to entries/ }).click();
  // The list is as the expert left it (only what is left); all of them again:
  await tablet.locator('button[aria-pressed="true"]', { hasText: 'Only what is left' }).waitFor();
  await tablet.getByRole('button', { name: 'Only what is left' }).click();
  await tablet.locator('button[aria-pressed="false"]', { hasText: 'Only what is left' }).waitFor();
  await firstLink.waitFor();
  await until(async () => (await lockedOf()) === lockedBefore + 4, 'the entry lists the four aspects as locked');
});

test('an expert cannot open an entry of their own delegation', async () => {
  await tablet.goto(`/mark/${s.skill.id}/entries/${s.ownEntry.id}`);
  await tablet.getByRole('heading', { name: 'You may not mark this entry' }).waitFor();
  assert.equal(await tablet.locator('article[data-aspect]').count(), 0);
  await shot(tablet, 'm09-recusal');
  // The server refuses too, whatever the page does.
  const refused = await apiCall(server, 'POST', `/api/v1/entries/${s.ownEntry.id}/marks`, {
    token: s.judgeToken,
    body: { marks: [{ client_id: 'own-entry', aspect: 'A1.1', amount: 500 }] },
  });
  assert.equal(refused.status, 403);

  // The tablet app in landscape, and in Chinese.
  await tablet.setViewportSize({ width: 1280, height: 800 });
  // The list reads every entry's marks of the skill in one request, not one per entry.
  const markReads = [];
  const count = (request) => {
    const path = new URL(request.url()).pathname;
    if (request.method() === 'GET' && /\/marks$/.test(path)) markReads.push(path);
  };
  tablet.on('request', count);
  await tablet.goto(`/mark/${s.skill.id}`);
  await tablet.getByTestId('left-to-mark').waitFor();
  await tablet.locator('.mark-entry.is-recused').first().waitFor();
  tablet.off('request', count);
  assert.deepEqual(markReads, [`/api/v1/skills/${s.skill.id}/marks`], `marks read at start: ${markReads.join(', ')}`);
  await assertTabletLayout(tablet, 'entries, 10-inch landscape');
  await shot(tablet, 'm09a-entries-landscape');
  await tablet.goto(`/mark/${s.skill.id}/entries/${s.second.entry.id}`);
  await tablet.locator(`article[data-aspect="${s.second.sub}.4"] [data-testid="mark-state"]`, { hasText: 'Saved' }).waitFor();
  await assertTabletLayout(tablet, 'an entry, 10-inch landscape', { scores: 4 });
  await shot(tablet, 'm09a2-entry-landscape');
  // And an entry nobody has marked yet, in both orientations.
  const fresh = s.entries.find(
    (e) => ![s.ownDelegation, s.otherDelegation, s.thirdDelegation].includes(e.delegation_id) && e.id !== s.first.entry.id && e.id !== s.second.entry.id,
  );
  await tablet.goto(`/mark/${s.skill.id}/entries/${fresh.id}`);
  await tablet.locator('article[data-aspect]').first().waitFor();
  await assertTabletLayout(tablet, 'another entry, 10-inch landscape', { scores: 4 });

  await tablet.setViewportSize({ width: 800, height: 1280 });
  await assertTabletLayout(tablet, 'another entry, 10-inch portrait', { scores: 4 });
  await tablet.setViewportSize({ width: 1280, height: 800 });

  // What is left on one marking day: the list and the entry show that day's aspects, and the way
  // back keeps the day.
  const aspects = s.scheme.criteria.flatMap((c) => c.sub_criteria.flatMap((x) => x.aspects));
  const day = Math.min(...aspects.map((a) => a.day));
  const ofDay = aspects.filter((a) => a.day === day).length;
  assert.ok(ofDay > 0 && ofDay < aspects.length, 'the demo scheme marks on more than one day');
  await tablet.goto(`/mark/${s.skill.id}`);
  const allDays = await tablet.getByTestId('left-to-mark').textContent();
  await tablet.getByRole('button', { name: new RegExp(`^C${day}( · today)?$`) }).click();
  await tablet.waitForURL(new RegExp(`\\?day=${day}$`));
  await until(async () => (await tablet.getByTestId('left-to-mark').textContent()) !== allDays, 'the count is of that day');
  await tablet.locator(`a[href*="/entries/${fresh.id}?day=${day}"]`).click();
  await tablet.getByTestId('day-filter').getByText(`Aspects marked on C${day}: ${ofDay} of ${aspects.length}.`).waitFor();
  assert.equal(await tablet.locator('article[data-aspect]').count(), ofDay);
  await assertTabletLayout(tablet, 'one day of an entry, 10-inch landscape');
  await tablet.getByRole('link', { name: 'Show all days' }).click();
  await until(async () => (await tablet.locator('article[data-aspect]').count()) === aspects.length, 'all days shown');
  await tablet.getByRole('link', { name: /Back to entries/ }).click();
  await tablet.locator('button[aria-pressed="true"]', { hasText: 'All days' }).waitFor();
  await tablet.getByRole('button', { name: new RegExp(`^C${day}( · today)?$`) }).click();
  await tablet.locator(`a[href*="/entries/${fresh.id}?day=${day}"]`).click();
  await tablet.getByTestId('day-filter').waitFor();
  await tablet.getByRole('link', { name: /Back to entries/ }).click();
  await tablet.locator('button[aria-pressed="true"]', { hasText: new RegExp(`^C${day}`) }).waitFor();

  await tablet.goto(`/mark/${s.skill.id}/entries/${s.first.entry.id}`);
  await tablet.getByRole('button', { name: '切换到中文' }).click();
  await tablet.getByText('评分均已发送').waitFor();
  await shot(tablet, 'm09b-entry-zh');
  await tablet.getByRole('button', { name: 'Switch to English' }).click();
  await context.close();
});

test('chief expert on a tablet: locks a sub-criterion from the floor', async () => {
  const chief = await login(server.chief17, server.password);
  const skills = await ok('GET', `/api/v1/events/${s.eventId}/skills`, { token: s.organiser });
  const skill = skills.find((x) => x.number === '17');
  const progress = await ok('GET', `/api/v1/skills/${skill.id}/progress`, { token: chief });
  const row = progress.find((r) => r.sub_criteria.some((x) => x.locked));
  const sub = row.sub_criteria.find((x) => x.locked).sub_criterion;
  await ok('POST', `/api/v1/entries/${row.entry_id}/locks/${sub}/unlock`, { token: chief, body: { reason: 'Re-check on the floor' } });

  const floor = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 }, hasTouch: true, baseURL: server.base });
  const page = await floor.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`/login?next=/mark/${skill.id}/floor`);
  await page.getByLabel('Email address').fill(server.chief17);
  await page.getByLabel('Password').fill(server.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: /^Progress on the floor · 17/ }).waitFor();
  // The skill at a glance, and only the entries with something to lock.
  await page.getByTestId('floor-summary').getByText(/^\d+ of \d+ locked · \d+ ready to lock · \d+ out of spread · \d+ still being marked$/).waitFor();
  const rows = page.locator('li.mark-floor-row');
  const all = await rows.count();
  await page.getByRole('button', { name: 'Ready to lock' }).click();
  await page.locator('button[aria-pressed="true"]', { hasText: 'Ready to lock' }).waitFor();
  const ready = await rows.count();
  assert.ok(ready >= 1 && ready <= all, `entries ready to lock: ${ready} of ${all}`);
  assert.equal(await rows.filter({ has: page.getByRole('button', { name: /^Lock / }) }).count(), ready, 'each listed entry has something to lock');
  await page.getByRole('button', { name: 'All entries' }).click();
  await until(async () => (await rows.count()) === all, 'all entries listed again');
  const line = page.locator(`li.mark-floor-row[data-entry="${row.entry_id}"]`);
  await line.getByRole('button', { name: `Lock ${sub}` }).click();
  await page.getByText(new RegExp(`^${sub} of .* locked\\.$`)).waitFor();
  await line.getByText(`${sub} locked`).waitFor();
  await assertTabletLayout(page, 'the chief expert’s floor, 10-inch landscape');
  await shot(page, 'm09c-chief-floor');
  const lockedNow = async () =>
    (await ok('GET', `/api/v1/skills/${skill.id}/progress`, { token: chief })).find((r) => r.entry_id === row.entry_id).sub_criteria.find((x) => x.sub_criterion === sub).locked;
  assert.equal(await lockedNow(), true);

  // Unlocking from the floor asks for a reason first; a refusal is shown in the dialog. Here
  // someone else unlocks it while the dialog is open.
  const unlockButton = line.getByRole('button', { name: `${sub} locked · Unlock…` });
  await unlockButton.click();
  let dialog = page.getByRole('dialog', { name: new RegExp(`^Unlock ${sub} of `) });
  await dialog.waitFor();
  const confirmUnlock = dialog.getByRole('button', { name: `Unlock ${sub}` });
  assert.equal(await confirmUnlock.isDisabled(), true, 'no unlock without a reason');
  await dialog.getByLabel('Reason (required)').fill('   ');
  assert.equal(await confirmUnlock.isDisabled(), true, 'a blank reason is no reason');
  await ok('POST', `/api/v1/entries/${row.entry_id}/locks/${sub}/unlock`, { token: chief, body: { reason: 'Unlocked at the desk' } });
  await dialog.getByLabel('Reason (required)').fill('Measurement re-check');
  await confirmUnlock.click();
  await dialog.getByRole('alert').getByText('This sub-criterion is no longer locked (someone unlocked it meanwhile).').waitFor();
  await shot(page, 'm09d-chief-unlock-refused');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  // The floor read the progress again: the sub-criterion can be locked again.
  await line.getByRole('button', { name: `Lock ${sub}` }).click();
  await line.getByText(`${sub} locked`).waitFor();
  assert.equal(await lockedNow(), true);

  // And now unlocked from the floor, with the reason kept in the audit log.
  await unlockButton.click();
  dialog = page.getByRole('dialog', { name: new RegExp(`^Unlock ${sub} of `) });
  await dialog.getByLabel('Reason (required)').fill('Measurement re-check');
  await assertTabletLayout(page, 'the unlock dialog, 10-inch landscape');
  await shot(page, 'm09e-chief-unlock-reason');
  await dialog.getByRole('button', { name: `Unlock ${sub}` }).click();
  await page.getByText(new RegExp(`^${sub} of .* unlocked\\.$`)).waitFor();
  await dialog.waitFor({ state: 'detached' });
  await line.getByRole('button', { name: `Lock ${sub}` }).waitFor();
  assert.equal(await lockedNow(), false);

  // The floor in Chinese (its strings come with its own chunk).
  await page.getByRole('button', { name: '切换到中文' }).click();
  await page.getByRole('heading', { name: /^现场进度 · 17/ }).waitFor();
  await line.getByRole('button', { name: `锁定 ${sub}` }).waitFor();
  await page.getByTestId('floor-summary').getByText(/^已锁定 \d+ \/ \d+ · /).waitFor();
  await shot(page, 'm09g-chief-floor-zh');
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('heading', { name: /^Progress on the floor · 17/ }).waitFor();
  const audit = await ok('GET', `/api/v1/audit?action=marks.unlocked&target_id=${row.entry_id}`, { token: s.organiser });
  assert.match(JSON.stringify(audit), /Measurement re-check/, 'the reason is in the audit log');

  // A ratified skill's marks stay locked: the floor says why (a deputy chief expert of skill 04).
  // (The demo's own: a ratified skill takes no new expert.)
  const deputy = await demoExpert(server, s.organiser, s.eventId, s.ratified, 'deputy_chief_expert', PASSWORD);
  await page.goto('/mark');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto(`/login?next=/mark/${s.ratified.id}/floor`);
  await page.getByLabel('Email address').fill(deputy);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: /^Progress on the floor · 04/ }).waitFor();
  await page.getByRole('button', { name: /^[A-Z]+\d+ locked · Unlock…$/ }).first().click();
  dialog = page.getByRole('dialog', { name: /^Unlock / });
  await dialog.getByLabel('Reason (required)').fill('Late correction');
  await dialog.getByRole('button', { name: /^Unlock / }).click();
  await dialog.getByRole('alert').getByText(/results are ratified: its marks can no longer be unlocked/).waitFor();
  await shot(page, 'm09f-chief-unlock-ratified');
  await floor.close();
});

test('chief expert: an aspect out of spread, one judge’s score withdrawn with a reason', async () => {
  // Skill 07's own chief expert (the demo's have no password until they reset it).
  const chiefEmail = await demoExpert(server, s.organiser, s.eventId, s.skill, 'chief_expert', PASSWORD);
  const chief = await login(chiefEmail, PASSWORD);
  // An entry none of the three judges is recused from, with a judged sub-criterion nobody has marked.
  const judged = s.scheme.criteria
    .flatMap((c) => c.sub_criteria)
    .filter((x) => x.aspects.some((a) => a.type === 'judgement'));
  const progress = await ok('GET', `/api/v1/skills/${s.skill.id}/progress`, { token: chief });
  const mine = [s.ownDelegation, s.otherDelegation, s.thirdDelegation];
  let target;
  for (const row of progress) {
    const entry = s.entries.find((e) => e.id === row.entry_id);
    if (entry === undefined || mine.includes(entry.delegation_id)) continue;
    const sub = judged.find((j) => row.sub_criteria.some((x) => x.sub_criterion === j.id && x.marked === 0 && !x.locked));
    if (sub !== undefined) {
      target = { entry, sub };
      break;
    }
  }
  assert.ok(target !== undefined, 'the demo leaves a judged sub-criterion of 07 unmarked');
  const index = target.sub.aspects.findIndex((a) => a.type === 'judgement');
  const aspect = `${target.sub.id}.${index + 1}`;
  // Two judges find it below standard, the third excellent: out of spread.
  for (const [key, score] of [
    ['judge', 0],
    ['other', 0],
    ['third', 3],
  ]) {
    const body = { marks: [{ client_id: `spread-${key}`, aspect, score }] };
    const sent = await ok('POST', `/api/v1/entries/${target.entry.id}/marks`, { token: s[`${key}Token`], body });
    assert.equal(sent.results[0].outcome, 'saved');
  }

  const floor = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 }, hasTouch: true, baseURL: server.base });
  const page = await floor.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`/login?next=/mark/${s.skill.id}/floor`);
  await page.getByLabel('Email address').fill(chiefEmail);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: /^Progress on the floor · 07/ }).waitFor();
  const line = page.locator(`li.mark-floor-row[data-entry="${target.entry.id}"]`);
  await line.getByRole('button', { name: `${target.sub.id}: out of spread · Scores…` }).click();
  const dialog = page.getByRole('dialog', { name: new RegExp(`^Judges’ scores of ${target.sub.id} · `) });
  const group = dialog.getByRole('group', { name: aspect });
  await group.getByRole('radio', { name: 'Third Judge: 3' }).waitFor();
  assert.equal(await group.getByRole('radio').count(), 3, 'the three judges’ scores, by name');
  const withdraw = dialog.getByRole('button', { name: 'Withdraw this score' });
  await group.getByRole('radio', { name: 'Third Judge: 3' }).check();
  assert.equal(await withdraw.isDisabled(), true, 'no withdrawal without a reason');
  await dialog.getByLabel('Reason for withdrawing (required)').fill('Entered by a judge outside the rota');
  await assertTabletLayout(page, 'the scores dialog, 10-inch landscape');
  await shot(page, 'm09h-chief-withdraw-score');
  await withdraw.click();
  await page.getByText(new RegExp(`^Third Judge’s score of ${aspect.replace('.', '\\.')} for .* withdrawn\\.$`)).waitFor();
  await dialog.waitFor({ state: 'detached' });
  await line.getByText(new RegExp(`^${target.sub.id}: \\d+ missing$`)).waitFor();
  const audit = await ok('GET', `/api/v1/audit?action=marks.score_withdrawn&target_id=${target.entry.id}`, { token: s.organiser });
  assert.match(JSON.stringify(audit), /Entered by a judge outside the rota/, 'the reason is in the audit log');
  // The judge's tablet replaying the withdrawn score changes nothing.
  const replay = { marks: [{ client_id: 'spread-third', aspect, score: 3 }] };
  const again = await ok('POST', `/api/v1/entries/${target.entry.id}/marks`, { token: s.thirdToken, body: replay });
  assert.equal(again.results[0].outcome, 'rejected');
  await floor.close();
});

test('results: nothing before publication; the live board and the competitor see them after', async () => {
  // A competitor of the ratified (not yet published) skill gets an account.
  const ratifiedEntries = await ok('GET', `/api/v1/events/${s.eventId}/entries?skill_id=${s.ratified.id}&per_page=500`, { token: s.organiser });
  const entry = ratifiedEntries.items.find((e) => e.competitors.length > 0);
  const competitorName = entry.competitors[0].name;
  s.competitorName = competitorName;
  await ok('POST', `/api/v1/competitors/${entry.competitors[0].id}/account`, {
    token: s.organiser,
    body: { email: 'competitor@e2e.skillmark.test', locale: 'en' },
  });
  await acceptInvitation('competitor@e2e.skillmark.test');

  const people = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 }, baseURL: server.base });
  const competitor = await people.newPage();
  competitor.setDefaultTimeout(20_000);
  await competitor.goto('/login?next=/my-results');
  await competitor.getByLabel('Email address').fill('competitor@e2e.skillmark.test');
  await competitor.getByLabel('Password').fill(PASSWORD);
  await competitor.getByRole('button', { name: 'Sign in' }).click();
  await competitor.getByRole('heading', { name: 'Results are not yet published.' }).waitFor().catch(async (e) => {
    console.error(await competitor.locator('body').innerText(), competitor.url());
    throw e;
  });
  assert.equal(await competitor.getByTestId('my-result').count(), 0);
  await shot(competitor, 'm10-competitor-before');

  const visitor = await people.newPage();
  visitor.setDefaultTimeout(20_000);
  await visitor.goto(`/results/${s.eventId}`);
  await visitor.locator('section.results-skill[data-skill="01"]').waitFor();
  assert.equal(await visitor.locator('section.results-skill[data-skill="04"]').count(), 0, 'skill 04 is not public yet');
  await visitor.goto(`/results/${s.eventId}/skills/04`);
  await visitor.getByText('No published results here (yet).').waitFor();
  await shot(visitor, 'm11-public-before');

  const board = await people.newPage();
  board.setDefaultTimeout(20_000);
  await board.setViewportSize({ width: 1920, height: 1080 });
  await board.goto(`/board/${s.eventId}?every=600`);
  await board.getByTestId('board-live').getByText('● live').waitFor();
  await board.locator('section.board-skill').waitFor();
  await board.evaluate(() => {
    window.__notReloaded = true;
  });
  await shot(board, 'm12-board-before');

  await ok('POST', `/api/v1/events/${s.eventId}/results/publish`, {
    token: s.organiser,
    body: { audience: 'public', skills: [s.ratified.id] },
  });

  await board.locator('section.board-skill[data-skill="04"]').waitFor();
  await board.getByText(/^Just published: 04 /).waitFor();
  assert.equal(await board.evaluate(() => window.__notReloaded), true, 'the board updated without a reload');
  await shot(board, 'm13-board-after');

  await competitor.reload();
  const mine = competitor.getByTestId('my-result');
  await mine.waitFor();
  assert.match(await mine.locator('h2').textContent(), /^04 /);
  const criteria = await mine.locator('table.results-breakdown tbody tr').count();
  assert.equal(criteria, 5, 'the breakdown lists the five criteria');
  await shot(competitor, 'm14-competitor-after');

  // The closing ceremony on the venue screen: the organiser releases a ratified skill to the
  // public (the ceremony reveals public results only), then reveals bronze, then silver; each
  // appears without a reload.
  const ceremonySkill = (await ok('GET', `/api/v1/events/${s.eventId}/skills`, { token: s.organiser })).find((x) => x.number === '05');
  const ceremony = await people.newPage();
  ceremony.setDefaultTimeout(20_000);
  await ceremony.setViewportSize({ width: 1920, height: 1080 });
  // A skill number instead of its id, or a skill not public yet: nothing to reveal, said so.
  await ceremony.goto(`/board/${s.eventId}/ceremony/05`);
  await ceremony.getByTestId('ceremony-not-public').waitFor();
  await ceremony.goto(`/board/${s.eventId}/ceremony/${ceremonySkill.id}`);
  await ceremony.getByTestId('board-live').getByText('● live').waitFor();
  await ceremony.getByTestId('ceremony-not-public').waitFor();
  await ok('POST', `/api/v1/events/${s.eventId}/results/publish`, {
    token: s.organiser,
    body: { skills: [ceremonySkill.id], audience: 'public' },
  });
  // Released to the public: the screen hears of it and waits for the first medal.
  await ceremony.getByText(/are about to be revealed\.$/).waitFor();
  assert.equal(await ceremony.locator('.board-ceremony li').count(), 0, 'nothing revealed yet');
  for (const [step, award] of [
    [1, 'bronze'],
    [2, 'silver'],
  ]) {
    await ok('POST', `/api/v1/skills/${ceremonySkill.id}/results/ceremony`, { token: s.organiser, body: { step } });
    await ceremony.locator(`.board-ceremony li.is-${award}`).first().waitFor();
  }
  assert.equal(await ceremony.locator('.board-ceremony li.is-gold').count(), 0, 'gold is not revealed yet');
  await shot(ceremony, 'm14b-ceremony-silver');

  // The public page has it now, and a search by the competitor's name finds them (shareable address).
  await visitor.goto(`/results/${s.eventId}?q=${encodeURIComponent(competitorName)}`);
  await visitor.locator('section.results-skill[data-skill="04"]').getByRole('cell', { name: competitorName }).waitFor();
  await shot(visitor, 'm15-public-search');
  // The tables: medals (gold first) and best of delegation, each at its own address.
  await visitor.getByRole('link', { name: 'Medal table' }).click();
  await visitor.waitForURL(`**/results/${s.eventId}/medals`);
  // The medal table's own box (the skill tables of the page before share its class).
  const medals = visitor.getByRole('region', { name: 'Medal table' }).locator('tbody tr');
  await medals.first().waitFor();
  assert.ok((await medals.count()) > 1, 'several delegations won medals');
  await shot(visitor, 'm16-medal-table');
  await visitor.getByRole('link', { name: 'Best of delegation' }).click();
  await visitor.getByText(/Albert Vidal Award/).waitFor();
  await shot(visitor, 'm17-best-of-delegation');
  await visitor.getByRole('button', { name: '切换到中文' }).click();
  await visitor.getByRole('link', { name: '奖牌榜' }).waitFor();
  await shot(visitor, 'm18-best-of-delegation-zh');
  await people.close();
});

/**
 * What a phone shows of a page: the page never scrolls sideways (a wide table scrolls inside its
 * own box), every table fits on screen or sits in such a box, and no text is smaller than 12 px.
 */
async function phoneLayout(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const tables = [...document.querySelectorAll('table')].filter((t) => t.getClientRects().length > 0);
    const misfits = tables
      .map((t) => {
        const box = t.closest('.results-scroll') ?? t;
        const r = box.getBoundingClientRect();
        return r.left >= -0.5 && r.right <= width + 0.5 ? null : `${t.className} ${Math.round(r.left)}…${Math.round(r.right)}`;
      })
      .filter((x) => x !== null);
    const scrolling = [...document.querySelectorAll('.results-scroll')].filter((b) => b.scrollWidth > b.clientWidth).length;
    let smallest = Infinity;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
      const el = n.parentElement;
      if (el === null || n.textContent.trim() === '' || el.getClientRects().length === 0) continue;
      smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize));
    }
    return { innerWidth, scrollWidth: document.documentElement.scrollWidth, tables: tables.length, misfits, scrolling, smallest };
  });
}

test('public results and my results on a phone: no sideways page scroll, tables fit or scroll in place', async () => {
  for (const [width, height] of [
    [375, 812],
    [390, 844],
  ]) {
    const phone = await browser.newContext({ locale: 'en-GB', viewport: { width, height }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, baseURL: server.base });
    const page = await phone.newPage();
    page.setDefaultTimeout(20_000);
    const check = async (name, { tables, scrolls = 0 }) => {
      const layout = await phoneLayout(page);
      assert.equal(layout.innerWidth, width, `${name} @${width}: the page is not zoomed out to fit something wide`);
      assert.ok(layout.scrollWidth <= width, `${name} @${width}: no horizontal page overflow (${layout.scrollWidth} > ${width})`);
      assert.ok(layout.tables >= tables, `${name} @${width}: ${tables} table(s) shown`);
      assert.deepEqual(layout.misfits, [], `${name} @${width}: every table fits or scrolls in its own box`);
      assert.ok(layout.scrolling <= scrolls, `${name} @${width}: ${layout.scrolling} boxes scroll sideways`);
      assert.ok(layout.smallest >= 12, `${name} @${width}: text readable (smallest ${layout.smallest} px)`);
      await page.screenshot({ path: join(artifacts, `m19-phone-${width}-${name}.png`), fullPage: true });
    };

    await page.goto('/login?next=/my-results');
    await page.getByLabel('Email address').fill('competitor@e2e.skillmark.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('my-result').waitFor();
    for (const details of await page.locator('[data-testid="my-result"] details').all()) await details.locator('summary').click();
    await check('my-results', { tables: 1, scrolls: 1 });

    await page.goto('/results');
    await page.locator('.results-events a').first().waitFor();
    await check('events', { tables: 0 });
    await page.goto(`/results/${s.eventId}`);
    await page.locator('section.results-skill[data-skill="04"]').waitFor();
    await check('skills', { tables: 4 });
    // The search box is usable and its result fits too.
    await page.getByLabel('Search by name or delegation').fill(s.competitorName);
    await page.locator('section.results-skill[data-skill="04"]').getByText(s.competitorName).first().waitFor();
    await check('search', { tables: 1 });
    await page.goto(`/results/${s.eventId}/skills/04`);
    await page.locator('section.results-skill[data-skill="04"] tbody tr').first().waitFor();
    await check('skill-04', { tables: 1 });
    for (const [tab, name, scrolls] of [
      ['Medal table', 'medals', 1],
      ['Delegation table', 'delegations', 1],
      ['Best of delegation', 'best', 1],
    ]) {
      await page.getByRole('link', { name: tab, exact: true }).click();
      // This tab's own table, not one of the page before (they share the class).
      await page.getByRole('region', { name: tab, exact: true }).locator('tbody tr').first().waitFor();
      await check(name, { tables: 1, scrolls });
    }
    // A wide table scrolls inside its box (by touch, or by keyboard: the box takes the focus).
    await page.getByRole('link', { name: 'Medal table', exact: true }).click();
    const box = page.getByRole('region', { name: 'Medal table' });
    await box.locator('tbody tr').first().waitFor();
    await box.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await until(async () => (await box.evaluate((b) => b.scrollLeft)) > 0, 'the medal table scrolls inside its box');
    assert.ok((await page.evaluate(() => window.scrollX)) === 0, 'the page itself did not scroll sideways');
    await phone.close();
  }
});
