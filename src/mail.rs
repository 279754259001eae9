//! Outgoing mail through lettre: SMTP when `SMTP_URL` is set; otherwise every message is written
//! as an `.eml` file under the mail directory and its link logged, so a development setup can
//! still follow invitation and reset links.

use std::path::PathBuf;

use anyhow::Context;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::domain::account::Locale;

pub enum Mailer {
    Smtp { transport: AsyncSmtpTransport<Tokio1Executor>, from: Mailbox },
    File { transport: AsyncFileTransport<Tokio1Executor>, dir: PathBuf, from: Mailbox },
}

/// A message ready to send.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The link the mail carries, logged when mail goes to files.
    pub link: Option<String>,
}

impl Mailer {
    pub fn new(smtp_url: Option<&str>, from: &str, dir: PathBuf) -> anyhow::Result<Self> {
        let from: Mailbox = from.parse().with_context(|| format!("SKILLMARK_MAIL_FROM is not a mailbox: {from:?}"))?;
        match smtp_url {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .context("SMTP_URL is not a valid smtp:// or smtps:// URL")?
                    .timeout(Some(std::time::Duration::from_secs(15)))
                    .build();
                Ok(Mailer::Smtp { transport, from })
            }
            None => {
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("cannot create mail directory {}", dir.display()))?;
                Ok(Mailer::File { transport: AsyncFileTransport::new(&dir), dir, from })
            }
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Mailer::Smtp { .. } => "SMTP".into(),
            Mailer::File { dir, .. } => format!("files in {}", dir.display()),
        }
    }

    pub async fn send(&self, mail: &Mail) -> anyhow::Result<()> {
        let from = match self {
            Mailer::Smtp { from, .. } | Mailer::File { from, .. } => from.clone(),
        };
        let to: Mailbox = mail.to.parse().context("recipient is not a mailbox")?;
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(&mail.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())?;
        match self {
            Mailer::Smtp { transport, .. } => {
                transport.send(message).await.context("SMTP delivery failed")?;
            }
            Mailer::File { transport, dir, .. } => {
                let id = transport.send(message).await.context("writing mail file failed")?;
                tracing::info!(to = %mail.to, subject = %mail.subject, link = mail.link.as_deref().unwrap_or(""),
                    file = %dir.join(format!("{id}.eml")).display(), "mail written to file (no SMTP_URL set)");
            }
        }
        Ok(())
    }
}

/// The texts of the mails the system sends, in the recipient's language.
pub mod templates {
    use super::*;

    pub fn password_reset(locale: Locale, to: &str, name: &str, link: &str, hours: i64) -> Mail {
        let (subject, body) = match locale {
            Locale::ZhCn => (
                "Skillmark 密码重置".to_string(),
                format!("{name}，您好：\n\n请打开以下链接设置新密码（{hours} 小时内有效，仅可使用一次）：\n{link}\n\n如果这不是您本人的操作，请忽略本邮件，您的密码不会改变。\n"),
            ),
            Locale::En => (
                "Reset your Skillmark password".to_string(),
                format!("Hello {name},\n\nOpen this link to choose a new password (valid for {hours} hours, once):\n{link}\n\nIf you did not ask for this, ignore this mail; your password stays as it is.\n"),
            ),
        };
        Mail { to: to.into(), subject, body, link: Some(link.into()) }
    }

    pub fn invitation(locale: Locale, to: &str, name: &str, link: &str, days: i64) -> Mail {
        let (subject, body) = match locale {
            Locale::ZhCn => (
                "邀请您使用 Skillmark 竞赛管理系统".to_string(),
                format!("{name}，您好：\n\n您已被邀请使用 Skillmark 竞赛管理系统。请打开以下链接设置密码并激活账号（{days} 天内有效）：\n{link}\n"),
            ),
            Locale::En => (
                "You are invited to Skillmark".to_string(),
                format!("Hello {name},\n\nYou have been invited to Skillmark, the competition management system. Open this link to choose your password and activate your account (valid for {days} days):\n{link}\n"),
            ),
        };
        Mail { to: to.into(), subject, body, link: Some(link.into()) }
    }

    /// One entry's result as a mail states it.
    #[derive(Debug, Clone)]
    pub struct ResultLineText {
        pub rank: usize,
        pub score: i32,
        pub award: Option<crate::domain::results::Award>,
        /// The competitor(s).
        pub who: String,
    }

    fn award_text(locale: Locale, award: Option<crate::domain::results::Award>) -> &'static str {
        use crate::domain::results::Award::*;
        match (locale, award) {
            (Locale::ZhCn, Some(Gold)) => "金牌",
            (Locale::ZhCn, Some(Silver)) => "银牌",
            (Locale::ZhCn, Some(Bronze)) => "铜牌",
            (Locale::ZhCn, Some(MedallionForExcellence)) => "优胜奖章（Medallion for Excellence）",
            (Locale::ZhCn, Some(ExcellenceAward)) => "优胜奖",
            (Locale::ZhCn, None) => "—",
            (Locale::En, Some(Gold)) => "Gold medal",
            (Locale::En, Some(Silver)) => "Silver medal",
            (Locale::En, Some(Bronze)) => "Bronze medal",
            (Locale::En, Some(MedallionForExcellence)) => "Medallion for Excellence",
            (Locale::En, Some(ExcellenceAward)) => "Excellence award",
            (Locale::En, None) => "-",
        }
    }

    fn line_text(locale: Locale, l: &ResultLineText) -> String {
        match locale {
            Locale::ZhCn => {
                format!("{}：第 {} 名，标准分 {}，奖项 {}", l.who, l.rank, l.score, award_text(locale, l.award))
            }
            Locale::En => {
                format!("{}: rank {}, score {}, award {}", l.who, l.rank, l.score, award_text(locale, l.award))
            }
        }
    }

    pub fn result_competitor(
        locale: Locale,
        to: &str,
        name: &str,
        skill: &str,
        line: &ResultLineText,
        link: &str,
    ) -> Mail {
        let text = line_text(locale, line);
        let (subject, body) = match locale {
            Locale::ZhCn => (
                format!("成绩已公布：{skill}"),
                format!("{name}，您好：\n\n{skill} 的成绩已公布。\n{text}\n\n查看成绩和各模块得分：\n{link}\n\n公示期内如有异议，请联系您的领队。\n"),
            ),
            Locale::En => (
                format!("Results published: {skill}"),
                format!("Hello {name},\n\nThe results of {skill} are published.\n{text}\n\nSee your result and its breakdown:\n{link}\n\nDuring the notice period your team leader can raise a dispute.\n"),
            ),
        };
        Mail { to: to.into(), subject, body, link: Some(link.into()) }
    }

    pub fn result_team_leader(
        locale: Locale,
        to: &str,
        name: &str,
        skill: &str,
        lines: &[ResultLineText],
        link: &str,
    ) -> Mail {
        let text: Vec<String> = lines.iter().map(|l| line_text(locale, l)).collect();
        let text = text.join("\n");
        let (subject, body) = match locale {
            Locale::ZhCn => (
                format!("成绩已公布：{skill}"),
                format!("{name}，您好：\n\n{skill} 的成绩已公布，贵代表队的成绩：\n{text}\n\n查看成绩：\n{link}\n\n如有异议，请在公示期内提出。\n"),
            ),
            Locale::En => (
                format!("Results published: {skill}"),
                format!("Hello {name},\n\nThe results of {skill} are published. Your delegation:\n{text}\n\nSee the results:\n{link}\n\nDisputes can be filed during the notice period.\n"),
            ),
        };
        Mail { to: to.into(), subject, body, link: Some(link.into()) }
    }
}
