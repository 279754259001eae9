/**
 * User-interface strings. Every locale must provide every message (enforced
 * by the `Messages` type), so adding a string to one locale without the other
 * is a type error.
 */

import { problemMessages, type ProblemMessages } from '@/lib/problemMessages';

export const LOCALES = ['zh-CN', 'en'] as const;

export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'zh-CN';

export interface Messages extends ProblemMessages {
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
  homeEventsHeading: string;
  homeNoEvents: string;
  homeLiveBoard: string;
  homeConsole: string;
  docsIntro: string;
  docsLink: string;

  // Layout and navigation
  skipToContent: string;
  /** A lazily loaded screen on its way. */
  loading: string;
  mainNavigation: string;
  pageTitleSuffix: string;
  signIn: string;
  signOut: string;
  signingOut: string;
  backToSignIn: string;
  goHome: string;

  // Home and the signed-in account
  sessionRestoring: string;
  signedOutHeading: string;
  signedOutIntro: string;
  signedOutNotice: string;
  sessionExpiredNotice: string;
  accountHeading: string;
  accountLoading: string;
  accountLoadFailed: string;
  tryAgain: string;
  accountRoles: string;
  accountNoRoles: string;
  roleScope: string;
  roleDelegation: string;
  roleAdmin: string;
  roleOrganiser: string;
  roleChiefExpert: string;
  roleExpert: string;
  roleTeamLeader: string;
  roleCompetitor: string;

  // Form fields
  fieldEmail: string;
  fieldDisplayName: string;
  fieldPassword: string;
  fieldNewPassword: string;
  fieldConfirmPassword: string;
  fieldLanguage: string;
  fieldOptional: string;
  passwordHint: string;
  languageHint: string;
  acceptDisplayNameHint: string;

  // Client-side field errors ({min}, {max}, {nameMax} are filled in)
  errorRequired: string;
  errorEmailInvalid: string;
  errorEmailTooLong: string;
  errorNameTooLong: string;
  errorNameControlCharacters: string;
  errorPasswordTooShort: string;
  errorPasswordTooLong: string;
  errorPasswordOneCharacter: string;
  errorPasswordControlCharacters: string;
  errorPasswordTooCommon: string;
  errorConfirmRequired: string;
  errorConfirmMismatch: string;


  // Pages
  loginTitle: string;
  loginSubmit: string;
  loginSubmitting: string;
  forgotPasswordLink: string;
  setupTitle: string;
  setupIntro: string;
  setupSubmit: string;
  setupSubmitting: string;
  acceptTitle: string;
  acceptIntro: string;
  acceptSubmit: string;
  acceptSubmitting: string;
  resetTitle: string;
  resetIntro: string;
  resetSubmit: string;
  resetSubmitting: string;
  resetDone: string;
  forgotTitle: string;
  forgotIntro: string;
  forgotSubmit: string;
  forgotSubmitting: string;
  forgotDone: string;
  linkMissingToken: string;
  requestNewLink: string;
  notFoundTitle: string;
  notFoundText: string;
}

export type MessageKey = keyof Messages;

export const messages: Record<Locale, Messages> = {
  'zh-CN': {
    ...problemMessages['zh-CN'],
    languageName: '中文',
    switchToThisLanguage: '切换到中文',
    tagline: '技能竞赛赛事管理系统',
    underConstruction:
      '这是面向世界技能大赛类竞赛的赛事管理系统：组委会配置赛事和报名，领队为代表队报名，裁判长管理评分。请登录后使用。',
    statusHeading: '服务器状态',
    statusChecking: '正在检查服务器……',
    statusReady: '服务器和数据库均已就绪。',
    statusNotReady: '服务器已响应，但尚未就绪（例如数据库不可用）。',
    statusUnreachable: '无法连接到服务器。',
    statusDetail: '详情',
    checkAgain: '重新检查',
    docsHeading: 'API 文档',
    homeEventsHeading: '成绩与现场大屏',
    homeNoEvents: '尚未公布任何成绩。',
    homeLiveBoard: '实时成绩屏',
    homeConsole: '进入工作台',
    docsIntro: '开发者可以查阅服务器 API 的交互式文档。',
    docsLink: '打开 API 文档',

    skipToContent: '跳到主要内容',
    loading: '正在加载……',
    mainNavigation: '主导航',
    pageTitleSuffix: 'Skillmark',
    signIn: '登录',
    signOut: '退出登录',
    signingOut: '正在退出……',
    backToSignIn: '返回登录',
    goHome: '返回首页',

    sessionRestoring: '正在检查登录状态……',
    signedOutHeading: '登录',
    signedOutIntro: '登录后即可使用 Skillmark。',
    signedOutNotice: '您已退出登录。',
    sessionExpiredNotice: '您的登录已过期，请重新登录。',
    accountHeading: '我的账户',
    accountLoading: '正在加载账户信息……',
    accountLoadFailed: '无法加载账户信息。',
    tryAgain: '重试',
    accountRoles: '角色',
    accountNoRoles: '暂未分配角色。',
    roleScope: '范围',
    roleDelegation: '代表队',
    roleAdmin: '系统管理员',
    roleOrganiser: '赛事组织者',
    roleChiefExpert: '首席专家',
    roleExpert: '专家',
    roleTeamLeader: '领队',
    roleCompetitor: '选手',

    fieldEmail: '电子邮箱',
    fieldDisplayName: '显示名称',
    fieldPassword: '密码',
    fieldNewPassword: '新密码',
    fieldConfirmPassword: '确认密码',
    fieldLanguage: '语言',
    fieldOptional: '（选填）',
    passwordHint: '{min}–{max} 个字符，不能是常见密码或容易猜到的组合。',
    languageHint: '系统邮件和界面默认使用的语言。',
    acceptDisplayNameHint: '仅当邀请邮件中的姓名需要更正时填写。',

    errorRequired: '此项为必填项。',
    errorEmailInvalid: '请输入有效的电子邮箱地址，例如 name@example.com。',
    errorEmailTooLong: '电子邮箱地址过长。',
    errorNameTooLong: '显示名称最多 {nameMax} 个字符。',
    errorNameControlCharacters: '显示名称不能包含控制字符。',
    errorPasswordTooShort: '密码至少需要 {min} 个字符。',
    errorPasswordTooLong: '密码最多 {max} 个字符。',
    errorPasswordOneCharacter: '密码不能只由同一个字符重复组成。',
    errorPasswordControlCharacters: '密码不能包含控制字符（如制表符、换行符）。',
    errorPasswordTooCommon: '这个密码太常见或太容易猜到，请换用由几个不相关的词组成的较长短语。',
    errorConfirmRequired: '请再次输入密码。',
    errorConfirmMismatch: '两次输入的密码不一致。',


    loginTitle: '登录',
    loginSubmit: '登录',
    loginSubmitting: '正在登录……',
    forgotPasswordLink: '忘记密码？',
    setupTitle: '初始化 Skillmark',
    setupIntro: '创建第一个系统管理员账户。此链接只能使用一次。',
    setupSubmit: '创建管理员',
    setupSubmitting: '正在创建……',
    acceptTitle: '接受邀请',
    acceptIntro: '设置密码以激活您的账户。',
    acceptSubmit: '激活账户',
    acceptSubmitting: '正在激活……',
    resetTitle: '设置新密码',
    resetIntro: '修改后，您在所有设备上的登录都会结束，之后请使用新密码登录。',
    resetSubmit: '保存新密码',
    resetSubmitting: '正在保存……',
    resetDone: '密码已修改。现在可以使用新密码登录了。',
    forgotTitle: '重置密码',
    forgotIntro: '请输入账户的电子邮箱地址，我们会发送一个用于设置新密码的链接。',
    forgotSubmit: '发送链接',
    forgotSubmitting: '正在发送……',
    forgotDone: '如果该地址对应一个账户，重置链接已在发送途中。请查收邮件（也请检查垃圾邮件文件夹）。',
    linkMissingToken: '此链接不完整：缺少令牌。请重新打开邮件中的链接，或将完整地址复制到浏览器中。',
    requestNewLink: '申请新链接',
    notFoundTitle: '页面不存在',
    notFoundText: '此地址没有对应的页面。',
  },
  en: {
    ...problemMessages.en,
    languageName: 'English',
    switchToThisLanguage: 'Switch to English',
    tagline: 'Skill competition management system',
    underConstruction:
      'The management system for WorldSkills-style skill competitions: organisers set up events and registration, team leaders register their delegations, chief experts run the marking. Sign in to start.',
    statusHeading: 'Server status',
    statusChecking: 'Checking the server…',
    statusReady: 'The server and the database are ready.',
    statusNotReady: 'The server answered but is not ready (for example, the database is unavailable).',
    statusUnreachable: 'The server cannot be reached.',
    statusDetail: 'Details',
    checkAgain: 'Check again',
    docsHeading: 'API documentation',
    homeEventsHeading: 'Results and live boards',
    homeNoEvents: 'No results have been published yet.',
    homeLiveBoard: 'Live board',
    homeConsole: 'Open the console',
    docsIntro: 'Developers can browse the interactive documentation of the server API.',
    docsLink: 'Open the API documentation',

    skipToContent: 'Skip to main content',
    loading: 'Loading…',
    mainNavigation: 'Main navigation',
    pageTitleSuffix: 'Skillmark',
    signIn: 'Sign in',
    signOut: 'Sign out',
    signingOut: 'Signing out…',
    backToSignIn: 'Back to sign in',
    goHome: 'Go to the home page',

    sessionRestoring: 'Checking whether you are signed in…',
    signedOutHeading: 'Sign in',
    signedOutIntro: 'Sign in to use Skillmark.',
    signedOutNotice: 'You have signed out.',
    sessionExpiredNotice: 'Your session has expired. Please sign in again.',
    accountHeading: 'Your account',
    accountLoading: 'Loading your account…',
    accountLoadFailed: 'Your account could not be loaded.',
    tryAgain: 'Try again',
    accountRoles: 'Roles',
    accountNoRoles: 'No roles assigned yet.',
    roleScope: 'Scope',
    roleDelegation: 'Delegation',
    roleAdmin: 'Administrator',
    roleOrganiser: 'Organiser',
    roleChiefExpert: 'Chief expert',
    roleExpert: 'Expert',
    roleTeamLeader: 'Team leader',
    roleCompetitor: 'Competitor',

    fieldEmail: 'Email address',
    fieldDisplayName: 'Display name',
    fieldPassword: 'Password',
    fieldNewPassword: 'New password',
    fieldConfirmPassword: 'Confirm password',
    fieldLanguage: 'Language',
    fieldOptional: '(optional)',
    passwordHint: '{min} to {max} characters, not a common password or an easy pattern.',
    languageHint: 'Used for system emails and as the default interface language.',
    acceptDisplayNameHint: 'Fill in only if the name in your invitation needs correcting.',

    errorRequired: 'This field is required.',
    errorEmailInvalid: 'Enter a valid email address, such as name@example.com.',
    errorEmailTooLong: 'The email address is too long.',
    errorNameTooLong: 'The display name can have at most {nameMax} characters.',
    errorNameControlCharacters: 'The display name must not contain control characters.',
    errorPasswordTooShort: 'The password needs at least {min} characters.',
    errorPasswordTooLong: 'The password can have at most {max} characters.',
    errorPasswordOneCharacter: 'The password must not be just one character repeated.',
    errorPasswordControlCharacters: 'The password must not contain control characters (such as tabs or line breaks).',
    errorPasswordTooCommon: 'This password is too common or too easy to guess; use a longer phrase of unrelated words.',
    errorConfirmRequired: 'Enter the password again.',
    errorConfirmMismatch: 'The passwords do not match.',


    loginTitle: 'Sign in',
    loginSubmit: 'Sign in',
    loginSubmitting: 'Signing in…',
    forgotPasswordLink: 'Forgot your password?',
    setupTitle: 'Set up Skillmark',
    setupIntro: 'Create the first administrator account. This link works only once.',
    setupSubmit: 'Create administrator',
    setupSubmitting: 'Creating…',
    acceptTitle: 'Accept your invitation',
    acceptIntro: 'Choose a password to activate your account.',
    acceptSubmit: 'Activate account',
    acceptSubmitting: 'Activating…',
    resetTitle: 'Choose a new password',
    resetIntro: 'After the change you are signed out on every device; then sign in with the new password.',
    resetSubmit: 'Save new password',
    resetSubmitting: 'Saving…',
    resetDone: 'Your password has been changed. You can now sign in with it.',
    forgotTitle: 'Reset your password',
    forgotIntro: "Enter your account's email address and we will send you a link to choose a new password.",
    forgotSubmit: 'Send link',
    forgotSubmitting: 'Sending…',
    forgotDone: 'If the address has an account, a link is on its way. Please check your inbox (and your spam folder).',
    linkMissingToken: 'This link is incomplete: it has no token. Open the link from your email again, or copy the whole address into the browser.',
    requestNewLink: 'Request a new link',
    notFoundTitle: 'Page not found',
    notFoundText: 'There is no page at this address.',
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

/**
 * Fills `{name}` placeholders in a message. Placeholders without a value are
 * left as they are, so a missing value is visible rather than silently empty.
 */
export function format(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
    const value = values[name];
    return value === undefined ? placeholder : String(value);
  });
}
