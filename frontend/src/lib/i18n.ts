/**
 * User-interface strings. Every locale must provide every message (enforced
 * by the `Messages` type), so adding a string to one locale without the other
 * is a type error.
 */

export const LOCALES = ['zh-CN', 'en'] as const;

export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'zh-CN';

export interface Messages {
  /** Name of this language, written in this language (for the switch button). */
  languageName: string;
  /** Accessible label for a button that switches *to* this language. */
  switchToThisLanguage: string;
  tagline: string;
  underConstruction: string;
  statusHeading: string;
  statusChecking: string;
  statusReady: string;
  statusNotReady: string;
  statusUnreachable: string;
  statusDetail: string;
  checkAgain: string;
  docsHeading: string;
  docsIntro: string;
  docsLink: string;
}

export const messages: Record<Locale, Messages> = {
  'zh-CN': {
    languageName: '中文',
    switchToThisLanguage: '切换到中文',
    tagline: '技能竞赛赛事管理系统',
    underConstruction:
      '这是面向世界技能大赛类竞赛的赛事管理系统。完整的网页应用正在建设中，目前可以通过服务器 API 使用系统功能。',
    statusHeading: '服务器状态',
    statusChecking: '正在检查服务器……',
    statusReady: '服务器和数据库均已就绪。',
    statusNotReady: '服务器已响应，但尚未就绪（例如数据库不可用）。',
    statusUnreachable: '无法连接到服务器。',
    statusDetail: '详情',
    checkAgain: '重新检查',
    docsHeading: 'API 文档',
    docsIntro: '开发者可以查阅服务器 API 的交互式文档。',
    docsLink: '打开 API 文档',
  },
  en: {
    languageName: 'English',
    switchToThisLanguage: 'Switch to English',
    tagline: 'Skill competition management system',
    underConstruction:
      'This is the management system for WorldSkills-style skill competitions. The full web application is under construction; in the meantime the system can be used through the server API.',
    statusHeading: 'Server status',
    statusChecking: 'Checking the server…',
    statusReady: 'The server and the database are ready.',
    statusNotReady: 'The server answered but is not ready (for example, the database is unavailable).',
    statusUnreachable: 'The server cannot be reached.',
    statusDetail: 'Details',
    checkAgain: 'Check again',
    docsHeading: 'API documentation',
    docsIntro: 'Developers can browse the interactive documentation of the server API.',
    docsLink: 'Open the API documentation',
  },
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The locale to switch to from `locale` (there are exactly two). */
export function otherLocale(locale: Locale): Locale {
  return locale === 'zh-CN' ? 'en' : 'zh-CN';
}

/**
 * Picks the best supported locale for a list of preferred language tags
 * (e.g. `navigator.languages`), falling back to `DEFAULT_LOCALE`.
 */
export function detectLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const primary = tag.trim().toLowerCase().split('-')[0];
    if (primary === 'zh') return 'zh-CN';
    if (primary === 'en') return 'en';
  }
  return DEFAULT_LOCALE;
}
