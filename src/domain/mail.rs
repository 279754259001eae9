//! The mail queue's states and kinds (the queue itself is `repo::results` and `worker`).

/// Where a queued mail is: pending until sent, failed after its last attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::Display, strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum MailStatus {
    Pending,
    Sent,
    Failed,
}

/// What a queued mail is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::Display, strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum MailKind {
    /// A competitor's or team leader's results, once released to them.
    Result,
}
