//! The command line: `serve` (default), `migrate`, `create-admin`, `export-openapi`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::domain::account::{DisplayName, Email, Locale, NewPassword};
use crate::service::accounts::{self, FirstAdmin};
use crate::startup::{open_database, Application};
use crate::{demo, openapi, telemetry};

#[derive(Parser, Debug)]
#[command(name = "skillmark", version, about = "Competition management for WorldSkills-style skill competitions")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the server (the default). Settings come from the environment; see `.env.template`.
    Serve {
        /// Load the demo event first if the database has no events yet.
        #[arg(long)]
        demo: bool,
        /// With `--demo`: leave out the demo's selection programme.
        #[arg(long, requires = "demo")]
        without_programme: bool,
    },
    /// Load a realistic demo event (46 delegations, 50 skills, ~900 competitors) and print its
    /// sign-in accounts.
    Demo {
        /// The same seed gives the same event.
        #[arg(long, default_value_t = 2019)]
        seed: u64,
        /// Leave out the selection programme (the event only).
        #[arg(long)]
        without_programme: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Write a consistent copy of the database to a file while the server keeps running. SQLite:
    /// a single database file (`VACUUM INTO`). PostgreSQL: runs `pg_dump --format=custom`.
    Backup {
        /// The file to write (must not exist).
        output: PathBuf,
    },
    /// Replace the database with a backup (stop the server first). SQLite: the backup file is
    /// checked and copied into place. PostgreSQL: runs `pg_restore --clean --if-exists`.
    Restore {
        /// A file written by `skillmark backup`.
        input: PathBuf,
    },
    /// Recompute every ratified and published result from the stored marks, compare it with what
    /// was published and with the ratification recorded in the audit log, and check every audit
    /// hash chain. Exits with status 1 when anything differs.
    Verify,
    /// Create an administrator account.
    CreateAdmin {
        #[arg(long)]
        email: String,
        /// Shown name (default: the part of the email before `@`).
        #[arg(long)]
        display_name: Option<String>,
        /// `zh-CN` or `en`.
        #[arg(long, default_value = "zh-CN")]
        locale: String,
        /// Read the password from standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Print the OpenAPI document (or write it to a file).
    ExportOpenapi {
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve { demo: false, without_programme: false }) {
        Command::ExportOpenapi { output } => {
            let doc = openapi::document();
            match output {
                Some(path) => std::fs::write(&path, doc).with_context(|| format!("cannot write {}", path.display()))?,
                None => std::io::stdout().write_all(doc.as_bytes())?,
            }
            Ok(())
        }
        Command::Serve { demo, without_programme } => {
            let settings = Settings::from_env()?;
            telemetry::init(settings.log_format);
            if demo {
                let settings = settings.clone();
                actix_web::rt::task::spawn_blocking(move || -> anyhow::Result<()> {
                    let pool = open_database(&settings)?;
                    let mut conn = pool.get()?;
                    if demo::is_empty(&mut conn).map_err(|e| anyhow::anyhow!("{e}"))? {
                        print_demo(
                            &demo::load_with(&mut conn, 2019, &settings.public_url, demo_parts(without_programme))
                                .map_err(|e| anyhow::anyhow!("{e}"))?,
                        );
                    }
                    Ok(())
                })
                .await??;
            }
            let addr = settings.addr.clone();
            let engine = settings.database.engine.name();
            let app = Application::build(settings).await?;
            tracing::info!(%addr, port = app.port(), engine, "Skillmark is listening");
            app.announce_setup();
            app.run_until_stopped().await?;
            tracing::info!("stopped");
            Ok(())
        }
        Command::Demo { seed, without_programme } => {
            let settings = Settings::from_env()?;
            telemetry::init(settings.log_format);
            let summary = actix_web::rt::task::spawn_blocking(move || -> anyhow::Result<_> {
                let pool = open_database(&settings)?;
                let mut conn = pool.get()?;
                demo::load_with(&mut conn, seed, &settings.public_url, demo_parts(without_programme))
                    .map_err(|e| anyhow::anyhow!("{e}"))
            })
            .await??;
            print_demo(&summary);
            Ok(())
        }
        Command::Backup { output } => {
            let settings = Settings::from_env()?;
            telemetry::init(settings.log_format);
            crate::backup::backup(&settings, &output)?;
            println!("backup written to {}", output.display());
            Ok(())
        }
        Command::Restore { input } => {
            let settings = Settings::from_env()?;
            telemetry::init(settings.log_format);
            crate::backup::restore(&settings, &input)?;
            println!("database restored from {}", input.display());
            Ok(())
        }
        Command::Verify => {
            let settings = Settings::from_env()?;
            telemetry::init(settings.log_format);
            let report = actix_web::rt::task::spawn_blocking(move || -> anyhow::Result<_> {
                let pool = open_database(&settings)?;
                let mut conn = pool.get()?;
                crate::service::verify::verify(&mut conn).map_err(|e| anyhow::anyhow!("{e}"))
            })
            .await??;
            println!(
                "checked {} skills' results, {} selection standings and {} audit chains",
                report.skills_checked, report.standings_checked, report.chains_checked
            );
            if report.problems.is_empty() {
                println!("everything matches");
                return Ok(());
            }
            for p in &report.problems {
                println!("DIFFERENCE: {p}");
            }
            anyhow::bail!("{} difference(s) found", report.problems.len())
        }
        Command::Migrate => {
            let settings = Settings::from_env()?;
            telemetry::init(settings.log_format);
            actix_web::rt::task::spawn_blocking(move || open_database(&settings).map(|_| ())).await??;
            println!("database is up to date");
            Ok(())
        }
        Command::CreateAdmin { email, display_name, locale, password_stdin } => {
            let settings = Settings::from_env()?;
            telemetry::init(settings.log_format);
            let email = Email::parse(&email).map_err(|e| anyhow::anyhow!("--email {e}"))?;
            let name = display_name.unwrap_or_else(|| email.as_str().split('@').next().unwrap_or("admin").to_string());
            let display_name = DisplayName::parse(&name).map_err(|e| anyhow::anyhow!("--display-name {e}"))?;
            let locale = Locale::parse(&locale).map_err(|e| anyhow::anyhow!("--locale {e}"))?;
            let password = read_password(password_stdin)?;
            let password = NewPassword::parse(&password).map_err(|e| anyhow::anyhow!("password {e}"))?;
            let admin = FirstAdmin { email, display_name, password, locale };
            let user = actix_web::rt::task::spawn_blocking(move || -> anyhow::Result<_> {
                let pool = open_database(&settings)?;
                let mut conn = pool.get()?;
                accounts::create_admin(&mut conn, &admin).map_err(|e| anyhow::anyhow!("{e}"))
            })
            .await??;
            println!("administrator {} created", user.email);
            Ok(())
        }
    }
}

fn demo_parts(without_programme: bool) -> demo::Parts {
    if without_programme {
        demo::Parts::WithoutProgramme
    } else {
        demo::Parts::All
    }
}

fn print_demo(s: &demo::DemoSummary) {
    println!(
        "demo event {} loaded: {} delegations, {} skills, {} entries, {} competitors, {} experts",
        s.event_id, s.delegations, s.skills, s.entries, s.competitors, s.experts
    );
    if let Some(p) = &s.programme {
        println!(
            "selection programme {} ({}): {} in skills {} (stage 1 and the 10 → 5 stage confirmed and \
             their squad lists announced, the 5 → 2 stage under way)",
            p.name,
            p.id,
            p.stages.join(" → "),
            p.skills.join(", ")
        );
    }
    println!("sign in with password {} as:", s.password);
    for (email, role) in &s.accounts {
        println!("  {email:<45} {role}");
    }
}

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let password = line.trim_end_matches(['\r', '\n']).to_string();
        if password.is_empty() {
            bail!("no password on standard input");
        }
        return Ok(password);
    }
    let first = rpassword::prompt_password("Password: ")?;
    let second = rpassword::prompt_password("Repeat password: ")?;
    if first != second {
        bail!("the passwords differ");
    }
    Ok(first)
}
