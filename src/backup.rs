//! `skillmark backup` and `skillmark restore`. SQLite: an online, consistent single-file copy
//! (`VACUUM INTO`), restored by checking the file and moving it into place. PostgreSQL: the
//! standard tools, `pg_dump --format=custom` and `pg_restore --clean --if-exists`.

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context};
use diesel::Connection;

use crate::config::Settings;
use crate::db::Engine;
use crate::repo;
use crate::startup::open_database;

pub fn backup(settings: &Settings, output: &Path) -> anyhow::Result<()> {
    if output.exists() {
        bail!("{} exists already; choose a new file", output.display());
    }
    match settings.database.engine {
        Engine::Sqlite => {
            let pool = open_database(settings)?;
            let mut conn = pool.get()?;
            let path = output.to_str().context("the backup path is not valid UTF-8")?;
            repo::maintenance::sqlite_copy_into(&mut conn, path)
                .expect("an SQLite connection")
                .with_context(|| format!("cannot write the backup to {}", output.display()))?;
            Ok(())
        }
        Engine::Postgres => run(
            Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--file"])
                .arg(output)
                .arg(&settings.database.target),
            "pg_dump",
        ),
    }
}

pub fn restore(settings: &Settings, input: &Path) -> anyhow::Result<()> {
    if !input.is_file() {
        bail!("{} is not a file", input.display());
    }
    match settings.database.engine {
        Engine::Sqlite => {
            let source = input.to_str().context("the backup path is not valid UTF-8")?;
            let mut check = diesel::SqliteConnection::establish(source)
                .with_context(|| format!("{} is not an SQLite database", input.display()))?;
            let problems = repo::maintenance::sqlite_integrity(&mut check)
                .with_context(|| format!("{} is not an SQLite database", input.display()))?;
            if problems != ["ok"] {
                bail!("{} is damaged: {}", input.display(), problems.join("; "));
            }
            drop(check);
            let target = Path::new(&settings.database.target);
            if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            // Copy next to the target, then rename over it: the database is never half-written.
            let staging = target.with_extension("restoring");
            std::fs::copy(input, &staging).with_context(|| format!("cannot copy to {}", staging.display()))?;
            for suffix in ["-wal", "-shm"] {
                let side = format!("{}{suffix}", settings.database.target);
                if Path::new(&side).exists() {
                    std::fs::remove_file(&side).with_context(|| format!("cannot remove {side}"))?;
                }
            }
            std::fs::rename(&staging, target).with_context(|| format!("cannot replace {}", target.display()))?;
            // Brings an older backup's schema up to date.
            open_database(settings)?;
            Ok(())
        }
        Engine::Postgres => run(
            Command::new("pg_restore")
                .args(["--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname"])
                .arg(&settings.database.target)
                .arg(input),
            "pg_restore",
        ),
    }
}

fn run(command: &mut Command, name: &str) -> anyhow::Result<()> {
    let status = command.status().with_context(|| {
        format!("cannot run {name}: install the PostgreSQL client tools (Debian: postgresql-client)")
    })?;
    if !status.success() {
        bail!("{name} failed ({status})");
    }
    Ok(())
}
