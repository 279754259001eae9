//! The background worker of each instance: every second it checkpoints SQLite's write-ahead log
//! (`db::Checkpoints::InBackground`), applies scheduled result releases and sends queued mails,
//! retrying failures with a doubling delay until the configured number of attempts, after which
//! the mail is marked failed for the organiser to see. Several instances
//! may run it at once: releases and mails are claimed with conditional updates.

use std::time::Duration;

use chrono::TimeDelta;

use crate::db::models::now;
use crate::domain::mail::MailStatus;
use crate::mail::Mail;
use crate::repo;
use crate::state::AppState;

/// How many queued mails one tick sends at most.
const MAIL_BATCH: i64 = 50;

pub fn spawn(state: AppState) {
    actix_web::rt::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            checkpoint(&state).await;
            release_due(&state).await;
            send_mail(&state).await;
        }
    });
}

/// Copies SQLite's log back into the database file here, off the writers' path.
async fn checkpoint(state: &AppState) {
    if state.settings.database.engine != crate::db::Engine::Sqlite {
        return;
    }
    if let Err(e) = state.db(|conn| Ok(crate::db::checkpoint(conn)?)).await {
        tracing::debug!(error = %e, "no checkpoint this time");
    }
}

async fn release_due(state: &AppState) {
    let url = state.settings.public_url.clone();
    match state.db(move |conn| crate::service::results::apply_due(conn, &url)).await {
        Ok(changes) => crate::live::announce(&state.pool, &state.hub, changes).await,
        Err(e) => tracing::debug!(error = %e, "scheduled releases not applied this time"),
    }
}

async fn send_mail(state: &AppState) {
    // Claim due mails for ten minutes so another instance does not send them too.
    let claimed = state
        .db(|conn| {
            let at = now();
            let until = at + TimeDelta::minutes(10);
            let mut mine = Vec::new();
            for mut row in repo::results::due_mail(conn, at, MAIL_BATCH)? {
                if repo::results::claim_mail(conn, &row.id, row.next_attempt_at, until)? {
                    row.next_attempt_at = until;
                    mine.push(row);
                }
            }
            Ok(mine)
        })
        .await;
    let claimed = match claimed {
        Ok(rows) => rows,
        Err(e) => {
            tracing::debug!(error = %e, "mail queue not read this time");
            return;
        }
    };
    for mut row in claimed {
        let mail = Mail { to: row.recipient.clone(), subject: row.subject.clone(), body: row.body.clone(), link: None };
        let outcome = state.mailer.send(&mail).await;
        row.attempts += 1;
        match outcome {
            Ok(()) => {
                row.status = MailStatus::Sent;
                row.sent_at = Some(state.clock.now());
                row.last_error = None;
            }
            Err(e) => {
                let error = format!("{e:#}");
                tracing::warn!(to = %row.recipient, attempts = row.attempts, error = %error, "mail not delivered");
                row.last_error = Some(error);
                if row.attempts >= state.settings.mail_max_attempts {
                    row.status = MailStatus::Failed;
                } else {
                    let delay = state.settings.mail_retry_secs.saturating_mul(1 << (row.attempts - 1).min(16));
                    row.next_attempt_at = state.clock.now() + TimeDelta::seconds(delay);
                }
            }
        }
        if let Err(e) = state.db(move |conn| Ok(repo::results::update_mail(conn, &row)?)).await {
            tracing::warn!(error = %e, "mail outcome not recorded; it will be retried after its claim expires");
        }
    }
}
