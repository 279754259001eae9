//! Authentication: password hashing, access and refresh tokens, login throttling, and the
//! extractors through which every handler learns who is calling and what they may do.

pub mod callers;
pub mod extract;
pub mod password;
pub mod ratelimit;
pub mod tokens;

pub use extract::{Authenticated, RequestMeta};
