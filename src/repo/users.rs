//! Users and their role assignments.

use diesel::prelude::*;

use super::{lower, Page, PageRequest};
use crate::db::models::{now, RoleRow, UserRow};
use crate::db::schema::{role_assignments, users};
use crate::db::DbConn;
use crate::domain::ids::{DelegationId, RoleAssignmentId, UserId};
use crate::domain::role::Role;

/// A new user (no caller kept in memory can be them: nothing to tell).
pub fn insert(conn: &mut DbConn, row: &UserRow) -> QueryResult<()> {
    diesel::insert_into(users::table).values(row).execute(conn).map(|_| ())
}

/// Tells the callers kept in memory, here and (on PostgreSQL, at commit) in every instance, that
/// a user or role assignment changed ([`crate::auth::callers`]). Every statement here that
/// changes one calls it after it ran.
fn grants_changed(conn: &mut DbConn) -> QueryResult<()> {
    if let DbConn::Pg(c) = conn {
        diesel::sql_query(format!("NOTIFY {}", crate::auth::callers::CHANNEL)).execute(c)?;
    }
    crate::auth::callers::changed();
    Ok(())
}

pub fn find(conn: &mut DbConn, id: &UserId) -> QueryResult<Option<UserRow>> {
    users::table.find(id).select(UserRow::as_select()).get_result(conn).optional()
}

pub fn find_by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<UserRow>> {
    users::table.filter(users::email.eq(email)).select(UserRow::as_select()).get_result(conn).optional()
}

pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// Case-insensitive substring of email or display name.
    pub q: Option<String>,
    pub role: Option<Role>,
    pub is_active: Option<bool>,
}

pub fn list(conn: &mut DbConn, filter: &UserFilter, page: PageRequest) -> QueryResult<Page<UserRow>> {
    let build = || {
        let mut query = users::table.into_boxed();
        if let Some(q) = &filter.q {
            let pattern = format!("%{}%", escape_like(&q.to_lowercase()));
            query = query.filter(
                lower(users::email)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(lower(users::display_name).like(pattern).escape('\\')),
            );
        }
        if let Some(role) = &filter.role {
            query = query.filter(users::id.eq_any(
                role_assignments::table.filter(role_assignments::role.eq(*role)).select(role_assignments::user_id),
            ));
        }
        if let Some(active) = filter.is_active {
            query = query.filter(users::is_active.eq(active));
        }
        query
    };
    let total = build().count().get_result(conn)?;
    let items = build()
        .order((users::email.asc(), users::id.asc()))
        .limit(page.per_page)
        .offset(page.offset())
        .select(UserRow::as_select())
        .load(conn)?;
    Ok(Page { items, total })
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Profile fields an update may change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct ProfileChange {
    pub display_name: Option<String>,
    pub locale: Option<crate::domain::account::Locale>,
    pub is_active: Option<bool>,
}

/// Applies `change` if the row is still at `expected_version`; returns whether it was.
pub fn update_profile(
    conn: &mut DbConn,
    id: &UserId,
    expected_version: i32,
    change: &ProfileChange,
    deactivating: bool,
) -> QueryResult<bool> {
    let target = users::table.filter(users::id.eq(id)).filter(users::version.eq(expected_version));
    let n = if deactivating {
        // Deactivation also invalidates every access token already issued.
        diesel::update(target)
            .set((
                change,
                users::version.eq(users::version + 1),
                users::token_version.eq(users::token_version + 1),
                users::updated_at.eq(now()),
            ))
            .execute(conn)?
    } else {
        diesel::update(target)
            .set((change, users::version.eq(users::version + 1), users::updated_at.eq(now())))
            .execute(conn)?
    };
    grants_changed(conn)?;
    Ok(n == 1)
}

/// Sets the password hash and invalidates every access token issued before.
pub fn set_password(conn: &mut DbConn, id: &UserId, hash: &str) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(Some(hash)),
            users::token_version.eq(users::token_version + 1),
            users::version.eq(users::version + 1),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
    grants_changed(conn)
}

pub fn roles_of(conn: &mut DbConn, user_id: &UserId) -> QueryResult<Vec<RoleRow>> {
    role_assignments::table
        .filter(role_assignments::user_id.eq(user_id))
        .order(role_assignments::created_at.asc())
        .select(RoleRow::as_select())
        .load(conn)
}

pub fn roles_of_many(conn: &mut DbConn, user_ids: &[UserId]) -> QueryResult<Vec<RoleRow>> {
    role_assignments::table
        .filter(role_assignments::user_id.eq_any(user_ids))
        .order(role_assignments::created_at.asc())
        .select(RoleRow::as_select())
        .load(conn)
}

pub fn find_role(conn: &mut DbConn, id: &RoleAssignmentId) -> QueryResult<Option<RoleRow>> {
    role_assignments::table.find(id).select(RoleRow::as_select()).get_result(conn).optional()
}

pub fn insert_role(conn: &mut DbConn, row: &RoleRow) -> QueryResult<()> {
    diesel::insert_into(role_assignments::table).values(row).execute(conn)?;
    grants_changed(conn)
}

pub fn delete_role(conn: &mut DbConn, id: &RoleAssignmentId) -> QueryResult<bool> {
    let n = diesel::delete(role_assignments::table.find(id)).execute(conn)?;
    grants_changed(conn)?;
    Ok(n == 1)
}

pub fn count_admins(conn: &mut DbConn) -> QueryResult<i64> {
    role_assignments::table
        .inner_join(users::table)
        .filter(role_assignments::role.eq(Role::Admin))
        .filter(users::is_active.eq(true))
        .count()
        .get_result(conn)
}

pub fn find_many(conn: &mut DbConn, ids: &[UserId]) -> QueryResult<Vec<UserRow>> {
    users::table.filter(users::id.eq_any(ids)).select(UserRow::as_select()).load(conn)
}

/// Active team leaders of the given delegations, with the delegation each leads.
pub fn team_leaders_of(
    conn: &mut DbConn,
    delegation_ids: &[DelegationId],
) -> QueryResult<Vec<(DelegationId, UserRow)>> {
    role_assignments::table
        .inner_join(users::table)
        .filter(role_assignments::role.eq(Role::TeamLeader))
        .filter(role_assignments::scope_id.eq_any(delegation_ids))
        .filter(users::is_active.eq(true))
        .select((role_assignments::scope_id.assume_not_null(), UserRow::as_select()))
        .load(conn)
}
