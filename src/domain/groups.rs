//! Proposing marking groups that respect recusal (回避): for each sub-criterion, a group of experts
//! such that every entry has enough experts from other delegations to mark it, spreading the work
//! evenly. The chief expert reviews the proposal; nothing here is binding.

use std::collections::HashMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::ids::{DelegationId, EntryId, SubCriterionId, UserId};

/// An expert (`Person<UserId>`) or an entry (`Person<EntryId>`) as the group rules see them: who,
/// and of which delegation.
#[derive(Debug, Clone)]
pub struct Person<Id> {
    pub id: Id,
    pub delegation: DelegationId,
}

/// What one sub-criterion needs: how many non-conflicted experts per entry.
#[derive(Debug, Clone)]
pub struct Need {
    pub sub_criterion: SubCriterionId,
    pub experts_per_entry: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct ProposedGroup {
    pub sub_criterion: SubCriterionId,
    pub members: Vec<UserId>,
}

#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct Uncovered {
    pub sub_criterion: SubCriterionId,
    pub entry_id: EntryId,
    /// How many experts of the group may mark this entry, against how many are needed.
    pub available: usize,
    pub needed: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct Proposal {
    pub groups: Vec<ProposedGroup>,
    /// Entries a group cannot cover without breaking recusal: more experts are needed.
    pub uncovered: Vec<Uncovered>,
}

/// Where a group's members leave the need unmet (see [`uncovered_by`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Short {
    /// The entry short of markers; `None` when there are no entries yet and the count of members
    /// itself falls short.
    pub entry_id: Option<EntryId>,
    /// How many of the members may mark it.
    pub available: usize,
}

/// Where the given members of a sub-criterion's groups leave an entry short of markers: each
/// entry needs `need.experts_per_entry` members who are not of its delegation (recusal), or its
/// sub-criterion can never be complete and locked. With no entries yet, the count of members
/// itself must reach the need.
pub fn uncovered_by(members: &[Person<UserId>], entries: &[Person<EntryId>], need: &Need) -> Vec<Short> {
    if entries.is_empty() {
        return (members.len() < need.experts_per_entry)
            .then_some(Short { entry_id: None, available: members.len() })
            .into_iter()
            .collect();
    }
    entries
        .iter()
        .filter_map(|entry| {
            let available = members.iter().filter(|m| m.delegation != entry.delegation).count();
            (available < need.experts_per_entry).then(|| Short { entry_id: Some(entry.id.clone()), available })
        })
        .collect()
}

/// Greedy: for each sub-criterion, add the expert who lets the most still-short entries gain a
/// marker (ties: the least loaded so far, then id), until every entry is covered or nobody helps.
pub fn propose(experts: &[Person<UserId>], entries: &[Person<EntryId>], needs: &[Need]) -> Proposal {
    let mut load: HashMap<&UserId, usize> = experts.iter().map(|e| (&e.id, 0)).collect();
    let mut groups = Vec::new();
    let mut uncovered = Vec::new();
    for need in needs {
        let mut members: Vec<&Person<UserId>> = Vec::new();
        let available = |members: &[&Person<UserId>], entry: &Person<EntryId>| {
            members.iter().filter(|m| m.delegation != entry.delegation).count()
        };
        loop {
            let short: Vec<&Person<EntryId>> =
                entries.iter().filter(|e| available(&members, e) < need.experts_per_entry).collect();
            if short.is_empty() {
                break;
            }
            let best = experts
                .iter()
                .filter(|x| !members.iter().any(|m| m.id == x.id))
                .map(|x| (short.iter().filter(|e| e.delegation != x.delegation).count(), x))
                .filter(|(gain, _)| *gain > 0)
                .max_by(|(ga, a), (gb, b)| ga.cmp(gb).then(load[&b.id].cmp(&load[&a.id])).then(b.id.cmp(&a.id)));
            match best {
                Some((_, x)) => {
                    *load.get_mut(&x.id).expect("every expert has a load") += 1;
                    members.push(x);
                }
                None => break,
            }
        }
        for e in entries {
            let n = available(&members, e);
            if n < need.experts_per_entry {
                uncovered.push(Uncovered {
                    sub_criterion: need.sub_criterion.clone(),
                    entry_id: e.id.clone(),
                    available: n,
                    needed: need.experts_per_entry,
                });
            }
        }
        let mut ids: Vec<UserId> = members.iter().map(|m| m.id.clone()).collect();
        ids.sort();
        groups.push(ProposedGroup { sub_criterion: need.sub_criterion.clone(), members: ids });
    }
    Proposal { groups, uncovered }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// People whose ids sort in the order given, of the delegations numbered.
    fn people<Id: From<uuid::Uuid>>(delegations: &[u8]) -> Vec<Person<Id>> {
        delegations
            .iter()
            .enumerate()
            .map(|(i, d)| Person { id: uuid(i as u128 + 1).into(), delegation: delegation(*d) })
            .collect()
    }

    fn uuid(n: u128) -> uuid::Uuid {
        uuid::Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 | n)
    }

    fn delegation(d: u8) -> DelegationId {
        uuid(0x1_0000 + u128::from(d)).into()
    }

    fn a1() -> SubCriterionId {
        "A1".parse().unwrap()
    }

    #[test]
    fn every_entry_gets_enough_markers_from_other_delegations() {
        // One expert and one entry per delegation, as at most events.
        let experts: Vec<Person<UserId>> = people(&[1, 2, 3, 4, 5, 6]);
        let entries: Vec<Person<EntryId>> = people(&[1, 2, 3, 4, 5, 6]);
        let needs = [
            Need { sub_criterion: a1(), experts_per_entry: 3 },
            Need { sub_criterion: "B1".parse().unwrap(), experts_per_entry: 3 },
        ];
        let p = propose(&experts, &entries, &needs);
        assert!(p.uncovered.is_empty());
        for g in &p.groups {
            assert_eq!(g.members.len(), 4, "three markers plus one for the entry of each member's own delegation");
        }
        // The load is spread: the second group uses the experts the first did not need.
        let both: usize = experts.iter().filter(|x| p.groups.iter().all(|g| g.members.contains(&x.id))).count();
        assert!(both <= 2, "{p:?}");
    }

    #[test]
    fn too_few_experts_are_reported_not_hidden() {
        let experts: Vec<Person<UserId>> = people(&[1, 2]);
        let entries: Vec<Person<EntryId>> = people(&[1, 2, 3]);
        let p = propose(&experts, &entries, &[Need { sub_criterion: a1(), experts_per_entry: 3 }]);
        let short: Vec<(&EntryId, usize)> = p.uncovered.iter().map(|u| (&u.entry_id, u.available)).collect();
        assert_eq!(short, [(&entries[0].id, 1), (&entries[1].id, 1), (&entries[2].id, 2)]);
    }

    proptest! {
        #[test]
        fn proposals_never_count_conflicted_experts(
            xd in proptest::collection::vec(0u8..8, 1..25),
            ed in proptest::collection::vec(0u8..8, 1..25),
            need in 1usize..=5,
        ) {
            let experts: Vec<Person<UserId>> = people(&xd);
            let entries: Vec<Person<EntryId>> = people(&ed);
            let p = propose(&experts, &entries, &[Need { sub_criterion: a1(), experts_per_entry: need }]);
            let group = &p.groups[0];
            for e in &entries {
                let ok = group.members.iter().filter(|m| experts.iter().any(|x| &x.id == *m && x.delegation != e.delegation)).count();
                let reported = p.uncovered.iter().any(|u| u.entry_id == e.id);
                prop_assert_eq!(reported, ok < need);
                // Short only when every expert who could mark it is in the group already.
                let pool = experts.iter().filter(|x| x.delegation != e.delegation).count();
                if reported {
                    prop_assert_eq!(ok, pool);
                }
            }
        }
    }

    #[test]
    fn members_that_cannot_reach_the_judge_count_for_an_entry_are_reported() {
        let need = Need { sub_criterion: a1(), experts_per_entry: 3 };
        // Delegations 1 (SH), 2 (BJ), 3 (GD), 4 (TJ).
        let members: Vec<Person<UserId>> = people(&[1, 2, 3]);
        let entries: Vec<Person<EntryId>> = people(&[1, 4]);
        let short = uncovered_by(&members, &entries, &need);
        assert_eq!(
            short,
            [Short { entry_id: Some(entries[0].id.clone()), available: 2 }],
            "the SH judge is recused from SH's entry: two of three"
        );
        assert_eq!(
            uncovered_by(&members[..2], &[], &need),
            [Short { entry_id: None, available: 2 }],
            "no entries yet: the count itself"
        );
        assert!(uncovered_by(&members, &[], &need).is_empty());
    }
}
