//! Integration tests: the real server on a free port, over HTTP, on SQLite and PostgreSQL.
//! One test binary (every file directly in `tests/` would be linked on its own).

mod builders;
mod helpers;

mod architecture;
mod audit;
mod auth;
mod bad_input;
mod cli;
mod demo;
mod events;
mod faults;
mod health;
mod imports;
mod lifecycle;
mod mail;
mod marking;
mod matrix;
mod metrics;
mod openapi;
mod registration;
mod result_rules;
mod results;
mod schema;
mod schemathesis;
mod schemes;
mod selection;
mod spa;
mod users;
