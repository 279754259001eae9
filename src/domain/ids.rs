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
    ALL_WHATS.iter().chain(PATH_WHATS).copied().find(|w| message.contains(&format!("invalid {w} id: ")))
}

/// What a path names when it is not its id's row, as "published results" for an event's or a
/// skill's public results: a malformed id there is refused as "<that> not found".
pub trait PathWhat {
    const WHAT: &'static str;
}

/// The public results of an event or skill.
#[derive(Debug)]
pub enum PublishedResults {}
impl PathWhat for PublishedResults {
    const WHAT: &'static str = "published results";
}

/// A skill's closing ceremony.
#[derive(Debug)]
pub enum Ceremony {}
impl PathWhat for Ceremony {
    const WHAT: &'static str = "ceremony";
}

const PATH_WHATS: &[&str] = &[PublishedResults::WHAT, Ceremony::WHAT];

/// An id `T` in a path that names `W` (see [`PathWhat`]).
#[derive(Debug)]
pub struct IdOf<W, T>(pub T, std::marker::PhantomData<W>);

impl<W, T> IdOf<W, T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<'de, W: PathWhat, T: FromStr<Err = uuid::Error>> Deserialize<'de> for IdOf<W, T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        raw.parse()
            .map(|id| Self(id, std::marker::PhantomData))
            .map_err(|e| serde::de::Error::custom(invalid(W::WHAT, e)))
    }
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
    /// What an audit record is about: a user, event, skill, delegation, entry, competitor,
    /// dispute… (its `target_type` says which).
    TargetId => "audit target";
}

/// Every id converts to the generic ids that may name any of them (a role's scope, an audit
/// record's target), keeping its UUID.
macro_rules! generic_from {
    ($($name:ident),*) => {$(
        impl From<&$name> for ScopeId {
            fn from(id: &$name) -> Self {
                Self(id.0)
            }
        }
        impl From<&$name> for TargetId {
            fn from(id: &$name) -> Self {
                Self(id.0)
            }
        }
    )*};
}

/// Calls the macro `$m` with the ids of things of their own, those a role's scope or an audit
/// record's target may name: one list for every macro that implements something for each of them.
macro_rules! for_each_thing_id {
    ($m:ident) => {
        $m!(
            UserId,
            EventId,
            SkillId,
            DelegationId,
            EntryId,
            CompetitorId,
            ExpertId,
            DrawId,
            GroupId,
            MarkId,
            DisputeId,
            ProgrammeId,
            StageId
        );
    };
}
pub(crate) use for_each_thing_id;

for_each_thing_id!(generic_from);

/// Declares text keys that are not UUIDs but still have a grammar: each wraps the validated text,
/// prints it unchanged, and is refused on the way in (`FromStr`, `Deserialize`) when malformed.
macro_rules! keys {
    ($($(#[$doc:meta])* $name:ident => $what:literal, $ok:expr;)*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, utoipa::ToSchema)]
            #[serde(transparent)]
            #[schema(value_type = String)]
            pub struct $name(String);

            impl $name {
                pub fn as_str(&self) -> &str {
                    &self.0
                }
            }

            impl fmt::Display for $name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str(&self.0)
                }
            }

            impl FromStr for $name {
                type Err = String;
                fn from_str(s: &str) -> Result<Self, Self::Err> {
                    let ok: fn(&str) -> bool = $ok;
                    if ok(s) {
                        Ok(Self(s.to_string()))
                    } else {
                        Err(format!("{s:?} is not a valid {}", $what))
                    }
                }
            }

            impl<'de> Deserialize<'de> for $name {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    let raw = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                    raw.parse().map_err(serde::de::Error::custom)
                }
            }

            impl std::borrow::Borrow<str> for $name {
                fn borrow(&self) -> &str {
                    &self.0
                }
            }

            impl PartialEq<str> for $name {
                fn eq(&self, other: &str) -> bool {
                    self.0 == other
                }
            }

            impl From<$name> for String {
                fn from(key: $name) -> String {
                    key.0
                }
            }
        )*
    };
}

keys! {
    /// A sub-criterion of a marking scheme, as the scheme names it (`A1`): 1 to 64 characters, no
    /// control characters. The scheme's own grammar (`scheme::Scheme::problems`) holds once it is
    /// frozen; a draft's groups may already name its sub-criteria, so the key is not held to it.
    SubCriterionId => "sub-criterion id", |s| (1..=64).contains(&s.len()) && !s.chars().any(char::is_control);
    /// The id a marking client gives a mark so that sending it again is harmless: 1 to 64
    /// characters of the client's choosing.
    ClientMarkId => "client_id", |s| (1..=64).contains(&s.len());
    /// An aspect of a marking scheme: its sub-criterion and its number there from 1 (`A1.2`), as
    /// `scheme::Scheme::aspect` reads it.
    AspectKey => "aspect key", |s| s.split_once('.').is_some_and(|(sub, n)| {
        sub.parse::<SubCriterionId>().is_ok() && n.parse::<usize>().is_ok()
    });
}

impl AspectKey {
    /// The key of aspect `number` (from 1) of the scheme's sub-criterion `sub` (its id).
    pub fn new(sub: &str, number: usize) -> Self {
        Self(format!("{sub}.{number}"))
    }
}

/// A UUID's text is a client id (what the demo and our own tablets generate).
impl From<Uuid> for ClientMarkId {
    fn from(u: Uuid) -> Self {
        Self(u.to_string())
    }
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
        let err = serde_json::from_str::<IdOf<Ceremony, SkillId>>("\"x\"").unwrap_err().to_string();
        assert_eq!(what_of_invalid(&err), Some("ceremony"));
        assert!(serde_json::from_str::<IdOf<Ceremony, SkillId>>(&format!("\"{id}\"")).is_ok_and(|p| p.0 == id));
    }

    #[test]
    fn keys_keep_their_grammar() {
        for ok in ["A1", "B12", "ZZ999"] {
            assert_eq!(ok.parse::<SubCriterionId>().unwrap().as_str(), ok);
        }
        for bad in ["", "A\n1", &"A".repeat(65)] {
            assert!(bad.parse::<SubCriterionId>().is_err(), "{bad}");
        }
        assert!("x".repeat(64).parse::<ClientMarkId>().is_ok());
        assert!("x".repeat(65).parse::<ClientMarkId>().is_err());
        assert!("".parse::<ClientMarkId>().is_err());
        assert_eq!("A1.2".parse::<AspectKey>().unwrap(), AspectKey::new("A1", 2));
        for bad in ["A1", "A1.", ".2", "A1.x", "A1.-1"] {
            assert!(bad.parse::<AspectKey>().is_err(), "{bad}");
        }
    }
}
