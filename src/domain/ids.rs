//! Ids: one type per table, so that a skill id cannot be passed where an entry id is meant.
//! Every id is a UUID (v7 when we make it). On the wire it is the UUID's text (serde
//! transparent); in the database it is stored as TEXT (the diesel impls live in `db::sql`).
//! Parsing is the only way in: a value of one of these types is always a well-formed UUID.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Declares the id newtypes: each wraps a `Uuid`, prints and parses as its hyphenated text, and
/// knows what it names (`WHAT`, for "… not found").
macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident => $what:literal;)*) => {
        $(
            $(#[$doc])*
            #[derive(
                Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, utoipa::ToSchema,
            )]
            #[serde(transparent)]
            #[schema(value_type = String, format = Uuid)]
            pub struct $name(Uuid);

            impl $name {
                /// What the id names, as in "skill not found".
                pub const WHAT: &'static str = $what;

                /// A new time-ordered id (UUIDv7).
                pub fn new() -> Self {
                    Self(Uuid::now_v7())
                }

                pub fn uuid(&self) -> Uuid {
                    self.0
                }
            }

            impl Default for $name {
                fn default() -> Self {
                    Self::new()
                }
            }

            impl From<Uuid> for $name {
                fn from(u: Uuid) -> Self {
                    Self(u)
                }
            }

            impl From<$name> for Uuid {
                fn from(id: $name) -> Uuid {
                    id.0
                }
            }

            impl fmt::Display for $name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    fmt::Display::fmt(&self.0.hyphenated(), f)
                }
            }

            impl FromStr for $name {
                type Err = uuid::Error;
                fn from_str(s: &str) -> Result<Self, Self::Err> {
                    Uuid::parse_str(s).map(Self)
                }
            }

            /// Refuses anything but a UUID with "invalid <what> id", which `api` turns into 404.
            impl<'de> Deserialize<'de> for $name {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    let raw = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                    raw.parse().map_err(|e| serde::de::Error::custom(invalid(Self::WHAT, e)))
                }
            }

            impl TryFrom<String> for $name {
                type Error = uuid::Error;
                fn try_from(s: String) -> Result<Self, Self::Error> {
                    s.parse()
                }
            }

            impl From<$name> for String {
                fn from(id: $name) -> String {
                    id.to_string()
                }
            }
        )*

        /// What each kind of id names: a path whose id is malformed is refused as "… not found".
        pub const ALL_WHATS: &[&str] = &[$($what),*];
    };
}

/// The message of a malformed id (see `what_of_invalid`).
fn invalid(what: &str, e: uuid::Error) -> String {
    format!("invalid {what} id: {e}")
}

/// What a malformed id's parse error (from `Deserialize`) named.
pub fn what_of_invalid(message: &str) -> Option<&'static str> {
    ALL_WHATS.iter().copied().find(|w| message.contains(&format!("invalid {w} id: ")))
}

ids! {
    UserId => "user";
    RoleAssignmentId => "role assignment";
    RefreshTokenId => "refresh token";
    /// The chain of refresh tokens one sign-in rotates through.
    TokenFamilyId => "session";
    OneTimeTokenId => "token";
    AuditId => "audit record";
    EventId => "event";
    SkillId => "skill";
    DelegationId => "delegation";
    EntryId => "entry";
    CompetitorId => "competitor";
    ExpertId => "expert";
    DrawId => "draw";
    GroupId => "marking group";
    MarkId => "mark";
    DisputeId => "dispute";
    MailId => "mail";
    /// A selection programme (选拔 → 集训 → 国家队).
    ProgrammeId => "selection programme";
    /// One stage of a selection programme.
    StageId => "selection stage";
    /// What a role is held in: an event, skill, delegation or entry, by the role (`role::Grant`).
    ScopeId => "scope";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_and_print_their_uuid() {
        let id = SkillId::new();
        assert_eq!(id.to_string().parse::<SkillId>().unwrap(), id);
        let upper = "0193A5C6-7E7A-7000-8000-00000000000A";
        assert_eq!(upper.parse::<EntryId>().unwrap().to_string(), upper.to_lowercase());
        assert!("not-a-uuid".parse::<EventId>().is_err());
        assert!(EventId::try_from(String::new()).is_err());
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{id}\""));
        assert_eq!(serde_json::from_str::<SkillId>(&format!("\"{id}\"")).unwrap(), id);
        let err = serde_json::from_str::<SkillId>("\"x\"").unwrap_err().to_string();
        assert_eq!(what_of_invalid(&err), Some("skill"));
    }
}
