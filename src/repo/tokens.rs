//! Refresh tokens (rotating, in families) and one-time tokens (password reset, invitation,
//! first-start setup). Only hashes of tokens are stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::models::{OneTimeTokenRow, RefreshTokenRow};
use crate::db::schema::{one_time_tokens, refresh_tokens};
use crate::db::DbConn;
use crate::domain::account::TokenPurpose;
use crate::domain::ids::{OneTimeTokenId, RefreshTokenId, TokenFamilyId, UserId};

pub fn insert_refresh(conn: &mut DbConn, row: &RefreshTokenRow) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table).values(row).execute(conn).map(|_| ())
}

pub fn find_refresh_by_hash(conn: &mut DbConn, hash: &str) -> QueryResult<Option<RefreshTokenRow>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash))
        .select(RefreshTokenRow::as_select())
        .get_result(conn)
        .optional()
}

/// Marks a live token as rotated. Returns false when it was already rotated or revoked, which
/// makes two concurrent uses of one token detectable: only one of them wins this update.
pub fn mark_rotated(conn: &mut DbConn, id: &RefreshTokenId, at: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::id.eq(id))
            .filter(refresh_tokens::rotated_at.is_null())
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::rotated_at.eq(Some(at)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Revokes every token of a family (one login's chain of rotations); returns how many changed.
pub fn revoke_family(conn: &mut DbConn, family_id: &TokenFamilyId, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Some(at)))
    .execute(conn)
}

pub fn revoke_all_for_user(conn: &mut DbConn, user_id: &UserId, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table.filter(refresh_tokens::user_id.eq(user_id)).filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Some(at)))
    .execute(conn)
}

pub fn insert_one_time(conn: &mut DbConn, row: &OneTimeTokenRow) -> QueryResult<()> {
    diesel::insert_into(one_time_tokens::table).values(row).execute(conn).map(|_| ())
}

pub fn find_one_time_by_hash(conn: &mut DbConn, hash: &str) -> QueryResult<Option<OneTimeTokenRow>> {
    one_time_tokens::table
        .filter(one_time_tokens::token_hash.eq(hash))
        .select(OneTimeTokenRow::as_select())
        .get_result(conn)
        .optional()
}

/// Uses a token once: false if it was already used (a concurrent second use loses).
pub fn mark_one_time_used(conn: &mut DbConn, id: &OneTimeTokenId, at: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        one_time_tokens::table.filter(one_time_tokens::id.eq(id)).filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::used_at.eq(Some(at)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Retires a user's unused tokens of one purpose (a new link replaces the old ones).
pub fn retire_unused(
    conn: &mut DbConn,
    user_id: Option<&UserId>,
    purpose: TokenPurpose,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let base =
        one_time_tokens::table.filter(one_time_tokens::purpose.eq(purpose)).filter(one_time_tokens::used_at.is_null());
    match user_id {
        Some(id) => diesel::update(base.filter(one_time_tokens::user_id.eq(id)))
            .set(one_time_tokens::used_at.eq(Some(at)))
            .execute(conn),
        None => diesel::update(base.filter(one_time_tokens::user_id.is_null()))
            .set(one_time_tokens::used_at.eq(Some(at)))
            .execute(conn),
    }
}
