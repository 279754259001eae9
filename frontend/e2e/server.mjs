// Starts the real Skillmark binary for the end-to-end tests: a fresh SQLite database in a
// temporary directory, the demo event loaded (`serve --demo`), mail written to files, on a free
// port, serving the freshly built `frontend/dist`.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const here = fileURLToPath(new URL('.', import.meta.url));
export const frontendDir = resolve(here, '..');

/** Where the walk-throughs' screenshots go (e2e/artifacts, made when this module loads). */
export const artifacts = join(frontendDir, 'e2e', 'artifacts');
mkdirSync(artifacts, { recursive: true });

/** A screenshot of `page` as e2e/artifacts/NAME.png: the whole page, or with `{ fullPage: false }` the viewport. */
export async function shot(page, name, { fullPage = true } = {}) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage });
}

/** A TCP port on 127.0.0.1 that nothing listens on now. */
export function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/** Cargo's build directory, where `cargo test` left the server and the Python test tools. */
const targetDir = resolve(frontendDir, process.env.CARGO_TARGET_DIR ?? '../target');

/**
 * A Python tool (`python`, …) from the tests' own virtual environment, `<target>/py-tools`, made
 * by `tests/py_tools.py` from the pinned `tests/requirements.lock` if `cargo test` has not yet.
 */
export function pythonTool(name) {
  const script = resolve(frontendDir, '..', 'tests', 'py_tools.py');
  const bin = execFileSync('python3', [script, targetDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return join(bin.trim(), name);
}

// The demo event without its selection programme: the walk-throughs set up what they need over
// the national selection (the programme's stages would add two later events to every list). The
// demo's programme is checked by the API test `demo::the_demo_event_is_complete_…`.
export async function startServer({ env: extraEnv = {}, demo = ['--demo', '--without-programme'] } = {}) {
  // The binary `cargo test` / `cargo build` just built, unless SKILLMARK_BIN names another.
  const bin = resolve(frontendDir, process.env.SKILLMARK_BIN ?? join(targetDir, 'debug', 'skillmark'));
  if (!existsSync(bin)) {
    throw new Error(`no server binary at ${bin}: build it (cargo build) or set SKILLMARK_BIN`);
  }
  const dist = join(frontendDir, 'dist');
  if (!existsSync(join(dist, 'index.html'))) throw new Error('frontend/dist is not built (npm run build)');
  const dir = mkdtempSync(join(tmpdir(), 'skillmark-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.SKILLMARK_CONFIG;
  Object.assign(env, {
    SKILLMARK_ADDR: `127.0.0.1:${port}`,
    SKILLMARK_DATA_DIR: join(dir, 'data'),
    SKILLMARK_MAIL_DIR: join(dir, 'mail'),
    SKILLMARK_FRONTEND_DIR: dist,
    SKILLMARK_PUBLIC_URL: base,
    SKILLMARK_SPA_BUILD: 'never',
    SKILLMARK_LOG_FORMAT: 'text',
    RUST_LOG: 'warn',
    // Sign-ins in quick succession from one address are fine in a test.
    SKILLMARK_LOGIN_PER_ADDRESS_PER_MINUTE: '1000',
  }, extraEnv);
  // Run in the temporary directory so that no skillmark.toml of the checkout is read.
  const child = spawn(bin, ['serve', ...demo], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((done) => child.once('exit', done));

  const deadline = Date.now() + 120_000;
  let ready = false;
  while (!ready && Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited early:\n${output}`);
    try {
      ready = (await fetch(`${base}/readyz`)).ok;
    } catch {
      // Not listening yet.
    }
    if (!ready) await new Promise((r) => setTimeout(r, 250));
  }
  if (!ready) throw new Error(`the server did not become ready:\n${output}`);
  const password = /sign in with password (\S+)/.exec(output)?.[1];
  if (password === undefined) throw new Error(`no demo password in the server's output:\n${output}`);

  // The demo names the accounts that have the password; skill 17's chief expert comes first.
  const chief17 = /^\s+(expert\.17\.\S+)\s+chief_expert\s*$/m.exec(output)?.[1];
  if (chief17 === undefined) throw new Error(`no chief expert of skill 17 in the server's output:\n${output}`);

  return {
    base,
    password,
    /** The email of skill 17's chief expert (who has the demo password). */
    chief17,
    mailDir: join(dir, 'mail'),
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Decodes a quoted-printable mail body (soft line breaks, =XX bytes as UTF-8). */
function decodeQuotedPrintable(text) {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < joined.length; i += 1) {
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeBase64Parts(text) {
  // Base64 bodies: decode every long run of base64 lines and keep them alongside the raw text.
  // The last line of a run may be short.
  const runs = text.match(/(?:^[A-Za-z0-9+/=]{40,}\r?\n)+(?:^[A-Za-z0-9+/=]{1,39}(?:\r?\n|$))?/gm) ?? [];
  return runs.map((run) => Buffer.from(run.replace(/\s+/g, ''), 'base64').toString('utf8')).join('\n');
}

/** The link (path and query) to `pathPrefix` in the newest of `mails` (raw texts, oldest first) to `to`, or null. */
export function linkIn(mails, to, pathPrefix) {
  for (const raw of [...mails].reverse()) {
    if (!raw.toLowerCase().includes(to.toLowerCase())) continue;
    const text = `${decodeQuotedPrintable(raw)}\n${decodeBase64Parts(raw)}`;
    const match = new RegExp(`https?://[^\\s"'<>]*${pathPrefix.replace(/[/?]/g, '\\$&')}[^\\s"'<>]*`).exec(text);
    if (match !== null) {
      const url = new URL(match[0].replace(/&amp;/g, '&'));
      return `${url.pathname}${url.search}`;
    }
  }
  return null;
}

/** The link (path and query) in the newest mail to `to` whose path starts with `pathPrefix`. */
export async function linkFromMail(mailDir, to, pathPrefix) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (existsSync(mailDir)) {
      const files = readdirSync(mailDir).filter((f) => f.endsWith('.eml')).sort();
      const link = linkIn(files.map((file) => readFileSync(join(mailDir, file), 'utf8')), to, pathPrefix);
      if (link !== null) return link;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no mail to ${to} with a ${pathPrefix} link in ${mailDir}`);
}

/**
 * One of the demo's own experts of a skill, signed in with `password`: the demo gives passwords
 * only to skill 17's, and a ratified skill takes no new experts (the lifecycle), so the organiser
 * looks the expert up, the expert resets their password through the mailed link and switches
 * their account to English (the tests read English labels). Returns the expert's email.
 */
export async function demoExpert(server, organiserToken, eventId, skill, position, password) {
  const api = (method, path, token, body) => apiOk(server, method, path, { token, body });
  const experts = await api('GET', `/api/v1/events/${eventId}/experts`, organiserToken);
  const expert = experts.find((e) => e.skill_id === skill.id && e.position === position);
  if (expert === undefined) throw new Error(`the demo has no ${position} in skill ${skill.number}`);
  const delegations = await api('GET', `/api/v1/events/${eventId}/delegations`, organiserToken);
  const code = delegations.find((d) => d.id === expert.delegation_id).code;
  const email = `expert.${skill.number.toLowerCase()}.${code.toLowerCase()}@demo.skillmark.org`;
  await api('POST', '/api/v1/auth/password-reset', null, { email });
  const link = await linkFromMail(server.mailDir, email, '/reset-password');
  const token = new URL(link, server.base).searchParams.get('token');
  await api('POST', '/api/v1/auth/password-reset/confirm', null, { token, new_password: password });
  const access = (await api('POST', '/api/v1/auth/login', null, { email, password })).access_token;
  const me = await api('GET', '/api/v1/me', access);
  await api('PATCH', '/api/v1/me', access, { locale: 'en', version: me.version });
  return email;
}

/** Debian's Chromium, headless, as every end-to-end file launches it (playwright-core drives it). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A walk-through's start (in `before`): the server (`options` as for `startServer`) and Chromium.
 * If Chromium does not start, the server is stopped again.
 */
export async function startWalk(options) {
  const server = await startServer(options);
  try {
    return { server, browser: await launchBrowser() };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** A walk-through's end (in `after`): closes the browser and stops the server, either of which may not have started. */
export async function stopWalk({ server, browser }) {
  await browser?.close();
  await server?.stop();
}

/**
 * A page in a browser context of its own (cookies and session) at `server`, with `contextOptions`
 * (locale, viewport, …): 20 s waits, the page's errors logged (naming `who` if given).
 */
export async function openPage(browser, server, contextOptions, who) {
  const context = await browser.newContext({ ...contextOptions, baseURL: server.base });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (error) => console.error(who === undefined ? 'page error:' : `page error (${who}):`, error));
  return page;
}

/** Signs `email` in on the Chinese sign-in page of `page` and waits until `path` (where it goes next) is open. */
export async function signIn(page, path, email, password) {
  await page.goto(`/login?next=${encodeURIComponent(path)}`);
  await page.getByLabel('电子邮箱').fill(email);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(`**${path}`);
}

/** A JSON request to `server`: the response and its body's text. */
async function request(server, method, path, { token, body } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${server.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { response, text: await response.text() };
}

/** A JSON request to `server` that must succeed (else the test fails with the answer); its body or null. */
export async function apiOk(server, method, path, options) {
  const { response, text } = await request(server, method, path, options);
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text === '' ? null : JSON.parse(text);
}

/** An access token for `email`, signed in through the API (which must let them in). */
export async function apiSignIn(server, email, password) {
  return (await apiOk(server, 'POST', '/api/v1/auth/login', { body: { email, password } })).access_token;
}

/** The demo's national selection (its selection programme's later stages are events too). */
export const DEMO_EVENT_NAME = '第二届全国职业技能大赛（演示）';

/** The demo event among the events the API lists. */
export function demoEventOf(events) {
  const event = events.find((e) => e.name === DEMO_EVENT_NAME);
  if (event === undefined) throw new Error(`no event named ${DEMO_EVENT_NAME}`);
  return event;
}

/** The demo as its organiser sees it through the API: their token, the event (and its id), its skills and `skill(number)`. */
export async function demoEvent(server) {
  const organiser = await apiSignIn(server, 'organiser@demo.skillmark.org', server.password);
  const event = demoEventOf(await apiOk(server, 'GET', '/api/v1/events', { token: organiser }));
  const skills = await apiOk(server, 'GET', `/api/v1/events/${event.id}/skills`, { token: organiser });
  return { organiser, event, eventId: event.id, skills, skill: (number) => skills.find((x) => x.number === number) };
}

/** A JSON request to `server` whatever its outcome: `{ status, data }`, data the parsed body or null. */
export async function apiCall(server, method, path, options) {
  const { response, text } = await request(server, method, path, options);
  return { status: response.status, data: text === '' ? null : JSON.parse(text) };
}
