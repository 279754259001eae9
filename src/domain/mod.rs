//! Pure rules of the competition and of accounts. No actix, no diesel, no I/O: values are parsed
//! here once into types that cannot be invalid, and the rest of the code trusts them.

pub mod account;
pub mod draw;
pub mod event;
pub mod groups;
pub mod lifecycle;
pub mod marking;
pub mod publication;
pub mod registration;
pub mod results;
pub mod role;
pub mod scheme;
pub mod selection;
