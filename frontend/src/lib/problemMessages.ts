/**
 * The interface's words for every problem code (`problemText.ts` picks one per code). Part of the
 * `common` strings (`Messages` extends `ProblemMessages`); zh-CN and en each say every one.
 */

import type { Locale } from '@/lib/i18n';

export interface ProblemMessages {
  // Sign-in and the request itself ({seconds}, {minutes}, {status} are filled in)
  problemBadRequest: string;
  problemValidation: string;
  problemInvalidLink: string;
  problemInvalidCredentials: string;
  problemRateLimited: string;
  problemRateLimitedMinutes: string;
  problemRateLimitedNoTime: string;
  problemAlreadySetUp: string;
  problemEmailTaken: string;
  problemSessionExpired: string;
  problemCrossSiteForm: string;
  problemForbidden: string;
  problemNotFound: string;
  problemVersionConflict: string;
  problemAlreadyExists: string;
  problemReferencedRecordMissing: string;
  problemPayloadTooLarge: string;
  problemUnsupportedMediaType: string;
  problemUnreadableFile: string;
  problemFileRejected: string;
  problemNotConfigured: string;
  // Accounts and events
  problemInvitationAccepted: string;
  problemLastAdmin: string;
  problemRoleAlreadyGranted: string;
  problemDemoAlreadyLoaded: string;
  problemInvalidTransition: string;
  problemEventNotConfigurable: string;
  problemSkillNumberTaken: string;
  problemDelegationCodeTaken: string;
  // Registration
  problemRegistrationClosed: string;
  problemMaxEntriesReached: string;
  problemCompetitorAlreadyRegistered: string;
  problemEntryNotOpen: string;
  problemTeamFull: string;
  problemEntryConfirmed: string;
  problemAccountExists: string;
  problemExpertAlreadyRegistered: string;
  problemDrawImpossible: string;
  // Marking
  problemSchemeFrozen: string;
  problemSchemeNotFrozen: string;
  problemGroupNameTaken: string;
  problemNotAnExpert: string;
  problemRecusal: string;
  problemEntryNotCompeting: string;
  problemNotReadyToLock: string;
  problemAlreadyLocked: string;
  problemSubCriterionLocked: string;
  problemNotAnonymous: string;
  problemAlreadyRevealed: string;
  problemMarksNotLocked: string;
  // Results (the lifecycle’s refusals are `domain::lifecycle`’s)
  problemSkillMarked: string;
  problemNotAllLocked: string;
  problemFinalStageExists: string;
  problemAdvancementConfirmed: string;
  problemAdvancementNotConfirmed: string;
  problemAlreadyWithdrawn: string;
  problemResultsRatified: string;
  problemAlreadyRatified: string;
  problemNotRatified: string;
  problemResultsNotPublic: string;
  problemResultsNotPublished: string;
  problemResultsEmbargoed: string;
  problemAudienceNarrowing: string;
  problemNotRevealed: string;
  problemNothingScheduled: string;
  problemCeremonyOutOfOrder: string;
  problemEntryWithoutResults: string;
  problemNoticePeriodOver: string;
  problemAlreadyResolved: string;
  problemNoAwards: string;
  // Before or beside the server’s answer
  problemNetwork: string;
  problemTimeout: string;
  problemAborted: string;
  problemServer: string;
  problemUnexpected: string;
}

export const problemMessages: Record<Locale, ProblemMessages> = {
  'zh-CN': {
    problemBadRequest: '服务器无法理解此请求。请刷新页面后重试。',
    problemValidation: '请更正下方标出的字段。',
    problemInvalidLink: '此链接无效、已过期或已被使用。请重新申请链接。',
    problemInvalidCredentials: '电子邮箱或密码错误。',
    problemRateLimited: '尝试次数过多，请在 {seconds} 秒后重试。',
    problemRateLimitedMinutes: '尝试次数过多，请在 {minutes} 分钟后重试。',
    problemRateLimitedNoTime: '尝试次数过多，请稍后重试。',
    problemAlreadySetUp: 'Skillmark 已经完成初始化，请直接登录。',
    problemEmailTaken: '该电子邮箱已被其他账户使用。',
    problemSessionExpired: '您的登录已过期，请重新登录。',
    problemCrossSiteForm: '登录表单来自其他网站。请打开本网站的登录页面后再登录。',
    problemForbidden: '您的角色无权执行此操作。',
    problemNotFound: '该内容不存在（或已删除），或您无权查看。',
    problemVersionConflict: '此内容已被他人修改。请刷新页面查看最新内容后再修改。',
    problemAlreadyExists: '已存在相同内容的记录。',
    problemReferencedRecordMissing: '所引用的内容已不存在。请刷新后重试。',
    problemPayloadTooLarge: '上传的内容过大。',
    problemUnsupportedMediaType: '此处不接受该类型的文件。',
    problemUnreadableFile: '无法读取该文件。请上传第一行为列标题的 CSV 或 Excel（.xlsx）文件。',
    problemFileRejected: '文件有问题（见下方列表），未保存任何内容。',
    problemNotConfigured: '本服务器未配置此功能。',

    problemInvitationAccepted: '该用户已接受邀请；如忘记密码，可以重置密码。',
    problemLastAdmin: '不能停用最后一位有效的系统管理员，也不能撤销其管理员角色。',
    problemRoleAlreadyGranted: '该用户在此范围内已拥有此角色。',
    problemDemoAlreadyLoaded: '此数据库中已有演示赛事。',
    problemInvalidTransition: '当前状态下不能进行此状态变更。',
    problemEventNotConfigurable: '赛事当前状态下不能再修改项目和代表队。',
    problemSkillNumberTaken: '本赛事已有使用该编号的项目。',
    problemDelegationCodeTaken: '本赛事已有使用该代码的代表队。',

    problemRegistrationClosed: '报名已截止；如需修改，请联系组委会。',
    problemMaxEntriesReached: '该代表队在本项目的报名数已达上限。',
    problemCompetitorAlreadyRegistered: '本赛事已有使用该证件号码的选手（每位选手只能参加一个项目）。',
    problemEntryNotOpen: '只能向“已报名”状态的报名添加选手。',
    problemTeamFull: '该报名的队员已满。',
    problemEntryConfirmed: '请先将报名改回“已报名”状态，再修改队员。',
    problemAccountExists: '该选手已有账户。',
    problemExpertAlreadyRegistered: '此人已是本赛事的裁判员（每位裁判员只参加一个项目）。',
    problemDrawImpossible: '无法为这些报名抽取工位（工位数是否不足？）。',

    problemSchemeFrozen: '评分标准已冻结，不能再修改。',
    problemSchemeNotFrozen: '评分标准冻结后才能开始评分。',
    problemGroupNameTaken: '本项目已有同名的评分小组。',
    problemNotAnExpert: '只有本项目的裁判员才能评分。',
    problemRecusal: '裁判员不为本代表队的报名评分（回避）。',
    problemEntryNotCompeting: '该报名未确认，不参与评分。',
    problemNotReadyToLock: '尚未评完，或裁判评分超出分差：请先完成评分或重新评分。',
    problemAlreadyLocked: '已经锁定。',
    problemSubCriterionLocked: '该报名的此子模块已锁定：须先说明原因解锁。',
    problemNotAnonymous: '本项目未采用加密评分。',
    problemAlreadyRevealed: '本项目的报名已经解密。',
    problemMarksNotLocked: '所有评分锁定后才能解密报名。',

    problemSkillMarked: '该项目已开始评分：评判方式（3 或 5 名裁判）、最大分差、加密评分、每队人数和评分标准都不能再修改。',
    problemNotAllLocked: '无法确认成绩：并非每个报名的所有评分都已锁定。',
    problemFinalStageExists: '该选拔计划的最终阶段已存在，其后不能再添加阶段。',
    problemAdvancementConfirmed: '该项目本阶段的晋级名单已确认，不能再更改。',
    problemAdvancementNotConfirmed: '该项目本阶段的晋级名单尚未确认，请先确认。',
    problemAlreadyWithdrawn: '该选手已退出集训队。',
    problemResultsRatified: '该项目成绩已确认：只能经申诉修改——组委会支持申诉后项目重新开放（说明理由解锁、重新评分、重新确认、重新发布）。',
    problemAlreadyRatified: '成绩已经确认。',
    problemNotRatified: '成绩尚未确认：须先由裁判长确认。',
    problemResultsNotPublic: '颁奖只揭晓已向公众发布的成绩：请先向公众发布。',
    problemResultsNotPublished: '成绩尚未发布。',
    problemResultsEmbargoed: '成绩发布前仅组委会和本项目裁判长可见。',
    problemAudienceNarrowing: '成绩已向更大范围发布；发布范围不能缩小。',
    problemNotRevealed: '本项目采用加密评分：须先解密报名。',
    problemNothingScheduled: '本项目没有已计划的发布。',
    problemCeremonyOutOfOrder: '奖牌须依次揭晓（铜、银、金）；有人刚刚揭晓了一枚。请刷新。',
    problemEntryWithoutResults: '该报名尚无成绩。',
    problemNoticePeriodOver: '公示期已结束：成绩为最终成绩，不能再申诉。',
    problemAlreadyResolved: '该申诉已经处理。',
    problemNoAwards: '已确认的成绩中没有可打印证书的奖项。',

    problemNetwork: '无法连接到服务器。请检查网络连接后重试。',
    problemTimeout: '服务器响应超时，请重试。',
    problemAborted: '请求已取消。',
    problemServer: '服务器出现问题（HTTP {status}），请稍后重试。',
    problemUnexpected: '服务器返回了无法识别的响应，请稍后重试。',
  },
  en: {
    problemBadRequest: 'The server did not understand the request. Reload the page and try again.',
    problemValidation: 'Please correct the fields marked below.',
    problemInvalidLink: 'This link is invalid, has expired or has already been used. Please ask for a new one.',
    problemInvalidCredentials: 'The email address or password is wrong.',
    problemRateLimited: 'Too many attempts. Please try again in {seconds} seconds.',
    problemRateLimitedMinutes: 'Too many attempts. Please try again in {minutes} minutes.',
    problemRateLimitedNoTime: 'Too many attempts. Please wait a while and try again.',
    problemAlreadySetUp: 'Skillmark has already been set up. Please sign in instead.',
    problemEmailTaken: 'This email address is already used by another account.',
    problemSessionExpired: 'Your session has expired. Please sign in again.',
    problemCrossSiteForm:
      'The sign-in form was sent from another site. Open this site’s own sign-in page and sign in there.',
    problemForbidden: 'Your roles do not allow this action.',
    problemNotFound: 'This does not exist (any more), or you may not see it.',
    problemVersionConflict:
      'Someone else changed this meanwhile. Reload to see the current state, then make your change again.',
    problemAlreadyExists: 'A record with these values exists already.',
    problemReferencedRecordMissing: 'Something this refers to no longer exists. Reload and try again.',
    problemPayloadTooLarge: 'The upload is too large.',
    problemUnsupportedMediaType: 'This kind of file is not accepted here.',
    problemUnreadableFile:
      'The file could not be read. Upload a CSV or Excel (.xlsx) file whose first row holds the column headings.',
    problemFileRejected: 'The file has problems (listed below); nothing was saved.',
    problemNotConfigured: 'This is not set up on this server.',

    problemInvitationAccepted: 'This user has accepted the invitation already; they can reset their password instead.',
    problemLastAdmin: 'The last active administrator cannot be deactivated or lose the administrator role.',
    problemRoleAlreadyGranted: 'The user holds this role here already.',
    problemDemoAlreadyLoaded: 'This database holds the demo event already.',
    problemInvalidTransition: 'This status change is not possible from the current status.',
    problemEventNotConfigurable: 'Skills and delegations can no longer change in the event’s current status.',
    problemSkillNumberTaken: 'Another skill of this event has this number.',
    problemDelegationCodeTaken: 'Another delegation of this event has this code.',

    problemRegistrationClosed: 'Registration is closed; ask the organisers for changes.',
    problemMaxEntriesReached: 'The delegation has as many entries in this skill as the skill allows.',
    problemCompetitorAlreadyRegistered:
      'A competitor with this ID number is registered in this event already (one skill per competitor).',
    problemEntryNotOpen: 'Competitors are added to a registered entry only.',
    problemTeamFull: 'This entry’s team is full.',
    problemEntryConfirmed: 'Set the entry back to registered before changing its team.',
    problemAccountExists: 'This competitor has an account already.',
    problemExpertAlreadyRegistered: 'This person is an expert in this event already (one skill per expert).',
    problemDrawImpossible: 'The workstations cannot be drawn for these entries (too few workstations?).',

    problemSchemeFrozen: 'The marking scheme is frozen and can no longer change.',
    problemSchemeNotFrozen: 'Marking starts once the marking scheme is frozen.',
    problemGroupNameTaken: 'A marking group of this skill has this name already.',
    problemNotAnExpert: 'Only the skill’s experts enter marks.',
    problemRecusal: 'Experts never mark entries of their own delegation (recusal).',
    problemEntryNotCompeting: 'This entry is not confirmed, so it is not marked.',
    problemNotReadyToLock:
      'Not every judge has marked yet, or the judges’ scores are too far apart: finish or re-score first.',
    problemAlreadyLocked: 'This is locked already.',
    problemSubCriterionLocked: 'This sub-criterion is locked for this entry: unlock it (with a reason) first.',
    problemNotAnonymous: 'This skill is not marked anonymously.',
    problemAlreadyRevealed: 'The skill’s entries are revealed already.',
    problemMarksNotLocked: 'The entries are revealed only after every mark is locked.',

    problemSkillMarked:
      'The skill has marks: its judgement mode (3 or 5 judges), max spread, anonymity, team size and marking scheme are fixed.',
    problemNotAllLocked: 'The results cannot be ratified: not every mark of every entry is locked.',
    problemFinalStageExists: 'The programme has its final stage already; no stage can follow it.',
    problemAdvancementConfirmed: 'Who advances from this stage in this skill is confirmed already and cannot change.',
    problemAdvancementNotConfirmed: 'Who advances from this stage in this skill is not confirmed yet: confirm it first.',
    problemAlreadyWithdrawn: 'The competitor has withdrawn from the squad already.',
    problemResultsRatified:
      'The skill’s results are ratified: they change only through a dispute the organisers uphold, which reopens the skill (unlock with a reason, re-mark, re-ratify, release again).',
    problemAlreadyRatified: 'The results are ratified already.',
    problemNotRatified: 'The results are not ratified: the chief expert ratifies them first.',
    problemResultsNotPublic:
      'The ceremony reveals only results released to the public: release them to the public first.',
    problemResultsNotPublished: 'Results are not yet published.',
    problemResultsEmbargoed: 'These results are for organisers and the skill’s chief experts until they are published.',
    problemAudienceNarrowing: 'These results are shown to a wider audience already; a release cannot narrow it.',
    problemNotRevealed: 'The skill is marked anonymously: reveal its entries first.',
    problemNothingScheduled: 'No release of this skill is scheduled.',
    problemCeremonyOutOfOrder:
      'The medals are revealed in turn (bronze, silver, gold); someone revealed one meanwhile. Reload.',
    problemEntryWithoutResults: 'This entry has no results yet.',
    problemNoticePeriodOver: 'The notice period is over: the result is final and can no longer be disputed.',
    problemAlreadyResolved: 'The dispute was resolved already.',
    problemNoAwards: 'The ratified results hold no award to print a certificate for.',

    problemNetwork: 'The server cannot be reached. Check your connection and try again.',
    problemTimeout: 'The server took too long to answer. Please try again.',
    problemAborted: 'The request was cancelled.',
    problemServer: 'The server had a problem (HTTP {status}). Please try again shortly.',
    problemUnexpected: 'The server sent an answer that could not be understood. Please try again later.',
  },
};
