//! Roles and their scopes. A role is held within one scope: an organiser for an event, a chief
//! expert or expert for a skill (an expert also belongs to a delegation, for recusal), a team
//! leader for a delegation, a competitor for an entry. An admin holds the whole system.

use crate::domain::ids::{DelegationId, EntryId, EventId, ScopeId, SkillId};

text_enum! {
    pub enum Role {
        Admin,
        Organiser,
        ChiefExpert,
        Expert,
        TeamLeader,
        Competitor,
    }
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::Admin, Role::Organiser, Role::ChiefExpert, Role::Expert, Role::TeamLeader, Role::Competitor];

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

/// A role held in a scope, checked for shape: scoped roles have a scope, the admin has none,
/// an expert names their delegation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleGrant {
    pub role: Role,
    pub scope_id: Option<ScopeId>,
    pub delegation_id: Option<DelegationId>,
}

type Refusal = (&'static str, String);

impl RoleGrant {
    /// Returns the grant, or the field that is wrong and why.
    pub fn new(role: Role, scope_id: Option<ScopeId>, delegation_id: Option<DelegationId>) -> Result<Self, Refusal> {
        Self::check_scope(role, scope_id.is_some())?;
        Self::check_delegation(role, delegation_id.is_some())?;
        Ok(Self { role, scope_id, delegation_id })
    }

    /// The grant a request names with its ids as text (blank is absent), or the field that is
    /// wrong and why: what the role takes is checked before whether an id is a UUID.
    pub fn parse(role: Role, scope_id: Option<&str>, delegation_id: Option<&str>) -> Result<Self, Refusal> {
        fn id<T: std::str::FromStr>(field: &'static str, text: Option<&str>) -> Result<Option<T>, Refusal> {
            text.map(|s| s.parse().map_err(|_| (field, "must be a UUID".to_string()))).transpose()
        }
        fn given(s: Option<&str>) -> Option<&str> {
            s.map(str::trim).filter(|s| !s.is_empty())
        }
        let (scope_id, delegation_id) = (given(scope_id), given(delegation_id));
        Self::check_scope(role, scope_id.is_some())?;
        let scope_id = id("scope_id", scope_id)?;
        Self::check_delegation(role, delegation_id.is_some())?;
        let delegation_id = id("delegation_id", delegation_id)?;
        Ok(Self { role, scope_id, delegation_id })
    }

    fn check_scope(role: Role, given: bool) -> Result<(), Refusal> {
        match (role.scope_kind(), given) {
            (None, true) => Err(("scope_id", format!("{role} is not scoped; leave scope_id empty"))),
            (Some(kind), false) => Err(("scope_id", format!("{role} needs the id of its {kind}"))),
            _ => Ok(()),
        }
    }

    fn check_delegation(role: Role, given: bool) -> Result<(), Refusal> {
        match (role, given) {
            (Role::Expert, false) => Err(("delegation_id", "an expert belongs to a delegation (for recusal)".into())),
            (Role::Admin | Role::Organiser | Role::TeamLeader | Role::Competitor, true) => {
                Err(("delegation_id", format!("{role} takes no delegation_id")))
            }
            _ => Ok(()),
        }
    }
}

/// A role the caller holds, with its scope typed by the role: read once from the stored role
/// assignments when a request is authenticated, then asked instead of comparing role names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    Admin,
    Organiser(EventId),
    /// A chief expert of a skill, perhaps from a delegation (for recusal).
    ChiefExpert(SkillId, Option<DelegationId>),
    /// An expert of a skill, from a delegation (for recusal).
    Expert(SkillId, Option<DelegationId>),
    TeamLeader(DelegationId),
    Competitor(EntryId),
}

impl Grant {
    /// The grant of a stored assignment; `None` when a scoped role has no scope (never stored so).
    pub fn of(role: Role, scope: Option<&ScopeId>, delegation: Option<DelegationId>) -> Option<Grant> {
        Some(match (role, scope.map(ScopeId::uuid)) {
            (Role::Admin, _) => Grant::Admin,
            (Role::Organiser, Some(s)) => Grant::Organiser(s.into()),
            (Role::ChiefExpert, Some(s)) => Grant::ChiefExpert(s.into(), delegation),
            (Role::Expert, Some(s)) => Grant::Expert(s.into(), delegation),
            (Role::TeamLeader, Some(s)) => Grant::TeamLeader(s.into()),
            (Role::Competitor, Some(s)) => Grant::Competitor(s.into()),
            (_, None) => return None,
        })
    }

    pub fn role(&self) -> Role {
        match self {
            Grant::Admin => Role::Admin,
            Grant::Organiser(_) => Role::Organiser,
            Grant::ChiefExpert(..) => Role::ChiefExpert,
            Grant::Expert(..) => Role::Expert,
            Grant::TeamLeader(_) => Role::TeamLeader,
            Grant::Competitor(_) => Role::Competitor,
        }
    }

    /// The id the role is held in (`None` for the admin).
    pub fn scope(&self) -> Option<ScopeId> {
        let id = match self {
            Grant::Admin => return None,
            Grant::Organiser(id) => id.uuid(),
            Grant::ChiefExpert(id, _) | Grant::Expert(id, _) => id.uuid(),
            Grant::TeamLeader(id) => id.uuid(),
            Grant::Competitor(id) => id.uuid(),
        };
        Some(id.into())
    }
}

/// Everything a caller holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grants(Vec<Grant>);

impl Grants {
    pub fn new(grants: Vec<Grant>) -> Self {
        Self(grants)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Grant> {
        self.0.iter()
    }

    pub fn has(&self, role: Role) -> bool {
        self.0.iter().any(|g| g.role() == role)
    }

    pub fn is_admin(&self) -> bool {
        self.has(Role::Admin)
    }

    pub fn organises(&self, event: &EventId) -> bool {
        self.0.iter().any(|g| matches!(g, Grant::Organiser(e) if e == event))
    }

    /// The events the caller organises.
    pub fn organised(&self) -> Vec<EventId> {
        self.0.iter().filter_map(|g| if let Grant::Organiser(e) = g { Some(e.clone()) } else { None }).collect()
    }

    /// The skills in which the caller is chief expert.
    pub fn chief_of(&self) -> Vec<SkillId> {
        self.0.iter().filter_map(|g| if let Grant::ChiefExpert(s, _) = g { Some(s.clone()) } else { None }).collect()
    }

    /// The skills in which the caller is expert or chief expert.
    pub fn skills(&self) -> Vec<SkillId> {
        self.0
            .iter()
            .filter_map(|g| match g {
                Grant::Expert(s, _) | Grant::ChiefExpert(s, _) => Some(s.clone()),
                _ => None,
            })
            .collect()
    }

    /// The delegations the caller leads.
    pub fn delegations(&self) -> Vec<DelegationId> {
        self.0.iter().filter_map(|g| if let Grant::TeamLeader(d) = g { Some(d.clone()) } else { None }).collect()
    }

    /// The ids every grant but the organiser's is held in (skills, delegations, entries).
    pub fn scopes_in_events(&self) -> Vec<ScopeId> {
        self.0.iter().filter(|g| !matches!(g, Grant::Organiser(_))).filter_map(Grant::scope).collect()
    }

    /// The scopes in which the caller holds `role`.
    pub fn scopes(&self, role: Role) -> Vec<ScopeId> {
        self.0.iter().filter(|g| g.role() == role).filter_map(Grant::scope).collect()
    }

    /// Whether the caller speaks for a delegation somewhere (team leader or competitor).
    pub fn is_delegate(&self) -> bool {
        self.has(Role::TeamLeader) || self.has(Role::Competitor)
    }

    /// The delegation the caller is an expert of in `skill`, if any.
    pub fn expert_delegation(&self, skill: &SkillId) -> Option<DelegationId> {
        self.0.iter().find_map(|g| match g {
            Grant::Expert(s, d) | Grant::ChiefExpert(s, d) if s == skill => d.clone(),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "01936f0e-8b7a-7cc2-9a4e-3b0b6a2f4d11";

    #[test]
    fn role_names_round_trip() {
        let stored = ["admin", "organiser", "chief_expert", "expert", "team_leader", "competitor"];
        for (r, text) in Role::ALL.into_iter().zip(stored) {
            assert_eq!((r.to_string().as_str(), r.as_str()), (text, text));
            assert_eq!(text.parse::<Role>(), Ok(r));
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{text}\""));
        }
        assert!("superuser".parse::<Role>().is_err());
    }

    #[test]
    fn grants_are_typed_by_their_role() {
        let skill: ScopeId = ID.parse().unwrap();
        let delegation: DelegationId = ID.parse().unwrap();
        assert_eq!(Grant::of(Role::Organiser, None, None), None, "a scoped role without a scope grants nothing");
        let grants = Grants::new(vec![
            Grant::of(Role::ChiefExpert, Some(&skill), Some(delegation.clone())).unwrap(),
            Grant::of(Role::Organiser, Some(&skill), None).unwrap(),
        ]);
        let skill_id: SkillId = ID.parse().unwrap();
        assert_eq!(grants.chief_of(), vec![skill_id.clone()]);
        assert_eq!(grants.skills(), vec![skill_id.clone()]);
        assert_eq!(grants.expert_delegation(&skill_id), Some(delegation));
        assert!(grants.organises(&ID.parse().unwrap()) && !grants.is_admin());
        assert_eq!(grants.scopes_in_events(), vec![skill]);
        assert_eq!(grants.scopes(Role::Organiser).len(), 1);
        assert!(!grants.is_delegate());
        let leader = Grants::new(vec![Grant::TeamLeader(ID.parse().unwrap())]);
        assert!(leader.is_delegate() && leader.delegations().len() == 1 && leader.skills().is_empty());
        assert!(Grants::new(vec![Grant::Competitor(ID.parse().unwrap())]).is_delegate());
    }

    #[test]
    fn grants_need_the_right_scope() {
        let id = || Some(ID.parse().unwrap());
        let delegation = || Some(ID.parse().unwrap());
        assert!(RoleGrant::new(Role::Admin, None, None).is_ok());
        assert_eq!(RoleGrant::new(Role::Admin, id(), None).unwrap_err().0, "scope_id");
        assert_eq!(RoleGrant::new(Role::Organiser, None, None).unwrap_err().0, "scope_id");
        assert!(RoleGrant::new(Role::Organiser, id(), None).is_ok());
        assert_eq!(RoleGrant::new(Role::Expert, id(), None).unwrap_err().0, "delegation_id");
        assert!(RoleGrant::new(Role::Expert, id(), delegation()).is_ok());
        assert_eq!(RoleGrant::new(Role::TeamLeader, id(), delegation()).unwrap_err().0, "delegation_id");
    }

    #[test]
    fn requested_grants_are_parsed_from_text() {
        assert_eq!(
            RoleGrant::parse(Role::Organiser, Some("x"), None).unwrap_err(),
            ("scope_id", "must be a UUID".into())
        );
        assert_eq!(RoleGrant::parse(Role::Expert, Some(ID), Some("x")).unwrap_err().0, "delegation_id");
        let what_first = RoleGrant::parse(Role::Admin, Some("x"), None).unwrap_err().1;
        assert!(what_first.contains("not scoped"), "the role's shape is checked first: {what_first}");
        let grant = RoleGrant::parse(Role::Expert, Some(&format!(" {ID} ")), Some(ID)).unwrap();
        assert_eq!(grant.scope_id.map(|s| s.to_string()).as_deref(), Some(ID));
        // Blank strings count as absent.
        assert!(RoleGrant::parse(Role::Admin, Some("  "), Some("")).is_ok());
    }
}
