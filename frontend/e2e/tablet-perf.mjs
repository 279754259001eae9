// Measures the budgets of the tablet app and the public pages (docs/performance.md, "Tablet app
// and public pages"), in headless Chromium against the real server with the demo event:
//
// 1. The tablet app's initial JavaScript: a reload of the marking screen with an empty cache; the
//    scripts it loads, as transferred (brotli) and as their gzip copies in dist/.
// 2. Entering a mark on a ×4 CPU-throttled tablet: from the tap (the click event's time stamp) to the first frame
//    after the chosen score shows as selected (and the card says "Entered, not confirmed").
// 3. The public results page with 60 skills (the demo's published results repeated to 60 skills of
//    20 entries, served in place of the API's answer), ×4 CPU throttling: time until every skill
//    is on the page, and the long tasks (> 50 ms) while it renders and while scrolling to the end.
//
// Run with `npm run perf:tablet` (builds the SPA, starts the server like the e2e).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { frontendDir, launchBrowser, startServer } from './server.mjs';

const server = await startServer();
const browser = await launchBrowser();
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function signIn(page, email) {
  await page.goto('/login?next=/mark');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(server.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

try {
  // --- 1 and 2: the tablet app, as the chief expert of skill 17 (a member of its marking group).
  const context = await browser.newContext({ viewport: { width: 800, height: 1280 }, locale: 'en-GB', baseURL: server.base, hasTouch: true });
  const page = await context.newPage();
  await signIn(page, server.chief17);
  await page.getByRole('heading', { name: /^Entries · 17/ }).waitFor();
  // An entry with an aspect this judge has not scored yet.
  const entryLink = page.locator('a.mark-entry').first();
  await entryLink.click();
  await page.locator('article[data-aspect]').first().waitFor();
  const url = page.url();

  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await page.evaluate(async () => {
    for (const r of (await navigator.serviceWorker?.getRegistrations()) ?? []) await r.unregister();
  });
  const scripts = new Map();
  cdp.on('Network.responseReceived', (e) => {
    if (e.type === 'Script') scripts.set(e.requestId, { url: e.response.url, bytes: 0 });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const s = scripts.get(e.requestId);
    if (s !== undefined) s.bytes = e.encodedDataLength;
  });
  await page.goto(url);
  await page.locator('article[data-aspect]').first().waitFor();
  let transferred = 0;
  let gzip = 0;
  for (const { url: u, bytes } of scripts.values()) {
    transferred += bytes;
    const file = join(frontendDir, 'dist', new URL(u).pathname);
    gzip += existsSync(`${file}.gz`) ? statSync(`${file}.gz`).size : statSync(file).size;
  }
  console.log(
    `tablet app initial JavaScript: ${scripts.size} files, ${(transferred / 1024).toFixed(1)} KB transferred (brotli), ${(gzip / 1024).toFixed(1)} KB gzip`,
  );
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });

  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  // The browser's own measure of responsiveness (Event Timing, as INP uses): input → next paint.
  await page.evaluate(() => {
    window.__events = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name === 'click') window.__events.push(e.duration);
    }).observe({ type: 'event', durationThreshold: 16, buffered: false });
  });
  const times = [];
  const commits = [];
  const cards = page.locator('article[data-aspect]:not(.is-locked)');
  const count = Math.min(await cards.count(), ROUNDS * 2);
  // Install a probe on the option, tap it, read how long until the selection was painted.
  for (let i = 0; i < count; i += 1) {
    const card = cards.nth(i);
    const option = card.locator('[role="radio"]:not([aria-checked="true"]), .mark-deduction .mark-choice:not([aria-pressed="true"])').first();
    if ((await option.count()) === 0) continue;
    // In the middle of the screen: not under the sticky header or the action bar.
    await option.evaluate((button) => button.scrollIntoView({ block: 'center' }));
    await option.evaluate((button) => {
      window.__tap = new Promise((resolve) => {
        let start = 0;
        const selected = () => button.getAttribute('aria-checked') === 'true' || button.getAttribute('aria-pressed') === 'true';
        const observer = new MutationObserver(() => {
          if (!selected()) return;
          observer.disconnect();
          const committed = performance.now() - start;
          requestAnimationFrame(() => setTimeout(() => resolve({ committed, painted: performance.now() - start }), 0));
        });
        observer.observe(button, { attributes: true });
        setTimeout(() => resolve(null), 5_000);
        // From the tap's click event (its time stamp: when the input arrived) to the painted answer.
        button.addEventListener('click', (e) => (start = e.timeStamp), { once: true, capture: true });
      });
    });
    // A tap sent straight to the browser (no Playwright actionability checks running in the page
    // during the event), in the middle of the option.
    const box = await option.boundingBox();
    const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await page.mouse.click(at.x, at.y);
    const tap = await page.evaluate(() => window.__tap);
    if (tap === null) throw new Error('the tap did not select the option');
    times.push(tap.painted);
    commits.push(tap.committed);
  }
  await page.waitForTimeout(500);
  const eventTiming = await page.evaluate(() => window.__events);
  console.log(
    `entering a mark, ×4 CPU throttling, Event Timing (click → next paint, as INP): ${eventTiming.length} of ${times.length} clicks took 16 ms or more` +
      (eventTiming.length > 0 ? `, median of those ${median(eventTiming)} ms, max ${Math.max(...eventTiming)} ms` : ''),
  );
  console.log(
    `entering a mark, ×4 CPU throttling: median ${median(times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms over ${times.length} taps (click → selected value painted; click → DOM updated: median ${median(commits).toFixed(1)} ms)`,
  );
  await context.close();

  // --- 3: public results with 60 skills.
  const real = await (await fetch(`${server.base}/api/v1/public/events`)).json();
  const eventId = real[0].event_id;
  const results = await (await fetch(`${server.base}/api/v1/public/events/${eventId}/results`)).json();
  const template = results.skills[0];
  const lines = Array.from({ length: 20 }, (_, i) => ({ ...template.entries[i % template.entries.length], rank: i + 1 }));
  const sixty = {
    ...results,
    skills: Array.from({ length: 60 }, (_, i) => ({
      ...template,
      skill_id: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
      skill_number: String(i + 1).padStart(2, '0'),
      entries: lines,
    })),
  };
  const publicContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', baseURL: server.base });
  const renders = [];
  const longest = [];
  const blocking = [];
  const firsts = [];
  const loadLongest = [];
  const renderLongest = [];
  for (let round = 0; round < 3; round += 1) {
    const p = await publicContext.newPage();
    await p.route(`**/api/v1/public/events/${eventId}/results`, (route) => route.fulfill({ json: sixty }));
    const c = await publicContext.newCDPSession(p);
    await c.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await p.addInitScript(() => {
      window.__long = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__long.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    await p.goto(`/results/${eventId}`);
    await p.waitForFunction(() => document.querySelector('section.results-skill') !== null, null, { timeout: 60_000 });
    firsts.push(await p.evaluate(() => performance.now()));
    await p.waitForFunction(() => document.querySelectorAll('section.results-skill').length === 60, null, { timeout: 60_000 });
    const rendered = await p.evaluate(() => performance.now());
    // Scroll to the end in steps, as a reader would.
    await p.evaluate(async () => {
      window.__scrollStart = performance.now();
      for (let y = 0; y < document.body.scrollHeight; y += 600) {
        window.scrollTo(0, y);
        await new Promise((r) => requestAnimationFrame(() => r()));
      }
    });
    const long = await p.evaluate(() => ({ all: window.__long, scrollStart: window.__scrollStart }));
    const first = firsts[firsts.length - 1];
    renderLongest.push(Math.max(0, ...long.all.filter((t) => t.start + t.duration > first && t.start < long.scrollStart).map((t) => t.duration)));
    const afterLoad = long.all.filter((t) => t.start >= long.scrollStart);
    renders.push(rendered);
    longest.push(Math.max(0, ...afterLoad.map((t) => t.duration)));
    loadLongest.push(Math.max(0, ...long.all.filter((t) => t.start < long.scrollStart).map((t) => t.duration)));
    blocking.push(long.all.filter((t) => t.start < long.scrollStart).reduce((n, t) => n + Math.max(0, t.duration - 50), 0));
    await p.close();
  }
  console.log(
    `public results, 60 skills × 20 entries, ×4 CPU (medians of 3): first skill on the page ${median(firsts).toFixed(0)} ms, all 60 ${median(renders).toFixed(0)} ms after navigation; ` +
      `while loading: longest task ${median(loadLongest).toFixed(0)} ms (after the first skill showed: ${median(renderLongest).toFixed(0)} ms), blocking time ${median(blocking).toFixed(0)} ms; longest task while scrolling to the end ${median(longest).toFixed(0)} ms`,
  );
} finally {
  await browser.close();
  await server.stop();
}
