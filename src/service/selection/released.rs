//! The printable team list, and the lists released to a caller (the team leaders' screen and the public index).

use super::*;

/// The national team as a printable document (member and alternate per skill, Chinese names),
/// for whoever may see the team list.
pub fn team_document(
    conn: &mut DbConn,
    roles: &Grants,
    programme_id: &ProgrammeId,
) -> ApiResult<crate::formats::pdf::TeamDocument> {
    use crate::formats::pdf::{TeamDocument, TeamLine, TeamSkill};
    let list = team(conn, Some(roles), programme_id)?;
    let mut skills: Vec<TeamSkill> = Vec::new();
    for l in list.lines {
        let title = format!("{} {} {}", l.skill_number, l.skill_name_zh, l.skill_name_en);
        if skills.last().is_none_or(|s| s.title != title) {
            skills.push(TeamSkill { title: title.clone(), rows: Vec::new() });
        }
        let place = match l.place {
            Some(TeamPlace::Member) => "正式选手 Member",
            Some(TeamPlace::Alternate) => "替补 Alternate",
            None => "",
        };
        let line = TeamLine {
            place: place.into(),
            competitors: l.competitors.join("、"),
            delegation: format!("{} {}", l.delegation_code, l.delegation_name_zh),
            standing: l.standing,
        };
        skills.last_mut().expect("pushed above").rows.push(line);
    }
    let today = now().date();
    Ok(TeamDocument {
        programme: list.programme_name,
        subtitle: format!("国家队名单 National team · {} ({})", list.target_competition, list.target_year),
        skills,
        date: format!("日期 Date：{} · {}", today.format("%Y年%-m月%-d日"), today.format("%-d %B %Y")),
        signatures: vec![
            "制表人 Prepared by".into(),
            "审核人 Checked by".into(),
            "批准人（盖章）Approved by (seal)".into(),
        ],
    })
}

/// A stage whose squad list the caller may see.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReleasedStage {
    pub stage_id: StageId,
    pub position: i32,
    pub event_name: String,
    pub audience: Audience,
}

/// A programme with the lists released to the caller: its stages' squad lists and the team list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReleasedProgramme {
    pub programme_id: ProgrammeId,
    pub programme_name: String,
    pub target_competition: String,
    pub target_year: i32,
    /// The events of all its stages (a team leader's screen shows the programmes of its event).
    pub event_ids: Vec<EventId>,
    /// The stages whose squad list is released to the caller, in order.
    pub stages: Vec<ReleasedStage>,
    /// Who sees the team list, when it is released to the caller; otherwise absent.
    pub team_audience: Option<Audience>,
}

/// The programmes with a squad or team list released to the caller (`roles: None`: released to
/// the public). Lists only released ones, even to the programme's organisers.
pub fn released_lists(conn: &mut DbConn, roles: Option<&Grants>) -> ApiResult<Vec<ReleasedProgramme>> {
    let mut out = Vec::new();
    for programme in repo::selection::list_programmes(conn)? {
        let stages = repo::selection::stages_of(conn, &programme.id)?;
        let mut released = Vec::new();
        for stage in &stages {
            if stage.audience >= Audience::Delegations && may_see(conn, roles, &stages, stage.audience)? {
                released.push(ReleasedStage {
                    stage_id: stage.id.clone(),
                    position: stage.position,
                    event_name: event_row(conn, &stage.event_id)?.name,
                    audience: stage.audience,
                });
            }
        }
        let team_audience = programme.team_audience;
        let team_released = team_audience >= Audience::Delegations && may_see(conn, roles, &stages, team_audience)?;
        if released.is_empty() && !team_released {
            continue;
        }
        out.push(ReleasedProgramme {
            programme_id: programme.id.clone(),
            programme_name: programme.name.clone(),
            target_competition: programme.target_competition.clone(),
            target_year: programme.target_year,
            event_ids: stages.iter().map(|s| s.event_id.clone()).collect(),
            stages: released,
            team_audience: team_released.then_some(team_audience),
        });
    }
    Ok(out)
}
