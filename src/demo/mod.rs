//! `skillmark demo`: a realistic national selection event (46 delegations, 50 skills, about 900
//! competitors, experts and chief experts), generated deterministically from a seed so a newcomer
//! sees a full system at once. Written with the same repo functions as real registrations.

use chrono::{Datelike, Duration, NaiveDate};
use rand::rngs::ChaCha20Rng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{RngExt, SeedableRng};
use serde_json::json;

use crate::auth::password;
use crate::auth::tokens::random_token;
use crate::db::models::{
    new_id, now, CompetitorRow, DelegationRow, EntryRow, EventRow, ExpertRow, GroupRow, LockRow, MarkRow, RoleRow,
    SchemeRow, SkillRow, StoredDraw, StoredGroup, UserRow,
};
use crate::db::{write_tx, DbConn};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::draw;
use crate::domain::event::EventStatus;
use crate::domain::ids::{AspectKey, DelegationId, EntryId, EventId, ScopeId, SkillId, SubCriterionId, UserId};
use crate::domain::registration::{DelegationKind, EntryStatus, ExpertPosition, Gender, JudgementMode};
use crate::domain::role::Role;
use crate::domain::scheme::{
    format_hundredths, Aspect, AspectType, Criterion, MarkInputKind, Measurement, Scheme, SchemeStatus, SubCriterion,
};
use crate::error::{ApiError, ErrorCode};
use crate::repo;
use crate::repo::audit::{AuditContext, Change};

mod selection;

/// (code, Chinese name, English name, kind)
const DELEGATIONS: [(&str, &str, &str, DelegationKind); 46] = [
    ("BJ", "北京", "Beijing", DelegationKind::Region),
    ("TJ", "天津", "Tianjin", DelegationKind::Region),
    ("HE", "河北", "Hebei", DelegationKind::Region),
    ("SX", "山西", "Shanxi", DelegationKind::Region),
    ("NM", "内蒙古", "Inner Mongolia", DelegationKind::Region),
    ("LN", "辽宁", "Liaoning", DelegationKind::Region),
    ("JL", "吉林", "Jilin", DelegationKind::Region),
    ("HL", "黑龙江", "Heilongjiang", DelegationKind::Region),
    ("SH", "上海", "Shanghai", DelegationKind::Region),
    ("JS", "江苏", "Jiangsu", DelegationKind::Region),
    ("ZJ", "浙江", "Zhejiang", DelegationKind::Region),
    ("AH", "安徽", "Anhui", DelegationKind::Region),
    ("FJ", "福建", "Fujian", DelegationKind::Region),
    ("JX", "江西", "Jiangxi", DelegationKind::Region),
    ("SD", "山东", "Shandong", DelegationKind::Region),
    ("HA", "河南", "Henan", DelegationKind::Region),
    ("HB", "湖北", "Hubei", DelegationKind::Region),
    ("HN", "湖南", "Hunan", DelegationKind::Region),
    ("GD", "广东", "Guangdong", DelegationKind::Region),
    ("GX", "广西", "Guangxi", DelegationKind::Region),
    ("HI", "海南", "Hainan", DelegationKind::Region),
    ("CQ", "重庆", "Chongqing", DelegationKind::Region),
    ("SC", "四川", "Sichuan", DelegationKind::Region),
    ("GZ", "贵州", "Guizhou", DelegationKind::Region),
    ("YN", "云南", "Yunnan", DelegationKind::Region),
    ("XZ", "西藏", "Tibet", DelegationKind::Region),
    ("SN", "陕西", "Shaanxi", DelegationKind::Region),
    ("GS", "甘肃", "Gansu", DelegationKind::Region),
    ("QH", "青海", "Qinghai", DelegationKind::Region),
    ("NX", "宁夏", "Ningxia", DelegationKind::Region),
    ("XJ", "新疆", "Xinjiang", DelegationKind::Region),
    ("XJBT", "新疆生产建设兵团", "Xinjiang Production and Construction Corps", DelegationKind::Region),
    ("SZ", "深圳", "Shenzhen", DelegationKind::Region),
    ("NB", "宁波", "Ningbo", DelegationKind::Region),
    ("XM", "厦门", "Xiamen", DelegationKind::Region),
    ("QD", "青岛", "Qingdao", DelegationKind::Region),
    ("DL", "大连", "Dalian", DelegationKind::Region),
    ("CRRC", "中国中车", "CRRC", DelegationKind::Industry),
    ("SGCC", "国家电网", "State Grid", DelegationKind::Industry),
    ("CNPC", "中国石油", "CNPC", DelegationKind::Industry),
    ("AVIC", "中国航空工业", "AVIC", DelegationKind::Industry),
    ("CSCEC", "中国建筑", "China State Construction", DelegationKind::Industry),
    ("COMAC", "中国商飞", "COMAC", DelegationKind::Industry),
    ("SINOPEC", "中国石化", "Sinopec", DelegationKind::Industry),
    ("CHINAMOB", "中国移动", "China Mobile", DelegationKind::Industry),
    ("CSG", "南方电网", "China Southern Power Grid", DelegationKind::Industry),
];

/// (number, Chinese name, English name, sector (in Chinese: a national selection), team size, age limit)
const SKILLS: [(&str, &str, &str, &str, i32, i32); 50] = [
    ("01", "综合机械与自动化", "Industrial Mechanics Millwright", "制造与工程技术", 1, 22),
    ("02", "信息网络布线", "Information Network Cabling", "信息与通信技术", 1, 22),
    ("03", "电子技术", "Electronics", "信息与通信技术", 1, 22),
    ("04", "机电一体化", "Mechatronics", "制造与工程技术", 2, 22),
    ("05", "机械设计CAD", "Mechanical Engineering CAD", "制造与工程技术", 1, 22),
    ("06", "数控车", "CNC Turning", "制造与工程技术", 1, 22),
    ("07", "数控铣", "CNC Milling", "制造与工程技术", 1, 22),
    ("08", "建筑石雕", "Architectural Stonemasonry", "建筑与建造技术", 1, 22),
    ("09", "信息技术软件解决方案", "IT Software Solutions for Business", "信息与通信技术", 1, 22),
    ("10", "焊接", "Welding", "制造与工程技术", 1, 22),
    ("12", "瓷砖贴面", "Wall and Floor Tiling", "建筑与建造技术", 1, 22),
    ("13", "车身修理", "Autobody Repair", "交通与物流", 1, 22),
    ("14", "飞机维修", "Aircraft Maintenance", "交通与物流", 1, 22),
    ("15", "管道与制暖", "Plumbing and Heating", "建筑与建造技术", 1, 22),
    ("16", "电子技术应用", "Electronics Prototyping", "信息与通信技术", 1, 22),
    ("17", "网站设计与开发", "Web Technologies", "信息与通信技术", 1, 22),
    ("18", "电气装置", "Electrical Installations", "建筑与建造技术", 1, 22),
    ("19", "工业控制", "Industrial Control", "制造与工程技术", 1, 22),
    ("20", "砌筑", "Bricklaying", "建筑与建造技术", 1, 22),
    ("21", "抹灰与隔墙系统", "Plastering and Drywall Systems", "建筑与建造技术", 1, 22),
    ("22", "油漆与装饰", "Painting and Decorating", "建筑与建造技术", 1, 22),
    ("23", "移动机器人", "Mobile Robotics", "制造与工程技术", 2, 22),
    ("24", "家具制作", "Cabinetmaking", "建筑与建造技术", 1, 22),
    ("25", "精细木工", "Joinery", "建筑与建造技术", 1, 22),
    ("26", "木工", "Carpentry", "建筑与建造技术", 1, 22),
    ("27", "珠宝加工", "Jewellery", "创意艺术与时尚", 1, 22),
    ("28", "花艺", "Floristry", "创意艺术与时尚", 1, 22),
    ("29", "美发", "Hairdressing", "社会与个人服务", 1, 22),
    ("30", "美容", "Beauty Therapy", "社会与个人服务", 1, 22),
    ("31", "时装技术", "Fashion Technology", "创意艺术与时尚", 1, 22),
    ("32", "烘焙", "Bakery", "社会与个人服务", 1, 22),
    ("33", "汽车技术", "Automobile Technology", "交通与物流", 1, 22),
    ("34", "西餐烹饪", "Cooking", "社会与个人服务", 1, 22),
    ("35", "餐厅服务", "Restaurant Service", "社会与个人服务", 1, 22),
    ("36", "汽车喷漆", "Car Painting", "交通与物流", 1, 22),
    ("37", "园艺", "Landscape Gardening", "建筑与建造技术", 1, 22),
    ("38", "制冷与空调", "Refrigeration and Air Conditioning", "建筑与建造技术", 1, 22),
    ("39", "网络系统管理", "IT Network Systems Administration", "信息与通信技术", 1, 22),
    ("40", "平面设计技术", "Graphic Design Technology", "创意艺术与时尚", 1, 22),
    ("41", "健康和社会照护", "Health and Social Care", "社会与个人服务", 1, 22),
    ("42", "塑料模具工程", "Plastic Die Engineering", "制造与工程技术", 1, 22),
    ("43", "混凝土建筑", "Concrete Construction Work", "建筑与建造技术", 2, 22),
    ("44", "制造团队挑战赛", "Manufacturing Team Challenge", "制造与工程技术", 3, 22),
    ("45", "水处理技术", "Water Technology", "制造与工程技术", 1, 22),
    ("46", "化学实验室技术", "Chemical Laboratory Technology", "制造与工程技术", 1, 22),
    ("47", "工业机械装调", "Industrial Mechanic", "制造与工程技术", 1, 22),
    ("48", "网络安全", "Cyber Security", "信息与通信技术", 2, 25),
    ("49", "云计算", "Cloud Computing", "信息与通信技术", 1, 25),
    ("50", "数字建造", "Digital Construction", "建筑与建造技术", 1, 25),
    ("D1", "3D数字游戏艺术", "3D Digital Game Art", "创意艺术与时尚", 1, 22),
];

const SURNAMES: [&str; 24] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋",
];
const GIVEN: [&str; 30] = [
    "伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英",
    "浩然", "子轩", "欣怡", "宇航", "思远", "梓涵", "一鸣", "佳琪", "博文", "雨桐", "俊杰", "诗涵",
];

/// A scheme for a demo skill: five criteria of 20.00, each one sub-criterion with a pass/fail, a
/// stepped and a deduction measurement and a judgement aspect of 5.00.
fn demo_scheme(skill: &SkillRow) -> Scheme {
    let descriptors =
        vec!["低于行业标准".to_string(), "符合行业标准".into(), "符合并部分超过行业标准".into(), "优秀".into()];
    // The rule in words, as a Chinese sheet writes it (the CIS reader takes it back as the same rule).
    let rule = |kind: &AspectType| match kind {
        AspectType::Measurement { measurement: Measurement::PassFail } => "合格/不合格".to_string(),
        AspectType::Measurement { measurement: Measurement::Stepped { allowed } } => format!(
            "可给分值：{}",
            allowed.iter().map(|a| format_hundredths((*a).into())).collect::<Vec<_>>().join(" / ")
        ),
        AspectType::Measurement { measurement: Measurement::Deduction { step } } => {
            format!("每处错误扣 {} 分", format_hundredths((*step).into()))
        }
        AspectType::Judgement { .. } => String::new(),
    };
    let aspect = |description: &str, day: u8, kind: AspectType| Aspect {
        description: description.into(),
        extra_description: rule(&kind),
        requirement: String::new(),
        max: 500,
        day,
        wsos_section: None,
        kind,
    };
    Scheme {
        criteria: ["A", "B", "C", "D", "E"]
            .iter()
            .enumerate()
            .map(|(i, c)| Criterion {
                id: (*c).into(),
                name: format!("{} 模块 {c}", skill.name_zh),
                sub_criteria: vec![SubCriterion {
                    id: format!("{c}1"),
                    name: format!("模块 {c}"),
                    aspects: vec![
                        aspect(
                            "尺寸符合图纸",
                            (i % 4 + 1) as u8,
                            AspectType::Measurement { measurement: Measurement::PassFail },
                        ),
                        aspect(
                            "功能测试",
                            (i % 4 + 1) as u8,
                            AspectType::Measurement {
                                measurement: Measurement::Stepped { allowed: vec![0, 250, 500] },
                            },
                        ),
                        aspect(
                            "安全与整洁",
                            (i % 4 + 1) as u8,
                            AspectType::Measurement { measurement: Measurement::Deduction { step: 50 } },
                        ),
                        aspect(
                            "整体工艺",
                            (i % 4 + 1) as u8,
                            AspectType::Judgement { descriptors: descriptors.clone() },
                        ),
                    ],
                }],
            })
            .collect(),
    }
}

/// How far the demo's marking goes in a batch of skills.
#[derive(Debug, Clone, Copy)]
enum Marking {
    /// The first `n` skills are marked completely and locked; the others partly, most locked.
    FirstFinished(usize),
    /// Every skill partly marked and nothing locked yet (an assessment under way).
    UnderWay,
}

/// How many skills the demo finishes marking: their results are ratified, and the first
/// `PUBLISHED_SKILLS` of them published.
const FINISHED_SKILLS: usize = 6;
const PUBLISHED_SKILLS: usize = 3;

/// Schemes (two of them through a CIS-layout sheet, as organisers receive them), frozen; one
/// marking group per skill; and marks for most entries: most sub-criteria complete and locked,
/// some out of spread, some still missing. Returns how many marks were written.
fn load_marking(
    conn: &mut DbConn,
    rng: &mut ChaCha20Rng,
    skills: &[SkillRow],
    entries: &[EntryRow],
    skill_experts: &[Vec<(UserId, DelegationId)>],
    marking: Marking,
) -> Result<usize, ApiError> {
    let at = now();
    let mut marks = Vec::new();
    let mut locks = Vec::new();
    for (index, (skill, experts)) in skills.iter().zip(skill_experts).enumerate() {
        // The first skills are marked completely (their results get ratified and published).
        let complete = matches!(marking, Marking::FirstFinished(n) if index < n);
        let locking = !matches!(marking, Marking::UnderWay);
        let mut scheme = demo_scheme(skill);
        if ["04", "17"].contains(&skill.number.as_str()) {
            let sheet = crate::formats::cis::write_cis_xlsx(&skill.name_en, "Demo", &scheme)
                .map_err(|e| ApiError::internal(anyhow::anyhow!(e.to_string())))?;
            let table = crate::formats::tabular::read_table(&sheet, crate::formats::tabular::Format::Xlsx)
                .map_err(|e| ApiError::internal(anyhow::anyhow!(e.to_string())))?;
            scheme = crate::formats::cis::read_cis(&table).map_err(ApiError::FileRejected)?.scheme;
        }
        repo::schemes::insert(
            conn,
            &SchemeRow {
                skill_id: skill.id.clone(),
                document: serde_json::to_string(&scheme).map_err(ApiError::internal)?,
                status: SchemeStatus::Frozen,
                version: 2,
                updated_at: at,
                updated_by: None,
                frozen_at: Some(at),
                frozen_by: None,
            },
        )?;
        let subs: Vec<SubCriterionId> = scheme
            .criteria
            .iter()
            .flat_map(|c| &c.sub_criteria)
            .map(|s| s.id.parse())
            .collect::<Result<_, _>>()
            .map_err(|e| ApiError::internal(anyhow::anyhow!("demo scheme: {e}")))?;
        repo::marks::insert_group(
            conn,
            &StoredGroup {
                row: GroupRow {
                    id: new_id(),
                    skill_id: skill.id.clone(),
                    name: "全体裁判 All experts".into(),
                    created_at: at,
                },
                members: experts.iter().map(|(u, _)| u.clone()).collect(),
                sub_criteria: subs,
            },
        )?;
        for entry in entries.iter().filter(|e| e.skill_id == skill.id) {
            let judges: Vec<&UserId> =
                experts.iter().filter(|(_, d)| *d != entry.delegation_id).map(|(u, _)| u).collect();
            let needed = skill.judgement_mode.judges() as usize;
            if judges.len() < needed {
                continue;
            }
            let level: i32 = rng.random_range(1..=3);
            for sub in scheme.criteria.iter().flat_map(|c| &c.sub_criteria) {
                let sub_id: SubCriterionId =
                    sub.id.parse().map_err(|e| ApiError::internal(anyhow::anyhow!("demo scheme: {e}")))?;
                let roll: f64 = if complete { 0.5 } else { rng.random() };
                if roll < 0.12 {
                    continue; // not marked yet
                }
                let partial = roll < 0.22;
                let out_of_spread = !partial && roll > 0.95;
                let mut picked: Vec<&UserId> = judges.clone();
                picked.shuffle(rng);
                for (i, aspect) in sub.aspects.iter().enumerate() {
                    if partial && i >= 2 {
                        break;
                    }
                    let key = AspectKey::new(&sub.id, i + 1);
                    let mark = |judge: Option<&UserId>, input: MarkInputKind, value: i32| MarkRow {
                        id: new_id(),
                        skill_id: skill.id.clone(),
                        entry_id: entry.id.clone(),
                        aspect_key: key.clone(),
                        sub_criterion_id: sub_id.clone(),
                        judge_id: judge.cloned(),
                        input,
                        value,
                        note: None,
                        unsure: false,
                        version: 1,
                        client_id: new_id(),
                        entered_by: picked[0].clone(),
                        updated_at: at,
                    };
                    match &aspect.kind {
                        AspectType::Judgement { .. } => {
                            for (j, judge) in picked.iter().take(needed).enumerate() {
                                // An out-of-spread set: one judge is far off from the others.
                                let score = match (out_of_spread, j) {
                                    (true, 1) => {
                                        if level >= 2 {
                                            0
                                        } else {
                                            3
                                        }
                                    }
                                    (true, _) => level,
                                    (false, _) => (level - rng.random_range(0..=1)).clamp(0, 3),
                                };
                                marks.push(mark(Some(judge), MarkInputKind::Score, score));
                            }
                        }
                        AspectType::Measurement { measurement: Measurement::PassFail } => marks.push(mark(
                            None,
                            MarkInputKind::Amount,
                            if rng.random_bool(0.8) { aspect.max } else { 0 },
                        )),
                        AspectType::Measurement { measurement: Measurement::Stepped { allowed } } => {
                            marks.push(mark(None, MarkInputKind::Amount, *allowed.choose(rng).unwrap_or(&0)))
                        }
                        AspectType::Measurement { measurement: Measurement::Deduction { .. } } => {
                            marks.push(mark(None, MarkInputKind::Deductions, rng.random_range(0..=3)))
                        }
                    }
                }
                if locking && !partial && !out_of_spread && (complete || rng.random_bool(0.8)) {
                    locks.push(LockRow {
                        entry_id: entry.id.clone(),
                        sub_criterion_id: sub_id.clone(),
                        skill_id: skill.id.clone(),
                        locked_by: picked[0].clone(),
                        locked_at: at,
                    });
                }
            }
        }
    }
    repo::marks::insert_marks(conn, &marks)?;
    for lock in &locks {
        repo::marks::insert_lock(conn, lock)?;
    }
    Ok(marks.len())
}

/// What the demo created, for the command to print.
#[derive(Debug)]
pub struct DemoSummary {
    pub event_id: EventId,
    pub delegations: usize,
    pub skills: usize,
    pub entries: usize,
    pub competitors: usize,
    pub experts: usize,
    /// Accounts with a password, and the password (generated, printed once).
    pub accounts: Vec<(String, &'static str)>,
    pub password: String,
    /// The selection programme whose stage 1 the event is (unless left out).
    pub programme: Option<selection::ProgrammeSummary>,
}

fn user(email: String, name: String, hash: Option<String>) -> UserRow {
    let at = now();
    UserRow {
        id: new_id(),
        email,
        display_name: name,
        password_hash: hash,
        locale: crate::domain::account::Locale::ZhCn,
        is_active: true,
        token_version: 1,
        version: 1,
        created_at: at,
        updated_at: at,
    }
}

fn role(user_id: &UserId, role: Role, scope: Option<ScopeId>, delegation: Option<&DelegationId>) -> RoleRow {
    RoleRow {
        id: new_id(),
        user_id: user_id.clone(),
        role,
        scope_id: scope,
        delegation_id: delegation.cloned(),
        created_at: now(),
    }
}

/// Whether the database has no events yet (`serve --demo` loads the demo only then).
pub fn is_empty(conn: &mut DbConn) -> Result<bool, ApiError> {
    Ok(repo::events::list_events(conn, None)?.is_empty())
}

/// Loads the demo event. Deterministic in its content for a given seed (ids and the password
/// are fresh each time). `public_url` is the site's address, for the links in the result mails
/// its publication queues.
pub fn load(conn: &mut DbConn, seed: u64, public_url: &str) -> Result<DemoSummary, ApiError> {
    load_with(conn, seed, public_url, Parts::All)
}

/// What the demo loads: everything, or the event without its selection programme (for an
/// organiser who wants to set a programme up over the national selection themselves).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parts {
    All,
    WithoutProgramme,
}

/// Loads the demo event, with or without its selection programme.
pub fn load_with(conn: &mut DbConn, seed: u64, public_url: &str, parts: Parts) -> Result<DemoSummary, ApiError> {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let password = random_token()[..16].to_string();
    let hash = password::hash(&password).map_err(ApiError::internal)?;
    write_tx(conn, |conn| {
        if repo::users::find_by_email(conn, "organiser@demo.skillmark.org")?.is_some() {
            return Err(ApiError::Conflict {
                code: ErrorCode::DemoAlreadyLoaded,
                detail: "this database holds the demo already; use a fresh DATABASE_URL for another".into(),
                current: None,
            });
        }
        let at = now();
        let c1 = NaiveDate::from_ymd_opt(2027, 6, 13).expect("a valid date");
        let year = c1.year();
        let event = EventRow {
            id: new_id(),
            name: "第二届全国职业技能大赛（演示）".into(),
            venue: "上海国家会展中心".into(),
            time_zone: "Asia/Shanghai".into(),
            c1_date: c1,
            competition_days: 4,
            registration_deadline: (c1 - Duration::days(30)).and_hms_opt(16, 0, 0).expect("a valid time"),
            status: EventStatus::Registration,
            version: 1,
            created_at: at,
            updated_at: at,
        };
        repo::events::insert_event(conn, &event)?;

        let delegations: Vec<DelegationRow> = DELEGATIONS
            .iter()
            .map(|(code, zh, en, kind)| DelegationRow {
                id: new_id(),
                event_id: event.id.clone(),
                code: (*code).into(),
                name_zh: (*zh).into(),
                name_en: (*en).into(),
                kind: *kind,
                contact_name: Some(format!("{}领队", zh)),
                contact_email: Some(format!("leader.{}@demo.skillmark.org", code.to_lowercase())),
                contact_phone: None,
                version: 1,
                created_at: at,
                updated_at: at,
            })
            .collect();
        repo::registration::insert_delegation_rows(conn, &delegations)?;

        let skills: Vec<SkillRow> = SKILLS
            .iter()
            .map(|(number, zh, en, sector, team, age)| SkillRow {
                id: new_id(),
                event_id: event.id.clone(),
                number: (*number).into(),
                name_zh: (*zh).into(),
                name_en: (*en).into(),
                sector: (*sector).into(),
                age_limit: *age,
                team_size: *team,
                max_entries_per_delegation: 1,
                judgement_mode: if *number == "17" {
                    JudgementMode::FiveJudgesDropExtremes
                } else {
                    JudgementMode::ThreeJudges
                },
                max_spread: 1,
                anonymous: ["09", "17", "40"].contains(number),
                workstation_count: 40,
                version: 1,
                created_at: at,
                updated_at: at,
            })
            .collect();
        for s in &skills {
            repo::events::insert_skill(conn, s)?;
        }

        // Each delegation enters about a third of the skills; Shanghai (whose team leader can
        // sign in) always enters skill 05, the one the tour's results and disputes are about.
        let mut entries = Vec::new();
        let mut competitors = Vec::new();
        let mut serial = 0u32;
        for d in &delegations {
            for s in &skills {
                let enters = rng.random_bool(0.36);
                if !(enters || (d.code == "SH" && s.number == "05")) {
                    continue;
                }
                let entry = EntryRow {
                    id: new_id(),
                    event_id: event.id.clone(),
                    skill_id: s.id.clone(),
                    delegation_id: d.id.clone(),
                    status: EntryStatus::Confirmed,
                    workstation: None,
                    version: 1,
                    created_at: at,
                    updated_at: at,
                    anon_code: s.anonymous.then(|| draw::entry_code(rng.random())),
                };
                for _ in 0..s.team_size {
                    serial += 1;
                    let age = rng.random_range(17..=s.age_limit);
                    let birth = NaiveDate::from_ymd_opt(year - age, rng.random_range(1..=12), rng.random_range(1..=28))
                        .expect("a valid date");
                    let female = rng.random_bool(0.4);
                    let name = format!(
                        "{}{}",
                        SURNAMES.choose(&mut rng).unwrap_or(&"王"),
                        GIVEN.choose(&mut rng).unwrap_or(&"伟")
                    );
                    competitors.push(CompetitorRow {
                        id: new_id(),
                        event_id: event.id.clone(),
                        entry_id: entry.id.clone(),
                        name,
                        gender: if female { Gender::Female } else { Gender::Male },
                        birth_date: birth,
                        id_number: format!("{:06}{}{:04}", 310000 + serial % 9999, birth.format("%Y%m%d"), serial),
                        user_id: None,
                        version: 1,
                        created_at: at,
                        updated_at: at,
                    });
                }
                entries.push(entry);
            }
        }

        // Workstations by lot, recorded like a real draw (once the entries it assigns exist).
        let mut draws = Vec::new();
        for s in &skills {
            let ids: Vec<EntryId> = entries.iter().filter(|e| e.skill_id == s.id).map(|e| e.id.clone()).collect();
            if ids.is_empty() {
                continue;
            }
            let draw_seed: u64 = rng.random();
            if let Ok(result) = draw::draw(draw_seed, &ids, s.workstation_count as u32) {
                for (entry_id, ws) in &result {
                    if let Some(e) = entries.iter_mut().find(|e| &e.id == entry_id) {
                        e.workstation = Some(*ws as i32);
                    }
                }
                let row = crate::db::models::DrawRow {
                    id: new_id(),
                    skill_id: s.id.clone(),
                    seed: draw_seed.to_string(),
                    algorithm: draw::ALGORITHM,
                    workstation_count: s.workstation_count,
                    reason: None,
                    drawn_by: None,
                    drawn_at: at,
                };
                draws.push(StoredDraw::new(row, &result));
            }
        }
        repo::registration::insert_entries(conn, &entries)?;
        repo::registration::insert_competitors(conn, &competitors)?;
        for d in &draws {
            repo::registration::insert_draw(conn, d)?;
        }

        // People: an organiser and a team leader per delegation; an expert from each entering
        // delegation per skill, the first two of them chief and deputy chief expert.
        let mut accounts = Vec::new();
        if repo::users::count_admins(conn)? == 0 {
            let admin = user("admin@demo.skillmark.org".into(), "系统管理员".into(), Some(hash.clone()));
            repo::users::insert(conn, &admin)?;
            repo::users::insert_role(conn, &role(&admin.id, Role::Admin, None, None))?;
            accounts.push((admin.email.clone(), Role::Admin.as_str()));
        }
        let organiser = user("organiser@demo.skillmark.org".into(), "组委会".into(), Some(hash.clone()));
        repo::users::insert(conn, &organiser)?;
        repo::users::insert_role(conn, &role(&organiser.id, Role::Organiser, Some((&event.id).into()), None))?;
        accounts.push((organiser.email.clone(), Role::Organiser.as_str()));
        for d in &delegations {
            let with_password = d.code == "SH";
            let leader = user(
                format!("leader.{}@demo.skillmark.org", d.code.to_lowercase()),
                format!("{}领队", d.name_zh),
                with_password.then(|| hash.clone()),
            );
            repo::users::insert(conn, &leader)?;
            repo::users::insert_role(conn, &role(&leader.id, Role::TeamLeader, Some((&d.id).into()), None))?;
            if with_password {
                accounts.push((leader.email.clone(), Role::TeamLeader.as_str()));
            }
        }
        let mut experts = 0;
        let mut skill_experts: Vec<Vec<(UserId, DelegationId)>> = Vec::new();
        for s in &skills {
            let mut these = Vec::new();
            let mut entering: Vec<&DelegationId> =
                entries.iter().filter(|e| e.skill_id == s.id).map(|e| &e.delegation_id).collect();
            entering.shuffle(&mut rng);
            for (i, delegation_id) in entering.into_iter().enumerate() {
                let code =
                    &delegations.iter().find(|d| &d.id == delegation_id).expect("entries name demo delegations").code;
                let position = match i {
                    0 => ExpertPosition::ChiefExpert,
                    1 => ExpertPosition::DeputyChiefExpert,
                    _ => ExpertPosition::Expert,
                };
                // Skill 17's chief expert, deputy chief expert and one expert can sign in.
                let with_password = s.number == "17" && i < 3;
                let name = format!(
                    "{}{}",
                    SURNAMES.choose(&mut rng).unwrap_or(&"王"),
                    GIVEN.choose(&mut rng).unwrap_or(&"伟")
                );
                let person = user(
                    format!("expert.{}.{}@demo.skillmark.org", s.number.to_lowercase(), code.to_lowercase()),
                    name,
                    with_password.then(|| hash.clone()),
                );
                repo::users::insert(conn, &person)?;
                repo::users::insert_role(
                    conn,
                    &role(&person.id, position.role(), Some((&s.id).into()), Some(delegation_id)),
                )?;
                repo::registration::insert_expert(
                    conn,
                    &ExpertRow {
                        id: new_id(),
                        event_id: event.id.clone(),
                        skill_id: s.id.clone(),
                        delegation_id: delegation_id.clone(),
                        user_id: person.id.clone(),
                        position,
                        created_at: at,
                    },
                )?;
                if with_password {
                    accounts.push((person.email.clone(), position.into()));
                }
                these.push((person.id.clone(), delegation_id.clone()));
                experts += 1;
            }
            skill_experts.push(these);
        }
        let marked =
            load_marking(conn, &mut rng, &skills, &entries, &skill_experts, Marking::FirstFinished(FINISHED_SKILLS))?;
        // The closing ceremony has begun: some skills ratified, some of those published.
        let organiser_roles =
            crate::auth::extract::grants_of(&[role(&organiser.id, Role::Organiser, Some((&event.id).into()), None)]);
        let ctx = AuditContext { actor_id: Some(organiser.id.clone()), ..AuditContext::default() };
        for skill in &skills[..FINISHED_SKILLS.min(skills.len())] {
            crate::service::results::ratify(conn, &organiser.id, &organiser_roles, &skill.id, &ctx)?;
        }
        let published: Vec<SkillId> = skills.iter().take(PUBLISHED_SKILLS).map(|s| s.id.clone()).collect();
        crate::service::results::publish(
            conn,
            &organiser_roles,
            &event.id,
            Some(&published),
            crate::domain::publication::Audience::Public,
            None,
            public_url,
            &ctx,
        )?;
        let codes: std::collections::HashMap<DelegationId, String> =
            delegations.iter().map(|d| (d.id.clone(), d.code.clone())).collect();
        let programme = match parts {
            Parts::All => Some(selection::load(
                conn,
                &mut rng,
                selection::Stage1 { event: &event, skills: &skills, experts: &skill_experts, codes: &codes },
                &organiser.id,
                public_url,
                &ctx,
            )?),
            Parts::WithoutProgramme => None,
        };
        repo::audit::record(
            conn,
            &AuditContext::default(),
            Change {
                action: AuditAction::DemoLoaded,
                target_type: AuditTarget::Event,
                target_id: Some((&event.id).into()),
                event_id: Some(&event.id),
                before: None,
                after: Some(json!({"seed": seed, "competitors": competitors.len(), "marks": marked})),
            },
        )?;
        Ok(DemoSummary {
            event_id: event.id,
            delegations: delegations.len(),
            skills: skills.len(),
            entries: entries.len(),
            competitors: competitors.len(),
            experts,
            accounts,
            password: password.clone(),
            programme,
        })
    })
}
