//! Settings, read once at start from the environment and an optional TOML file.
//!
//! Every setting has a default that works on a developer's machine. The file
//! (`SKILLMARK_CONFIG`, or `skillmark.toml` in the working directory when present) uses the same
//! names as the environment variables; the environment wins. `.env.template` lists them all.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::{bail, Context};

use crate::db::DatabaseUrl;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// `SKILLMARK_ADDR`: where the server listens.
    pub addr: String,
    /// `DATABASE_URL`: `postgres://…` or a SQLite file path.
    pub database: DatabaseUrl,
    /// `SKILLMARK_DB_POOL_SIZE`
    pub pool_size: u32,
    /// `SKILLMARK_WORKERS`: HTTP worker threads (default: one per core).
    pub workers: usize,
    /// `SKILLMARK_JWT_SECRET`: signs access tokens. When unset, one is generated on first start
    /// and kept in the database, so several instances on one PostgreSQL share it.
    pub jwt_secret: Option<String>,
    /// `SKILLMARK_ACCESS_TOKEN_TTL_SECS` (at most 900).
    pub access_token_ttl_secs: i64,
    /// `SKILLMARK_REFRESH_TOKEN_TTL_DAYS`
    pub refresh_token_ttl_days: i64,
    /// `SKILLMARK_PUBLIC_URL`: the address users reach the SPA at, used in emailed links.
    pub public_url: String,
    /// `SMTP_URL`: e.g. `smtp://mailpit:1025` or `smtps://user:pass@host`. Unset: mails are
    /// written as `.eml` files under `SKILLMARK_MAIL_DIR` and their links logged.
    pub smtp_url: Option<String>,
    /// `SKILLMARK_MAIL_FROM`
    pub mail_from: String,
    /// `SKILLMARK_MAIL_DIR`
    pub mail_dir: PathBuf,
    /// `SKILLMARK_FRONTEND_DIR`: the built SPA.
    pub frontend_dir: PathBuf,
    /// `SKILLMARK_LOGIN_PER_ACCOUNT_PER_MINUTE`
    pub login_per_account_per_minute: u32,
    /// `SKILLMARK_LOGIN_PER_ADDRESS_PER_MINUTE`
    pub login_per_address_per_minute: u32,
    /// `SKILLMARK_RESET_PER_ACCOUNT_PER_HOUR`: password-reset mails per address typed; further
    /// requests are answered alike (202) but send nothing.
    pub reset_per_account_per_hour: u32,
    /// `SKILLMARK_RESET_PER_ADDRESS_PER_HOUR`: password-reset requests per client address.
    pub reset_per_address_per_hour: u32,
    /// `SKILLMARK_TRUST_PROXY`: take the client address from `X-Forwarded-For` / `Forwarded`.
    pub trust_proxy: bool,
    /// `SKILLMARK_LOG_FORMAT`: `text` or `json`. `RUST_LOG` sets the level.
    pub log_format: LogFormat,
    /// Attempts at delivering a queued mail before it is marked failed.
    pub mail_max_attempts: i32,
    /// Seconds before the first retry of a mail; doubles with each attempt.
    pub mail_retry_secs: i64,
    /// The CJK fonts printable PDFs are set in (Debian's `fonts-noto-cjk`).
    pub font_dir: PathBuf,
    /// `SKILLMARK_METRICS_TOKEN`: serves Prometheus metrics at `/metrics` to scrapers sending it
    /// as a bearer token (at least 32 characters). Unset: no metrics are kept and `/metrics` is 404.
    pub metrics_token: Option<String>,
}

impl Settings {
    /// Reads the process environment and the optional config file.
    pub fn from_env() -> anyhow::Result<Self> {
        let env: HashMap<String, String> = std::env::vars().collect();
        let file = match env.get("SKILLMARK_CONFIG") {
            Some(path) => Some(PathBuf::from(path)),
            None => Some(PathBuf::from("skillmark.toml")).filter(|p| p.exists()),
        };
        let mut values = match file {
            Some(path) => read_file(&path)?,
            None => HashMap::new(),
        };
        values.extend(env);
        Self::from_map(&values)
    }

    /// Builds settings from a map of names to values; missing names take their defaults.
    pub fn from_map(values: &HashMap<String, String>) -> anyhow::Result<Self> {
        let get = |key: &str| values.get(key).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let parse_num = |key: &str, default: i64| -> anyhow::Result<i64> {
            match get(key) {
                Some(v) => v.parse::<i64>().with_context(|| format!("{key} must be a whole number, got {v:?}")),
                None => Ok(default),
            }
        };
        let parse_bool = |key: &str| -> anyhow::Result<bool> {
            match get(key).as_deref() {
                None => Ok(false),
                Some("1" | "true" | "yes" | "on") => Ok(true),
                Some("0" | "false" | "no" | "off") => Ok(false),
                Some(v) => bail!("{key} must be true or false, got {v:?}"),
            }
        };

        let addr = get("SKILLMARK_ADDR").unwrap_or_else(|| "127.0.0.1:8080".into());
        let data_dir = PathBuf::from(get("SKILLMARK_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url =
            get("DATABASE_URL").unwrap_or_else(|| data_dir.join("skillmark.db").to_string_lossy().into_owned());
        let database = DatabaseUrl::parse(&database_url).map_err(|e| anyhow::anyhow!(e))?;

        let access_token_ttl_secs = parse_num("SKILLMARK_ACCESS_TOKEN_TTL_SECS", 900)?;
        if !(30..=900).contains(&access_token_ttl_secs) {
            bail!("SKILLMARK_ACCESS_TOKEN_TTL_SECS must be between 30 and 900 (15 minutes)");
        }
        let refresh_token_ttl_days = parse_num("SKILLMARK_REFRESH_TOKEN_TTL_DAYS", 14)?;
        if !(1..=90).contains(&refresh_token_ttl_days) {
            bail!("SKILLMARK_REFRESH_TOKEN_TTL_DAYS must be between 1 and 90");
        }
        let default_workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        let workers = parse_num("SKILLMARK_WORKERS", default_workers as i64)?.clamp(1, 256) as usize;
        let pool_size = parse_num("SKILLMARK_DB_POOL_SIZE", 16)?.clamp(1, 512) as u32;
        let jwt_secret = get("SKILLMARK_JWT_SECRET");
        if let Some(secret) = &jwt_secret {
            if secret.len() < 32 {
                bail!("SKILLMARK_JWT_SECRET must be at least 32 characters");
            }
        }
        let metrics_token = get("SKILLMARK_METRICS_TOKEN");
        if metrics_token.as_ref().is_some_and(|token| token.len() < 32) {
            bail!("SKILLMARK_METRICS_TOKEN must be at least 32 characters");
        }
        let public_url =
            get("SKILLMARK_PUBLIC_URL").unwrap_or_else(|| format!("http://{addr}")).trim_end_matches('/').to_string();
        url::Url::parse(&public_url).with_context(|| format!("SKILLMARK_PUBLIC_URL is not a URL: {public_url:?}"))?;
        let log_format = match get("SKILLMARK_LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(v) => bail!("SKILLMARK_LOG_FORMAT must be text or json, got {v:?}"),
        };

        Ok(Self {
            addr,
            database,
            pool_size,
            workers,
            jwt_secret,
            access_token_ttl_secs,
            refresh_token_ttl_days,
            public_url,
            smtp_url: get("SMTP_URL"),
            mail_from: get("SKILLMARK_MAIL_FROM").unwrap_or_else(|| "Skillmark <noreply@skillmark.local>".into()),
            mail_dir: get("SKILLMARK_MAIL_DIR").map(PathBuf::from).unwrap_or_else(|| data_dir.join("mail")),
            frontend_dir: PathBuf::from(get("SKILLMARK_FRONTEND_DIR").unwrap_or_else(|| "frontend/dist".into())),
            login_per_account_per_minute: parse_num("SKILLMARK_LOGIN_PER_ACCOUNT_PER_MINUTE", 10)?.clamp(1, 100_000)
                as u32,
            login_per_address_per_minute: parse_num("SKILLMARK_LOGIN_PER_ADDRESS_PER_MINUTE", 60)?.clamp(1, 1_000_000)
                as u32,
            reset_per_account_per_hour: parse_num("SKILLMARK_RESET_PER_ACCOUNT_PER_HOUR", 3)?.clamp(1, 100_000) as u32,
            reset_per_address_per_hour: parse_num("SKILLMARK_RESET_PER_ADDRESS_PER_HOUR", 30)?.clamp(1, 1_000_000)
                as u32,
            trust_proxy: parse_bool("SKILLMARK_TRUST_PROXY")?,
            log_format,
            mail_max_attempts: parse_num("SKILLMARK_MAIL_MAX_ATTEMPTS", 6)?.clamp(1, 20) as i32,
            mail_retry_secs: parse_num("SKILLMARK_MAIL_RETRY_SECS", 30)?.clamp(1, 3600),
            font_dir: PathBuf::from(
                get("SKILLMARK_FONT_DIR").unwrap_or_else(|| crate::formats::pdf::DEFAULT_FONT_DIR.into()),
            ),
            metrics_token,
        })
    }

    /// Whether cookies must carry `Secure` (the SPA is served over HTTPS).
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

fn read_file(path: &PathBuf) -> anyhow::Result<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read config file {}", path.display()))?;
    let table: toml::Table =
        text.parse().with_context(|| format!("config file {} is not valid TOML", path.display()))?;
    table
        .into_iter()
        .map(|(k, v)| {
            let value = match v {
                toml::Value::String(s) => s,
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                other => bail!("config key {k} must be a string, number or boolean, got {other}"),
            };
            Ok((k, value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_just_work() {
        let s = Settings::from_map(&HashMap::new()).unwrap();
        assert_eq!(s.addr, "127.0.0.1:8080");
        assert_eq!(s.database.engine, crate::db::Engine::Sqlite);
        assert_eq!(s.database.target, "data/skillmark.db");
        assert_eq!(s.access_token_ttl_secs, 900);
        assert_eq!(s.public_url, "http://127.0.0.1:8080");
        assert!(s.smtp_url.is_none());
        assert!(s.metrics_token.is_none(), "metrics are off unless configured");
        assert!(!s.secure_cookies());
    }

    #[test]
    fn bad_values_are_refused_with_the_setting_named() {
        let err = Settings::from_map(&map(&[("SKILLMARK_ACCESS_TOKEN_TTL_SECS", "3600")])).unwrap_err();
        assert!(err.to_string().contains("SKILLMARK_ACCESS_TOKEN_TTL_SECS"));
        let err = Settings::from_map(&map(&[("SKILLMARK_JWT_SECRET", "short")])).unwrap_err();
        assert!(err.to_string().contains("SKILLMARK_JWT_SECRET"));
        let err = Settings::from_map(&map(&[("SKILLMARK_METRICS_TOKEN", "short")])).unwrap_err();
        assert!(err.to_string().contains("SKILLMARK_METRICS_TOKEN"));
        let err = Settings::from_map(&map(&[("SKILLMARK_WORKERS", "many")])).unwrap_err();
        assert!(err.to_string().contains("SKILLMARK_WORKERS"));
    }

    #[test]
    fn file_values_are_read_and_environment_wins() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("skillmark.toml");
        std::fs::write(&path, "SKILLMARK_ADDR = \"0.0.0.0:9000\"\nSKILLMARK_WORKERS = 3\n").unwrap();
        let mut values = read_file(&path).unwrap();
        values.extend(map(&[("SKILLMARK_WORKERS", "5")]));
        let s = Settings::from_map(&values).unwrap();
        assert_eq!(s.addr, "0.0.0.0:9000");
        assert_eq!(s.workers, 5);
    }
}
