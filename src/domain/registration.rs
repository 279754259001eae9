//! Registration rules: skill numbers, delegation codes, skill settings, age eligibility.

use chrono::{Datelike, NaiveDate};

use crate::domain::role::Role;

/// A skill number as WorldSkills writes them: 1–4 letters or digits (`17`, `09`, `D2`), upper-cased.
pub fn skill_number(raw: &str) -> Result<String, &'static str> {
    let s = raw.trim().to_uppercase();
    if s.is_empty() {
        return Err("is required");
    }
    if s.chars().count() > 4 || !s.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err("must be 1 to 4 letters or digits, like 17, 09 or D2");
    }
    Ok(s)
}

/// A delegation code: 2–10 capital letters, digits or `-` (`SH`, `CHN`, `GD-SZ`), upper-cased.
pub fn delegation_code(raw: &str) -> Result<String, &'static str> {
    let s = raw.trim().to_uppercase();
    if s.is_empty() {
        return Err("is required");
    }
    if !(2..=10).contains(&s.len()) || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') || s.starts_with('-') {
        return Err("must be 2 to 10 letters, digits or '-', like SH or GD-SZ");
    }
    Ok(s)
}

text_enum! {
    /// How judgement aspects are scored.
    pub enum JudgementMode {
        /// Three judges; mark = mean / 3 × max; scores may differ by at most the max spread.
        ThreeJudges,
        /// Five judges; the highest and lowest scores are dropped (Chinese national mode).
        FiveJudgesDropExtremes,
    }
}

impl JudgementMode {
    pub fn judges(self) -> u8 {
        match self {
            JudgementMode::ThreeJudges => 3,
            JudgementMode::FiveJudgesDropExtremes => 5,
        }
    }
}

text_enum! {
    /// What a delegation stands for.
    pub enum DelegationKind {
        /// A province, city or other region.
        Region,
        Industry,
        Country,
        Other,
    }
}

text_enum! {
    /// An expert's place in a skill's jury.
    pub enum ExpertPosition {
        Expert,
        ChiefExpert,
        DeputyChiefExpert,
    }
}

impl ExpertPosition {
    /// The role the position holds in the skill: chief and deputy chief experts both lead it.
    pub fn role(self) -> Role {
        match self {
            Self::Expert => Role::Expert,
            Self::ChiefExpert | Self::DeputyChiefExpert => Role::ChiefExpert,
        }
    }
}

/// Range checks for a skill's numeric settings; each returns the message for its field.
pub fn age_limit(n: i32) -> Result<i32, &'static str> {
    if (14..=60).contains(&n) {
        Ok(n)
    } else {
        Err("must be between 14 and 60")
    }
}

pub fn team_size(n: i32) -> Result<i32, &'static str> {
    if (1..=3).contains(&n) {
        Ok(n)
    } else {
        Err("must be 1 (individual), 2 or 3 (team)")
    }
}

pub fn max_entries_per_delegation(n: i32) -> Result<i32, &'static str> {
    if (1..=10).contains(&n) {
        Ok(n)
    } else {
        Err("must be between 1 and 10")
    }
}

pub fn max_spread(n: i32) -> Result<i32, &'static str> {
    if (0..=3).contains(&n) {
        Ok(n)
    } else {
        Err("must be between 0 and 3 score points")
    }
}

pub fn workstation_count(n: i32) -> Result<i32, &'static str> {
    if (1..=1000).contains(&n) {
        Ok(n)
    } else {
        Err("must be between 1 and 1000")
    }
}

/// Age as the rules count it: in the calendar year of the competition, whatever the birthday.
pub fn competition_age(birth: NaiveDate, competition_year: i32) -> i32 {
    competition_year - birth.year()
}

/// Whether a competitor born on `birth` may compete in a skill with `limit` in `competition_year`;
/// the error says why not.
pub fn check_age(birth: NaiveDate, competition_year: i32, limit: i32) -> Result<(), String> {
    let age = competition_age(birth, competition_year);
    if age > limit {
        Err(format!("is {age} in {competition_year}, over the skill's age limit of {limit}"))
    } else if age < 14 {
        Err(format!("is {age} in {competition_year}, under the minimum age of 14"))
    } else {
        Ok(())
    }
}

text_enum! {
    pub enum Gender {
        Female,
        Male,
    }
}

impl Gender {
    /// Also reads the spellings registration sheets use: `F`/`M`, `女`/`男`.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        match raw.trim().to_lowercase().as_str() {
            "female" | "f" | "女" => Ok(Gender::Female),
            "male" | "m" | "男" => Ok(Gender::Male),
            _ => Err("must be female or male (女/男)"),
        }
    }
}

/// An identity document number (resident ID card, passport…): 5–32 letters and digits,
/// upper-cased (the check letter of a Chinese ID card is an `X`).
pub fn id_number(raw: &str) -> Result<String, &'static str> {
    let s: String = raw.trim().to_uppercase();
    if s.is_empty() {
        return Err("is required");
    }
    if !(5..=32).contains(&s.len()) || !s.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err("must be 5 to 32 letters and digits");
    }
    Ok(s)
}

/// How an ID number shows in lists: the first and last four characters only.
pub fn mask_id_number(id: &str) -> String {
    let n = id.chars().count();
    if n <= 8 {
        let keep = n.min(2);
        return format!("{}{}", "*".repeat(n - keep), id.chars().skip(n - keep).collect::<String>());
    }
    let head: String = id.chars().take(4).collect();
    let tail: String = id.chars().skip(n - 4).collect();
    format!("{head}{}{tail}", "*".repeat(n - 8))
}

/// A date of birth as `YYYY-MM-DD`.
pub fn birth_date(raw: &str) -> Result<NaiveDate, &'static str> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| "must be a date as YYYY-MM-DD")
}

text_enum! {
    /// An entry's registration state.
    pub enum EntryStatus {
        Registered,
        /// The team is complete and checked; it takes part in the draw.
        Confirmed,
        Withdrawn,
    }
}

/// Checks an entry's move to `to` given its number of competitors and the skill's team size.
pub fn entry_transition(from: EntryStatus, to: EntryStatus, members: usize, team_size: i32) -> Result<(), String> {
    if from == to {
        return Err(format!("the entry is {to} already"));
    }
    if to == EntryStatus::Confirmed && members != team_size as usize {
        return Err(format!("a confirmed entry needs exactly {team_size} competitor(s); it has {members}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn competitor_values() {
        assert_eq!(Gender::parse("女"), Ok(Gender::Female));
        assert_eq!(Gender::parse(" M "), Ok(Gender::Male));
        assert!(Gender::parse("x").is_err());
        assert_eq!(id_number(" 11010119900307451x ").unwrap(), "11010119900307451X");
        assert!(id_number("1234").is_err());
        assert!(id_number("1101-0119").is_err());
        assert_eq!(mask_id_number("11010119900307451X"), "1101**********451X");
        assert_eq!(mask_id_number("E1234567"), "******67");
        assert!(birth_date("1999-02-30").is_err());
        assert_eq!(birth_date("1999-02-28").unwrap().year(), 1999);
    }

    #[test]
    fn entry_statuses_are_stored_as_on_the_wire() {
        for s in [EntryStatus::Registered, EntryStatus::Confirmed, EntryStatus::Withdrawn] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.to_string());
            assert_eq!(s.to_string().parse(), Ok(s));
        }
    }

    #[test]
    fn entries_are_confirmed_only_when_complete() {
        use EntryStatus::*;
        assert!(entry_transition(Registered, Confirmed, 2, 2).is_ok());
        assert!(entry_transition(Registered, Confirmed, 1, 2).unwrap_err().contains("exactly 2"));
        assert!(entry_transition(Confirmed, Confirmed, 2, 2).is_err());
        assert!(entry_transition(Confirmed, Withdrawn, 2, 2).is_ok());
        assert!(entry_transition(Withdrawn, Registered, 0, 2).is_ok());
    }

    proptest! {
        #[test]
        fn masks_hide_the_middle(id in "[0-9A-Z]{5,32}") {
            let m = mask_id_number(&id);
            prop_assert_eq!(m.chars().count(), id.chars().count());
            prop_assert!(m.contains('*'));
            prop_assert!(m.ends_with(&id[id.len() - 2..]));
        }
    }

    #[test]
    fn skill_numbers_and_delegation_codes() {
        assert_eq!(skill_number(" d2 ").unwrap(), "D2");
        assert_eq!(skill_number("09").unwrap(), "09");
        assert!(skill_number("12345").is_err());
        assert!(skill_number("1 2").is_err());
        assert!(skill_number("").is_err());
        assert_eq!(delegation_code("gd-sz").unwrap(), "GD-SZ");
        assert!(delegation_code("S").is_err());
        assert!(delegation_code("-SH").is_err());
        assert!(delegation_code("上海").is_err());
    }

    #[test]
    fn age_counts_in_the_competition_year() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // Born on 31 December 1996: 23 in 2019, although still 22 on competition day in June.
        assert!(check_age(d(1996, 12, 31), 2019, 22).unwrap_err().contains("23"));
        assert!(check_age(d(1997, 1, 1), 2019, 22).is_ok());
        assert!(check_age(d(1994, 6, 1), 2019, 25).is_ok());
        assert!(check_age(d(2010, 1, 1), 2019, 22).unwrap_err().contains("minimum"));
    }

    proptest! {
        #[test]
        fn eligibility_depends_only_on_birth_year(y in 1950i32..2015, m in 1u32..=12, day in 1u32..=28, limit in 14i32..=40) {
            let year = 2026;
            let a = check_age(NaiveDate::from_ymd_opt(y, m, day).unwrap(), year, limit).is_ok();
            let b = check_age(NaiveDate::from_ymd_opt(y, 1, 1).unwrap(), year, limit).is_ok();
            prop_assert_eq!(a, b);
            prop_assert_eq!(a, (14..=limit).contains(&(year - y)));
        }

        #[test]
        fn normalised_skill_numbers_are_stable(s in "[A-Za-z0-9]{1,4}") {
            let n = skill_number(&s).unwrap();
            prop_assert_eq!(skill_number(&n).unwrap(), n.clone());
            prop_assert!(n.len() <= 4);
        }
    }
}
