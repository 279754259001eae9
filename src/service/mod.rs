//! Use cases: each function runs one user action as one transaction over `repo/` and `domain/`,
//! writing its audit entry in the same transaction. Handlers call these inside `web::block`;
//! mail is sent by the caller after the transaction commits.

pub mod access;
pub mod accounts;
pub mod dashboard;
pub mod events;
pub mod imports;
pub mod marks;
pub mod registration;
pub mod results;
pub mod schemes;
pub mod selection;
pub mod users;
pub mod verify;
