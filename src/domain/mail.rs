//! The mail queue's states and kinds (the queue itself is `repo::results` and `worker`).

text_enum! {
    /// Where a queued mail is: pending until sent, failed after its last attempt.
    pub enum MailStatus {
        Pending,
        Sent,
        Failed,
    }
}

text_enum! {
    /// What a queued mail is about.
    pub enum MailKind {
        /// A competitor's or team leader's results, once released to them.
        Result,
    }
}
