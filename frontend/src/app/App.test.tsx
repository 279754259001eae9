import { renderToStaticMarkup } from 'react-dom/server';
import { prerenderToNodeStream } from 'react-dom/static';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';

import { AppRoutes } from '@/app/App';
import { LocaleProvider } from '@/app/LocaleProvider';
import { AuthProvider } from '@/lib/auth/AuthProvider';
import type { AuthState } from '@/lib/auth/context';
import { messages, type Locale } from '@/lib/i18n';

const en = messages.en;
const zh = messages['zh-CN'];

function tree(path: string, options: { locale?: Locale; auth?: AuthState } = {}) {
  return (
    <LocaleProvider initial={options.locale ?? 'en'}>
      <AuthProvider initialState={options.auth ?? { status: 'signed_out', reason: 'initial' }}>
        <MemoryRouter initialEntries={[path]}>
          <AppRoutes />
        </MemoryRouter>
      </AuthProvider>
    </LocaleProvider>
  );
}

function render(path: string, options: { locale?: Locale; auth?: AuthState } = {}): string {
  return renderToStaticMarkup(tree(path, options));
}

/** Renders after every lazily loaded screen has arrived (the console's screens are split off). */
async function renderComplete(path: string, options: { locale?: Locale; auth?: AuthState } = {}): Promise<string> {
  const { prelude } = await prerenderToNodeStream(tree(path, options));
  let html = '';
  for await (const chunk of prelude as unknown as AsyncIterable<string | Uint8Array>) {
    html += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
  }
  return html;
}

/** The label texts of the page, each checked to name an element that exists. */
function labelledControls(html: string): string[] {
  const labels = [...html.matchAll(/<label[^>]*\bfor="([^"]+)"[^>]*>(.*?)<\/label>/g)];
  return labels.map(([, id, content]) => {
    expect(html).toContain(`id="${id}"`);
    return (content ?? '').replace(/<[^>]+>/g, '').trim();
  });
}

function input(html: string, name: string): string {
  const match = html.match(new RegExp(`<input[^>]*name="${name}"[^>]*>`));
  expect(match, `input ${name}`).not.toBeNull();
  return match?.[0] ?? '';
}

describe('routes from the emailed links', () => {
  it('/setup?token=… shows the first-administrator form', () => {
    const html = render('/setup?token=abc');
    expect(html).toContain(`<h1 tabindex="-1">${en.setupTitle}</h1>`);
    expect(labelledControls(html)).toEqual([
      en.fieldEmail,
      en.fieldDisplayName,
      en.fieldPassword,
      en.fieldConfirmPassword,
    ]);
    expect(input(html, 'email')).toContain('type="email"');
    // HTML attribute names are case-insensitive; React writes `autoComplete`.
    expect(input(html, 'password')).toMatch(/autocomplete="new-password"/i);
    // Both languages are offered, each named in its own language.
    expect(html).toContain('value="zh-CN"');
    expect(html).toContain('value="en"');
    expect(html).toContain('lang="zh-CN"');
    expect(html).toContain('role="alert"');
  });

  it('/setup without a token explains the broken link instead of showing a form', () => {
    const html = render('/setup');
    expect(html).toContain(en.linkMissingToken);
    expect(html).not.toContain('<form');
  });

  it('/accept-invitation?token=… asks for a password and an optional name', () => {
    const html = render('/accept-invitation?token=abc');
    expect(labelledControls(html)).toEqual([
      en.fieldPassword,
      en.fieldConfirmPassword,
      `${en.fieldDisplayName} ${en.fieldOptional}`,
    ]);
    expect(input(html, 'display_name')).not.toContain('required');
    expect(input(html, 'password')).toContain('required');
  });

  it('/reset-password?token=… asks for the new password twice', () => {
    const html = render('/reset-password?token=abc');
    expect(labelledControls(html)).toEqual([en.fieldNewPassword, en.fieldConfirmPassword]);
    expect(html).toContain('name="new_password"');
  });

  it('/reset-password without a token offers a new link', () => {
    const html = render('/reset-password');
    expect(html).toContain(en.linkMissingToken);
    expect(html).toContain('href="/forgot-password"');
  });

  it('/forgot-password and /login show their forms', () => {
    expect(labelledControls(render('/forgot-password'))).toEqual([en.fieldEmail]);
    const login = render('/login');
    expect(labelledControls(login)).toEqual([en.fieldEmail, en.fieldPassword]);
    expect(input(login, 'password')).toMatch(/autocomplete="current-password"/i);
    expect(login).toContain('href="/forgot-password"');
  });

  it('renders in Chinese', () => {
    const html = render('/login', { locale: 'zh-CN' });
    expect(labelledControls(html)).toEqual([zh.fieldEmail, zh.fieldPassword]);
    expect(html).toContain(zh.forgotPasswordLink);
  });

  it('shows a not-found page for unknown paths', () => {
    expect(render('/no/such/page')).toContain(en.notFoundTitle);
  });
});

describe('home page', () => {
  it('offers sign-in when signed out', () => {
    const html = render('/');
    expect(html).toContain(en.signedOutIntro);
    expect(html).toContain('href="/login"');
    // Server status and API docs are for administrators, not the first thing a visitor sees.
    expect(html).not.toContain(en.statusHeading);
    expect(html).not.toContain('/api/docs');
  });

  it('says it is checking while the session is being restored', () => {
    expect(render('/', { auth: { status: 'restoring' } })).toContain(en.sessionRestoring);
  });

  it('does not offer sign-in when signed in (it sends the person to the console)', () => {
    const html = render('/', { auth: { status: 'signed_in', accessToken: 'tok' } });
    expect(html).not.toContain(en.signedOutIntro);
  });
});

describe('console', () => {
  it('sends a signed-out visitor to the sign-in page', async () => {
    // <Navigate> renders nothing on the server; the frame and the screen must not appear.
    const html = await renderComplete('/events', { auth: { status: 'signed_out', reason: 'initial' } });
    expect(html).not.toContain('console-header');
  });

  it('frames the account screen with navigation, language switch and sign-out', async () => {
    const html = await renderComplete('/account', { auth: { status: 'signed_in', accessToken: 'tok' } });
    expect(html).toContain('class="console-header"');
    expect(html).toContain(`>${en.signOut}</button>`);
    expect(html).toContain('aria-label="切换到中文"');
  });

  it('speaks Chinese throughout when the locale is zh-CN', async () => {
    const html = await renderComplete('/account', { locale: 'zh-CN', auth: { status: 'signed_in', accessToken: 'tok' } });
    expect(html).toContain(`>${zh.signOut}</button>`);
    expect(html).toContain('<h1 tabindex="-1">我的账户</h1>');
  });
});

describe('screensFor', () => {
  it('names the code a console address needs, so it can load alongside the session check', async () => {
    const { screensFor } = await import('@/app/App');
    expect(screensFor('/login')).toEqual([]);
    expect(screensFor('/console')).toEqual(['console']);
    expect(screensFor('/events')).toEqual(['console', 'events']);
    expect(screensFor('/events/e1')).toEqual(['console', 'overview']);
    expect(screensFor('/events/e1/imports')).toEqual(['console', 'imports']);
    expect(screensFor('/events/e1/entries')).toEqual(['console', 'entries']);
    expect(screensFor('/events/e1/team/d1')).toEqual(['console', 'team']);
    expect(screensFor('/events/e1/team/d1/experts')).toEqual(['console', 'teamExperts']);
    expect(screensFor('/events/e1/team/d1/selection')).toEqual(['console', 'teamSelection']);
    expect(screensFor('/events/e1/skills/s1/progress')).toEqual(['console', 'chief']);
    expect(screensFor('/events/e1/skills')).toEqual(['console', 'skills']);
    // The tablet app, the public pages and the competitor's results load none of the console.
    expect(screensFor('/mark/s1/entries/e1')).toEqual(['marking']);
    expect(screensFor('/results/e1/medals')).toEqual(['publicResults']);
    expect(screensFor('/board/e1')).toEqual(['board']);
    expect(screensFor('/my-results')).toEqual(['myResults']);
  });

  it('gives the results workflow’s addresses their own screens, not the chief expert’s or the team leader’s others', async () => {
    const { screensFor } = await import('@/app/App');
    expect(screensFor('/events/e1/skills/s1/results')).toEqual(['console', 'skillResults']);
    expect(screensFor('/events/e1/results')).toEqual(['console', 'publication']);
    expect(screensFor('/events/e1/disputes')).toEqual(['console', 'disputes']);
    expect(screensFor('/events/e1/team/d1/results')).toEqual(['console', 'teamResults']);
  });

  it('gives the selection programme its own screens; its public lists load none of the console', async () => {
    const { screensFor } = await import('@/app/App');
    expect(screensFor('/selection')).toEqual(['console', 'programmes']);
    expect(screensFor('/selection/p1')).toEqual(['console', 'programme']);
    expect(screensFor('/selection/entries/e1')).toEqual(['console', 'selectionPath']);
    expect(screensFor('/results/selection/stages/s1')).toEqual(['publicSelection']);
    expect(screensFor('/results/selection/programmes/p1/team')).toEqual(['publicSelection']);
  });
});
