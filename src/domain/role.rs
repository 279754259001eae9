//! Roles and their scopes. A role is held within one scope: an organiser for an event, a chief
//! expert or expert for a skill (an expert also belongs to a delegation, for recusal), a team
//! leader for a delegation, a competitor for an entry. An admin holds the whole system.

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Organiser,
    ChiefExpert,
    Expert,
    TeamLeader,
    Competitor,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::Admin, Role::Organiser, Role::ChiefExpert, Role::Expert, Role::TeamLeader, Role::Competitor];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Organiser => "organiser",
            Role::ChiefExpert => "chief_expert",
            Role::Expert => "expert",
            Role::TeamLeader => "team_leader",
            Role::Competitor => "competitor",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    /// What the role's `scope_id` names, or `None` for a system-wide role.
    pub fn scope_kind(self) -> Option<&'static str> {
        match self {
            Role::Admin => None,
            Role::Organiser => Some("event"),
            Role::ChiefExpert | Role::Expert => Some("skill"),
            Role::TeamLeader => Some("delegation"),
            Role::Competitor => Some("entry"),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role held in a scope, checked for shape: scoped roles have a scope, the admin has none,
/// an expert names their delegation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleGrant {
    pub role: Role,
    pub scope_id: Option<String>,
    pub delegation_id: Option<String>,
}

impl RoleGrant {
    /// Returns the grant, or the field that is wrong and why.
    pub fn new(
        role: Role,
        scope_id: Option<String>,
        delegation_id: Option<String>,
    ) -> Result<Self, (&'static str, String)> {
        let scope_id = scope_id.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let delegation_id = delegation_id.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        match (role.scope_kind(), &scope_id) {
            (None, Some(_)) => return Err(("scope_id", format!("{role} is not scoped; leave scope_id empty"))),
            (Some(kind), None) => return Err(("scope_id", format!("{role} needs the id of its {kind}"))),
            _ => {}
        }
        if let Some(id) = &scope_id {
            if uuid::Uuid::parse_str(id).is_err() {
                return Err(("scope_id", "must be a UUID".into()));
            }
        }
        match (role, &delegation_id) {
            (Role::Expert, None) => {
                return Err(("delegation_id", "an expert belongs to a delegation (for recusal)".into()))
            }
            (Role::Expert | Role::ChiefExpert, Some(id)) if uuid::Uuid::parse_str(id).is_err() => {
                return Err(("delegation_id", "must be a UUID".into()))
            }
            (Role::Admin | Role::Organiser | Role::TeamLeader | Role::Competitor, Some(_)) => {
                return Err(("delegation_id", format!("{role} takes no delegation_id")))
            }
            _ => {}
        }
        Ok(Self { role, scope_id, delegation_id })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "01936f0e-8b7a-7cc2-9a4e-3b0b6a2f4d11";

    #[test]
    fn role_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{}\"", r.as_str()));
        }
        assert_eq!(Role::parse("superuser"), None);
    }

    #[test]
    fn grants_need_the_right_scope() {
        assert!(RoleGrant::new(Role::Admin, None, None).is_ok());
        assert_eq!(RoleGrant::new(Role::Admin, Some(ID.into()), None).unwrap_err().0, "scope_id");
        assert_eq!(RoleGrant::new(Role::Organiser, None, None).unwrap_err().0, "scope_id");
        assert_eq!(RoleGrant::new(Role::Organiser, Some("x".into()), None).unwrap_err().0, "scope_id");
        assert!(RoleGrant::new(Role::Organiser, Some(ID.into()), None).is_ok());
        assert_eq!(RoleGrant::new(Role::Expert, Some(ID.into()), None).unwrap_err().0, "delegation_id");
        assert!(RoleGrant::new(Role::Expert, Some(ID.into()), Some(ID.into())).is_ok());
        assert_eq!(RoleGrant::new(Role::TeamLeader, Some(ID.into()), Some(ID.into())).unwrap_err().0, "delegation_id");
        // Blank strings count as absent.
        assert!(RoleGrant::new(Role::Admin, Some("  ".into()), Some("".into())).is_ok());
    }
}
