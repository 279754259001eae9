//! Results: computed live from locked marks for the chief expert (draft), frozen by the chief
//! expert's ratification, released by organisers to widening audiences (experts → delegations →
//! public, now or at a set time), final after the public-notice period unless disputed. Before
//! release nobody but organisers and the skill's chief experts learns anything: other callers get
//! the same answer whether or not results exist.

mod disputes;
mod export;
mod mail;
mod public;
mod publish;
mod ratify;
mod record;
mod released;
mod rules;
mod snapshot;
mod status;
mod verify;

pub use self::disputes::{disputes, file_dispute, resolve_dispute, DisputeView};
pub use self::export::{certificates, export, results_document, ExportKind};
pub use self::mail::{mail_report, MailFailure, MailReport};
pub use self::public::{
    ceremony_view, public_event, public_events, tables_of, BestEntry, CeremonyMedal, CeremonyView, DelegationStanding,
    PublicEvent, PublicEventResults, PublicEventSummary, PublicLine, PublicSkill, PublicTables,
};
pub use self::publish::{apply_due, ceremony, publish, unschedule, Released};
pub use self::ratify::ratify;
pub use self::released::{
    entry_outline, entry_result, published, AspectLine, EntryOutline, EntryResultView, ModuleName,
};
pub use self::rules::{rules, save_rules};
pub use self::snapshot::{compute, skill_results, LiveResults, PartScore, ResultLine, SkillSnapshot};
pub(crate) use self::status::status_with;
pub use self::status::{statuses, SkillStatus};
pub use self::verify::{verify_results, VerifyReport};
