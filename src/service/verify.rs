//! `skillmark verify`: every stored result recomputed (`results::verify_results`), every confirmed
//! selection standing recomputed (`selection::verify_standings`), every audit hash chain checked.

use crate::db::DbConn;
use crate::error::ApiResult;
use crate::service::results::{verify_results, VerifyReport};
use crate::service::selection::verify_standings;

/// Everything `skillmark verify` checks, in one report.
pub fn verify(conn: &mut DbConn) -> ApiResult<VerifyReport> {
    let mut report = verify_results(conn)?;
    let (standings, problems) = verify_standings(conn)?;
    report.standings_checked = standings;
    report.problems.extend(problems);
    Ok(report)
}
