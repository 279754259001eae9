//! The migrations and `src/db/schema.rs` agree: a fresh database on each engine has exactly the
//! tables and columns (name, broad type, nullability) that the `table!` definitions declare. And
//! a database holding the old formats (JSON lists, the `''` judge, base64 photos, dates as text)
//! is carried over by the migration that replaced them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::expression::Expression;
use diesel::migration::{Migration, MigrationSource};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Binary, Bool, Date, Double, Integer, Nullable, SmallInt, Text, Timestamp};
use diesel_migrations::MigrationHarness;
use skillmark::db::schema::*;
use skillmark::db::{self, DatabaseUrl, DbConn, PooledConn};

use crate::helpers::{postgres_available, PgDatabase};

/// A column as both sides describe it: name, broad type (diesel's SQL type), nullable.
type Column = (String, &'static str, bool);
type Tables = BTreeMap<String, BTreeSet<Column>>;

/// The broad type of a diesel SQL type, as the drift test compares it.
trait Broad {
    const NAME: &'static str;
    const NULLABLE: bool = false;
}

macro_rules! broad {
    ($($t:ident),*) => { $(impl Broad for $t { const NAME: &'static str = stringify!($t); })* };
}
broad!(Text, Integer, BigInt, SmallInt, Bool, Timestamp, Date, Binary, Double);

impl<T: Broad> Broad for Nullable<T> {
    const NAME: &'static str = T::NAME;
    const NULLABLE: bool = true;
}

/// A table's `all_columns` tuple, described column by column.
trait Columns {
    fn describe() -> Vec<Column>;
}

macro_rules! columns_for_tuples {
    () => {};
    ($first:ident $(, $rest:ident)*) => {
        impl<$first, $($rest),*> Columns for ($first, $($rest,)*)
        where
            $first: diesel::Column,
            <$first as Expression>::SqlType: Broad,
            $($rest: diesel::Column, <$rest as Expression>::SqlType: Broad,)*
        {
            fn describe() -> Vec<Column> {
                vec![
                    (
                        <$first as diesel::Column>::NAME.to_string(),
                        <<$first as Expression>::SqlType as Broad>::NAME,
                        <<$first as Expression>::SqlType as Broad>::NULLABLE,
                    ),
                    $((
                        <$rest as diesel::Column>::NAME.to_string(),
                        <<$rest as Expression>::SqlType as Broad>::NAME,
                        <<$rest as Expression>::SqlType as Broad>::NULLABLE,
                    ),)*
                ]
            }
        }
        columns_for_tuples!($($rest),*);
    };
}
columns_for_tuples!(C1, C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12, C13, C14, C15, C16, C17, C18, C19, C20);

/// What `src/db/schema.rs` declares: every table `for_each_table!` names.
fn declared() -> Tables {
    let mut tables = Tables::new();
    macro_rules! describe {
        ($($table:ident),* $(,)?) => {$(
            let columns = <<$table::table as Table>::AllColumns as Columns>::describe();
            tables.insert(stringify!($table).to_string(), columns.into_iter().collect());
        )*};
    }
    skillmark::for_each_table!(describe);
    tables
}

#[derive(QueryableByName)]
struct Described {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
}

/// What the migrations created, read from the engine's catalogue.
fn migrated(conn: &mut DbConn) -> Tables {
    let (query, types): (&str, &[(&str, &'static str)]) = match conn {
        DbConn::Sqlite(_) => (
            "SELECT m.name AS table_name, p.name AS column_name, upper(p.type) AS data_type, \
                    p.\"notnull\" = 0 AS nullable \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
               AND m.name <> '__diesel_schema_migrations'",
            &[
                ("TEXT", "Text"),
                ("INTEGER", "Integer"),
                ("BIGINT", "BigInt"),
                ("SMALLINT", "SmallInt"),
                ("BOOLEAN", "Bool"),
                ("TIMESTAMP", "Timestamp"),
                ("DATE", "Date"),
                ("BLOB", "Binary"),
                ("DOUBLE", "Double"),
            ],
        ),
        DbConn::Pg(_) => (
            "SELECT table_name::text AS table_name, column_name::text AS column_name, \
                    data_type::text AS data_type, is_nullable = 'YES' AS nullable \
             FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
            &[
                ("text", "Text"),
                ("integer", "Integer"),
                ("bigint", "BigInt"),
                ("smallint", "SmallInt"),
                ("boolean", "Bool"),
                ("timestamp without time zone", "Timestamp"),
                ("date", "Date"),
                ("bytea", "Binary"),
                ("double precision", "Double"),
            ],
        ),
    };
    let mut tables = Tables::new();
    for c in diesel::sql_query(query).load::<Described>(conn).expect("read the catalogue") {
        let broad = types.iter().find(|(t, _)| *t == c.data_type).map_or_else(
            || panic!("{}.{} has type {}, which schema.rs cannot declare", c.table_name, c.column_name, c.data_type),
            |(_, b)| *b,
        );
        tables.entry(c.table_name).or_default().insert((c.column_name, broad, c.nullable));
    }
    tables
}

/// Where the two disagree, one line per table and column, empty when they agree.
fn drift(declared: &Tables, migrated: &Tables) -> Vec<String> {
    let names: BTreeSet<&String> = declared.keys().chain(migrated.keys()).collect();
    let mut out = Vec::new();
    for name in names {
        match (declared.get(name), migrated.get(name)) {
            (Some(_), None) => out.push(format!("{name}: in schema.rs, not created by the migrations")),
            (None, Some(_)) => out.push(format!("{name}: created by the migrations, not in schema.rs")),
            (Some(d), Some(m)) => {
                for c in d.difference(m) {
                    out.push(format!("{name}: schema.rs declares {c:?}, the migrations do not"));
                }
                for c in m.difference(d) {
                    out.push(format!("{name}: the migrations create {c:?}, schema.rs does not"));
                }
            }
            (None, None) => unreachable!(),
        }
    }
    out
}

/// A fresh, unmigrated database on the engine (the guard keeps a PostgreSQL one alive).
fn fresh(postgres: bool) -> (PooledConn, Option<PgDatabase>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (url, guard) = if postgres {
        let db = PgDatabase::create();
        (db.url.clone(), Some(db))
    } else {
        (dir.path().join("schema.db").to_string_lossy().into_owned(), None)
    };
    let pool =
        db::build_pool(&DatabaseUrl::parse(&url).expect("a database URL"), 1, db::Checkpoints::OnCommit).expect("pool");
    (pool.get().expect("a connection"), guard, dir)
}

fn migrations_match_schema_rs(postgres: bool) {
    let (mut conn, _guard, _dir) = fresh(postgres);
    db::run_migrations(&mut conn).expect("migrations run");
    let drift = drift(&declared(), &migrated(&mut conn));
    assert!(drift.is_empty(), "schema.rs and the migrations disagree:\n{}", drift.join("\n"));
}

#[test]
fn migrations_match_schema_rs_on_sqlite() {
    migrations_match_schema_rs(false);
}

#[test]
fn migrations_match_schema_rs_on_postgres() {
    if postgres_available() {
        migrations_match_schema_rs(true);
    }
}

#[test]
fn drift_is_reported_per_column() {
    let declared = declared();
    let mut migrated = declared.clone();
    let marks = migrated.get_mut("marks").unwrap();
    marks.remove(&("judge_id".to_string(), "Text", true));
    marks.insert(("judge_id".to_string(), "Text", false));
    migrated.remove("mark_locks");
    assert_eq!(
        drift(&declared, &migrated),
        [
            "mark_locks: in schema.rs, not created by the migrations",
            "marks: schema.rs declares (\"judge_id\", \"Text\", true), the migrations do not",
            "marks: the migrations create (\"judge_id\", \"Text\", false), schema.rs does not",
        ]
    );
}

/// The two migration directories hold the same migrations, byte for byte, except the files that
/// differ by design (`migrations/README.md` says why).
#[test]
fn migration_directories_differ_only_where_documented() {
    const DIFFER: &[&str] = &["2026-12-05-000011_typed_relations/up.sql", "2026-12-05-000011_typed_relations/down.sql"];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let files = |engine: &str| -> BTreeMap<String, Vec<u8>> {
        let mut out = BTreeMap::new();
        for dir in std::fs::read_dir(root.join(engine)).expect("migrations dir") {
            let dir = dir.unwrap().path();
            for file in std::fs::read_dir(&dir).expect("a migration dir") {
                let file = file.unwrap().path();
                let name = format!(
                    "{}/{}",
                    dir.file_name().unwrap().to_string_lossy(),
                    file.file_name().unwrap().to_string_lossy()
                );
                out.insert(name, std::fs::read(&file).unwrap());
            }
        }
        out
    };
    let (sqlite, postgres) = (files("sqlite"), files("postgres"));
    assert_eq!(sqlite.keys().collect::<Vec<_>>(), postgres.keys().collect::<Vec<_>>());
    for (name, text) in &sqlite {
        let same = *text == postgres[name];
        assert_eq!(same, !DIFFER.contains(&name.as_str()), "{name}: same on both engines: {same}");
    }
}

// Old-format data, written as the migrations up to 2026-12-04-000010 left it.
const LAST_OLD: &str = "2026-12-04-000010_withdrawn_scores";
const USER: &str = "01936f0e-0000-7000-8000-000000000001";
const EVENT: &str = "01936f0e-0000-7000-8000-000000000002";
const SKILL: &str = "01936f0e-0000-7000-8000-000000000003";
const DELEGATION: &str = "01936f0e-0000-7000-8000-000000000004";
const ENTRY: &str = "01936f0e-0000-7000-8000-000000000005";
const COMPETITOR: &str = "01936f0e-0000-7000-8000-000000000006";
const GROUP: &str = "01936f0e-0000-7000-8000-000000000007";
const DRAW: &str = "01936f0e-0000-7000-8000-000000000008";
const MEASURED: &str = "01936f0e-0000-7000-8000-000000000009";
const SCORED: &str = "01936f0e-0000-7000-8000-00000000000a";

fn old_data() -> String {
    format!(
        "INSERT INTO users VALUES ('{USER}', 'a@example.org', 'A', NULL, 'en', TRUE, 1, 1, '2026-11-01 00:00:00', \
             '2026-11-01 00:00:00');
         INSERT INTO events VALUES ('{EVENT}', 'E', 'V', 'UTC', '2027-06-13', 4, '2027-05-01 00:00:00', 'setup', 1, \
             '2026-11-01 00:00:00', '2026-11-01 00:00:00');
         INSERT INTO skills VALUES ('{SKILL}', '{EVENT}', '01', 'z', 'n', 's', 22, 1, 1, 'three_judges', 1, FALSE, 10, \
             1, '2026-11-01 00:00:00', '2026-11-01 00:00:00');
         INSERT INTO delegations VALUES ('{DELEGATION}', '{EVENT}', 'BJ', 'z', 'n', 'province', NULL, NULL, NULL, 1, \
             '2026-11-01 00:00:00', '2026-11-01 00:00:00');
         INSERT INTO entries (id, event_id, skill_id, delegation_id, status, workstation, created_at, updated_at) \
             VALUES ('{ENTRY}', '{EVENT}', '{SKILL}', '{DELEGATION}', 'confirmed', 7, '2026-11-01 00:00:00', \
             '2026-11-01 00:00:00');
         INSERT INTO competitors VALUES ('{COMPETITOR}', '{EVENT}', '{ENTRY}', 'Li', 'male', '2001-02-03', 'X1', NULL, \
             1, '2026-11-01 00:00:00', '2026-11-01 00:00:00');
         INSERT INTO competitor_photos VALUES ('{COMPETITOR}', 'image/png', 'iVBORw0KGgo=', '2026-11-01 00:00:00');
         INSERT INTO marking_groups VALUES ('{GROUP}', '{SKILL}', 'G', '[\"{USER}\"]', '[\"B1\",\"A1\"]', \
             '2026-11-01 00:00:00');
         INSERT INTO workstation_draws VALUES ('{DRAW}', '{SKILL}', '42', 'chacha8-fisher-yates-v1', 10, \
             '[\"{ENTRY}\"]', '[7]', NULL, NULL, '2026-11-01 00:00:00');
         INSERT INTO marks VALUES ('{MEASURED}', '{SKILL}', '{ENTRY}', 'A1.1', 'A1', '', 'amount', 100, NULL, FALSE, 1, \
             'c1', '{USER}', '2026-11-01 00:00:00');
         INSERT INTO marks VALUES ('{SCORED}', '{SKILL}', '{ENTRY}', 'A1.2', 'A1', '{USER}', 'score', 2, NULL, FALSE, 1, \
             'c2', '{USER}', '2026-11-01 00:00:00');"
    )
}

/// Runs the migrations up to and including [`LAST_OLD`] only.
fn migrate_to_old_format(conn: &mut DbConn) {
    macro_rules! run_old {
        ($c:expr, $source:expr) => {{
            diesel::migration::MigrationConnection::setup($c).expect("the migrations table");
            let migrations = MigrationSource::migrations(&$source).expect("migrations");
            for m in migrations.iter().filter(|m| m.name().to_string().as_str() <= LAST_OLD) {
                $c.run_migration(m.as_ref()).expect("an old migration runs");
            }
        }};
    }
    match conn {
        DbConn::Sqlite(c) => run_old!(c, db::SQLITE_MIGRATIONS),
        DbConn::Pg(c) => run_old!(c, db::PG_MIGRATIONS),
    }
}

fn old_data_is_carried_over(postgres: bool) {
    let (mut conn, _guard, _dir) = fresh(postgres);
    migrate_to_old_format(&mut conn);
    conn.batch_execute(&old_data()).expect("old-format rows");
    // 000011 and the later ones (000012: the selection programme's new tables; 000013: its lists'
    // notice period; 000014: an index of an entry's marks).
    assert_eq!(db::run_migrations(&mut conn).expect("the new migrations run"), 4);
    assert_new_format(&mut conn);

    // And back: the down migration restores the old formats, and the up migration runs again.
    assert_eq!(db::revert_last_migration(&mut conn).unwrap(), "20261206000014");
    assert_eq!(db::revert_last_migration(&mut conn).unwrap(), "20261205000013");
    assert_eq!(db::revert_last_migration(&mut conn).unwrap(), "20261205000012");
    assert_eq!(db::revert_last_migration(&mut conn).unwrap(), "20261205000011");
    #[derive(QueryableByName)]
    struct Old {
        #[diesel(sql_type = Text)]
        members: String,
        #[diesel(sql_type = Text)]
        judge: String,
        #[diesel(sql_type = Text)]
        photo: String,
    }
    let old: Old = diesel::sql_query(format!(
        "SELECT g.members, m.judge_id AS judge, p.data AS photo FROM marking_groups g, marks m, competitor_photos p \
         WHERE m.id = '{MEASURED}'"
    ))
    .get_result(&mut conn)
    .expect("the old columns are back");
    assert_eq!(serde_json::from_str::<Vec<String>>(&old.members).unwrap(), [USER]);
    assert_eq!((old.judge.as_str(), old.photo.as_str()), ("", "iVBORw0KGgo="));
    assert_eq!(db::run_migrations(&mut conn).unwrap(), 4);
    assert_new_format(&mut conn);
    let drift = drift(&declared(), &migrated(&mut conn));
    assert!(drift.is_empty(), "after down and up again:\n{}", drift.join("\n"));
}

fn assert_new_format(conn: &mut DbConn) {
    use skillmark::repo;
    let id = |s: &str| s.parse::<uuid::Uuid>().unwrap();
    let groups = repo::marks::groups_of(conn, &id(SKILL).into()).unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].members, [USER.parse().unwrap()]);
    let subs: Vec<&str> = groups[0].sub_criteria.iter().map(|s| s.as_str()).collect();
    assert_eq!(subs, ["B1", "A1"], "in the order given");

    let draws = repo::registration::draws_of(conn, &id(SKILL).into()).unwrap();
    let assigned: Vec<(String, i32)> =
        draws[0].assignments.iter().map(|a| (a.entry_id.to_string(), a.workstation)).collect();
    assert_eq!(assigned, [(ENTRY.to_string(), 7)]);

    let marks = repo::marks::marks_of_entry(conn, &id(ENTRY).into()).unwrap();
    let judges: Vec<(String, Option<String>)> =
        marks.iter().map(|m| (m.id.to_string(), m.judge_id.as_ref().map(ToString::to_string))).collect();
    assert_eq!(judges, [(MEASURED.to_string(), None), (SCORED.to_string(), Some(USER.to_string()))]);

    let (kind, bytes) = repo::registration::photo(conn, &id(COMPETITOR).into()).unwrap().unwrap();
    assert_eq!((kind.as_str(), bytes.as_slice()), ("image/png", b"\x89PNG\r\n\x1a\n".as_slice()));

    let event = repo::events::find_event(conn, &id(EVENT).into()).unwrap().unwrap();
    assert_eq!(event.c1_date, chrono::NaiveDate::from_ymd_opt(2027, 6, 13).unwrap());
    let competitor = repo::registration::find_competitor(conn, &id(COMPETITOR).into()).unwrap().unwrap();
    assert_eq!(competitor.birth_date, chrono::NaiveDate::from_ymd_opt(2001, 2, 3).unwrap());

    // The old uniqueness holds: a second measurement of the aspect is refused, and so is a
    // second score by the same judge.
    for (id, judge, client) in [("m3", "NULL", "c3"), ("m4", &format!("'{USER}'") as &str, "c4")] {
        let aspect = if judge == "NULL" { "A1.1" } else { "A1.2" };
        let dup = format!(
            "INSERT INTO marks VALUES ('{id}', '{SKILL}', '{ENTRY}', '{aspect}', 'A1', {judge}, 'amount', 1, NULL, \
             FALSE, 1, '{client}', '{USER}', '2026-11-01 00:00:00')"
        );
        assert!(conn.batch_execute(&dup).is_err(), "{aspect} by {judge} a second time");
    }
    // Foreign keys are enforced again after the SQLite rebuild.
    let orphan = format!("INSERT INTO marking_group_members VALUES ('{GROUP}', 5, 'nobody')");
    assert!(conn.batch_execute(&orphan).is_err(), "a member who is no user");
}

#[test]
fn old_data_is_carried_over_on_sqlite() {
    old_data_is_carried_over(false);
}

#[test]
fn old_data_is_carried_over_on_postgres() {
    if postgres_available() {
        old_data_is_carried_over(true);
    }
}

/// The plan of `sql` on the engine, one line a step.
fn plan(conn: &mut DbConn, sql: &str) -> Vec<String> {
    #[derive(QueryableByName)]
    struct SqliteStep {
        #[diesel(sql_type = Text)]
        detail: String,
    }
    #[derive(QueryableByName)]
    struct PgStep {
        #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
        step: String,
    }
    match conn {
        DbConn::Sqlite(c) => diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load::<SqliteStep>(c)
            .expect("a plan")
            .into_iter()
            .map(|s| s.detail)
            .collect(),
        DbConn::Pg(c) => {
            // A fresh table is tiny, so a scan would win on cost; turned off, a scan remains
            // only where no index serves.
            c.batch_execute("SET enable_seqscan = off").expect("set");
            diesel::sql_query(format!("EXPLAIN {sql}"))
                .load::<PgStep>(c)
                .expect("a plan")
                .into_iter()
                .map(|s| s.step)
                .collect()
        }
    }
}

/// The marking path reads the slots a batch can touch, and the views read an entry's marks,
/// through an index: a scan of every mark of the event on each request was the marking day's
/// bottleneck (5 ms a mark with the demo's 21,000 marks).
fn an_entrys_marks_are_read_through_an_index(postgres: bool) {
    let (mut conn, _guard, _dir) = fresh(postgres);
    db::run_migrations(&mut conn).expect("migrations run");
    for sql in [
        "SELECT * FROM marks WHERE entry_id = 'e' AND aspect_key IN ('A1.1', 'A1.2')",
        "SELECT * FROM marks WHERE entry_id = 'e'",
    ] {
        let steps = plan(&mut conn, sql);
        // SQLite: `SEARCH marks USING INDEX … (entry_id=? …`; PostgreSQL: `Index Cond: ((entry_id = …`.
        let keyed = |s: &String| {
            (s.starts_with("SEARCH marks USING") && s.contains("(entry_id=?"))
                || (s.contains("Index Cond:") && s.contains("(entry_id ="))
        };
        // (`marks_skill` leads with the skill: PostgreSQL can read it whole with the entry as an
        // index condition, a scan of every mark all the same.)
        let whole = |s: &String| s.contains("marks_skill");
        assert!(
            steps.iter().any(keyed) && !steps.iter().any(whole),
            "{sql} does not look the entry up in an index: {steps:?}"
        );
    }
}

#[test]
fn an_entrys_marks_are_read_through_an_index_on_sqlite() {
    an_entrys_marks_are_read_through_an_index(false);
}

#[test]
fn an_entrys_marks_are_read_through_an_index_on_postgres() {
    if postgres_available() {
        an_entrys_marks_are_read_through_an_index(true);
    }
}

/// Bad stored data fails the migration instead of becoming an empty list.
fn malformed_lists_fail_the_migration(postgres: bool) {
    let (mut conn, _guard, _dir) = fresh(postgres);
    migrate_to_old_format(&mut conn);
    conn.batch_execute(&old_data()).expect("old-format rows");
    conn.batch_execute(&format!("UPDATE marking_groups SET members = 'not json' WHERE id = '{GROUP}'")).unwrap();
    assert!(db::run_migrations(&mut conn).is_err());
    // Nothing of it was applied: the groups still have their JSON columns.
    conn.batch_execute("SELECT members FROM marking_groups").expect("the old column is still there");
}

#[test]
fn malformed_lists_fail_the_migration_on_sqlite() {
    malformed_lists_fail_the_migration(false);
}

#[test]
fn malformed_lists_fail_the_migration_on_postgres() {
    if postgres_available() {
        malformed_lists_fail_the_migration(true);
    }
}
