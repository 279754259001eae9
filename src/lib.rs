//! Skillmark: competition management for WorldSkills-style skill competitions.
//!
//! Data flows one way: `api` (HTTP) → `service` (use cases, transactions) → `domain` (pure rules)
//! and `repo` (SQL) → `db` (connections). See `README.md` for the tour.

pub mod api;
pub mod auth;
pub mod backup;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod formats;
pub mod live;
pub mod mail;
pub mod metrics;
pub mod openapi;
pub mod repo;
pub mod service;
pub mod spa;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod worker;
