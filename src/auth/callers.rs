//! The callers' users and roles, kept in memory between their requests.
//!
//! Every request with a well-signed token needs its user (still active, session not ended) and
//! roles. On a marking day the same few hundred experts send thousands of requests a minute, and
//! their users and roles hardly ever change, so they are read once and kept, until anything about
//! any user or role assignment changes:
//!
//! - In this process, `repo::users` calls [`changed`] after each statement that changes a user or a
//!   role assignment, and `db::write_tx` calls [`transaction_ended`] after the transaction: the
//!   first drops what is kept, the second drops it again once the change is committed, so a read
//!   made while the change was not yet committed is not kept either (a read is kept only if no
//!   change came between its start and its keeping: [`Callers::keep`]).
//! - On PostgreSQL, other instances change the same database (the command line only adds
//!   accounts, which nobody can have kept): the same
//!   statements send a `NOTIFY` on [`CHANNEL`], delivered at their commit, and the results
//!   listener ([`crate::live::Hub`]) calls [`heard_elsewhere`] for each. While the listener is not
//!   connected notices may be missed, so nothing kept is used then ([`crate::live::Hub::in_touch`]).
//!
//! Dropping everything on every change is coarse but simple: users and roles change at sign-up and
//! set-up, not while marks are entered.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::db::models::{RoleRow, UserRow};
use crate::domain::ids::UserId;
use crate::domain::role::Grants;

/// The PostgreSQL notification channel of changes to users and role assignments.
pub const CHANNEL: &str = "skillmark_grants";

/// At most this many callers are kept; past it, all are dropped and kept again as they come.
const MOST_KEPT: usize = 20_000;

/// Counts changes to users and role assignments in this process (and those heard from others).
static GENERATION: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// Whether this thread's transaction changed a user or role assignment.
    static PENDING: Cell<bool> = const { Cell::new(false) };
}

/// A statement changed a user or a role assignment (called by `repo::users`, after it ran).
pub fn changed() {
    GENERATION.fetch_add(1, Ordering::SeqCst);
    PENDING.with(|p| p.set(true));
}

/// The outermost transaction of this thread ended (committed or rolled back): if it changed a
/// user or a role assignment, what was read while it was open may be out of date.
pub fn transaction_ended() {
    if PENDING.with(|p| p.replace(false)) {
        GENERATION.fetch_add(1, Ordering::SeqCst);
    }
}

/// Another instance changed a user or a role assignment, or this one may have missed such a
/// notice (its listener reconnected).
pub fn heard_elsewhere() {
    GENERATION.fetch_add(1, Ordering::SeqCst);
}

/// Where reads of users and roles start: pass it to [`Callers::keep`].
pub fn generation() -> u64 {
    GENERATION.load(Ordering::SeqCst)
}

/// A caller as read from the database: the user, their role assignments and the grants of those.
#[derive(Debug)]
pub struct Caller {
    pub user: UserRow,
    pub roles: Vec<RoleRow>,
    pub grants: Grants,
}

#[derive(Default)]
struct Kept {
    /// The generation the kept callers were read in.
    generation: u64,
    callers: HashMap<UserId, Arc<Caller>>,
}

/// The callers kept since the last change to users or role assignments.
#[derive(Default)]
pub struct Callers {
    kept: Mutex<Kept>,
}

impl Callers {
    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        // The map stays consistent whatever panicked while it was held.
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The caller kept for `id`, if nothing changed since it was read.
    pub fn get(&self, id: &UserId) -> Option<Arc<Caller>> {
        let now = generation();
        let mut kept = self.kept();
        if kept.generation != now {
            kept.callers.clear();
            kept.generation = now;
            return None;
        }
        kept.callers.get(id).cloned()
    }

    /// Keeps `caller`, read after [`generation`] returned `read_in`, unless something changed
    /// since: then the read may have seen the database before that change was committed.
    pub fn keep(&self, caller: Arc<Caller>, read_in: u64) {
        let mut kept = self.kept();
        if generation() != read_in {
            return;
        }
        if kept.generation != read_in || kept.callers.len() >= MOST_KEPT {
            kept.callers.clear();
            kept.generation = read_in;
        }
        kept.callers.insert(caller.user.id.clone(), caller);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::account::Locale;

    fn caller(id: &UserId) -> Arc<Caller> {
        let at = crate::db::models::now();
        Arc::new(Caller {
            user: UserRow {
                id: id.clone(),
                email: format!("{id}@example.cn"),
                display_name: "专家".into(),
                locale: Locale::ZhCn,
                password_hash: None,
                is_active: true,
                token_version: 0,
                version: 1,
                created_at: at,
                updated_at: at,
            },
            roles: Vec::new(),
            grants: Grants::new(Vec::new()),
        })
    }

    // The generation is shared by the whole process (other tests change users meanwhile), so
    // these tests assert what a change does, never that nothing else changed.

    #[test]
    fn a_caller_read_before_a_change_is_not_kept_after_it() {
        let callers = Callers::default();
        let id = UserId::new();
        let read_in = generation();
        changed();
        transaction_ended();
        callers.keep(caller(&id), read_in);
        assert!(callers.get(&id).is_none(), "read before the change: not kept");
    }

    #[test]
    fn a_read_while_a_change_is_not_committed_is_dropped_when_it_is() {
        let callers = Callers::default();
        let id = UserId::new();
        // The statement ran; its transaction is still open.
        changed();
        let read_in = generation();
        callers.keep(caller(&id), read_in);
        // Kept, unless another test changed something meanwhile; either way the commit drops it.
        transaction_ended();
        assert!(callers.get(&id).is_none(), "the commit drops what was read before it");
    }

    #[test]
    fn a_kept_caller_is_dropped_by_a_change_elsewhere() {
        let callers = Callers::default();
        let id = UserId::new();
        // Retried: another test's change may land between the read and the keeping.
        let kept = (0..100).any(|_| {
            callers.keep(caller(&id), generation());
            callers.get(&id).is_some()
        });
        assert!(kept, "a caller read with no change since is kept");
        heard_elsewhere();
        assert!(callers.get(&id).is_none());
    }
}
