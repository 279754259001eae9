//! Events: their status workflow and competition calendar (C-4 … C+1).

use chrono::{Duration, NaiveDate};

text_enum! {
    /// Where an event is in its life. It only moves forward, one step at a time.
    #[derive(PartialOrd, Ord)]
    pub enum EventStatus {
        /// Organisers configure skills and delegations.
        Setup,
        /// Team leaders register entries, competitors and experts (until the deadline).
        Registration,
        /// C-4 … C4: training, draw, competition and daily marking.
        Competition,
        /// All marks are in; results are being ratified.
        MarkingClosed,
        /// Results are public; the notice period (成绩公示) runs.
        ResultsPublished,
        /// Results are final.
        Final,
    }
}

impl EventStatus {
    pub const ALL: [EventStatus; 6] = [
        EventStatus::Setup,
        EventStatus::Registration,
        EventStatus::Competition,
        EventStatus::MarkingClosed,
        EventStatus::ResultsPublished,
        EventStatus::Final,
    ];

    pub fn next(self) -> Option<Self> {
        let i = Self::ALL.iter().position(|s| *s == self)?;
        Self::ALL.get(i + 1).copied()
    }

    /// Checks a requested transition: only to the next status.
    pub fn transition(self, to: EventStatus) -> Result<EventStatus, String> {
        match self.next() {
            Some(next) if next == to => Ok(to),
            Some(next) => {
                Err(format!("an event in {} can only move to {}, not {}", self.as_str(), next.as_str(), to.as_str()))
            }
            None => Err(format!("an event in {} is closed", self.as_str())),
        }
    }

    /// Whether skills and delegations may still be set up or changed.
    pub fn allows_configuration(self) -> bool {
        matches!(self, EventStatus::Setup | EventStatus::Registration)
    }
}

/// The dates an event may have: a competition of this century, not a typo such as 0001 or 9999.
pub fn plausible_date(date: NaiveDate) -> Result<NaiveDate, &'static str> {
    use chrono::Datelike;
    if (2000..=2100).contains(&date.year()) {
        Ok(date)
    } else {
        Err("must be a date between 2000 and 2100")
    }
}

/// The competition calendar: C1 (first competition day) and how many competition days there are
/// (1–4). Everything else (C-4 … C-1, C+1) follows from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    pub c1: NaiveDate,
    pub competition_days: u8,
}

impl Calendar {
    pub fn new(c1: NaiveDate, competition_days: i32) -> Result<Self, &'static str> {
        if !(1..=4).contains(&competition_days) {
            return Err("must be between 1 and 4");
        }
        Ok(Self { c1, competition_days: competition_days as u8 })
    }

    /// The date of a day label: `C-4` … `C-1`, `C1` … `C4` (up to the number of competition days),
    /// `C+1` (the day after the last competition day, usually the closing ceremony).
    pub fn date_of(&self, label: &str) -> Option<NaiveDate> {
        let rest = label.strip_prefix('C')?;
        let offset: i64 = if let Some(n) = rest.strip_prefix('-') {
            let n: i64 = n.parse().ok()?;
            if !(1..=4).contains(&n) {
                return None;
            }
            -n
        } else if let Some(n) = rest.strip_prefix('+') {
            let n: i64 = n.parse().ok()?;
            if n != 1 {
                return None;
            }
            i64::from(self.competition_days)
        } else {
            let n: i64 = rest.parse().ok()?;
            if !(1..=i64::from(self.competition_days)).contains(&n) {
                return None;
            }
            n - 1
        };
        Some(self.c1 + Duration::days(offset))
    }

    /// Every day label with its date, in order.
    pub fn days(&self) -> Vec<(String, NaiveDate)> {
        let mut labels: Vec<String> = (1..=4).rev().map(|n| format!("C-{n}")).collect();
        labels.extend((1..=self.competition_days).map(|n| format!("C{n}")));
        labels.push("C+1".into());
        labels.into_iter().filter_map(|l| self.date_of(&l).map(|d| (l, d))).collect()
    }

    /// The competition year, against which competitors' ages are counted.
    pub fn year(&self) -> i32 {
        use chrono::Datelike;
        self.c1.year()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn status_moves_forward_one_step_only() {
        use EventStatus::*;
        assert_eq!(Setup.transition(Registration), Ok(Registration));
        assert!(Setup.transition(Competition).is_err());
        assert!(Competition.transition(Registration).is_err());
        assert!(Final.transition(Setup).unwrap_err().contains("closed"));
        assert!(Registration.allows_configuration());
        assert!(!Competition.allows_configuration());
        for s in EventStatus::ALL {
            assert_eq!(s.as_str().parse(), Ok(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str(), "stored as on the wire");
        }
    }

    #[test]
    fn calendar_maps_day_labels_to_dates() {
        let c1 = NaiveDate::from_ymd_opt(2019, 6, 13).unwrap();
        let cal = Calendar::new(c1, 4).unwrap();
        assert_eq!(cal.date_of("C-4"), NaiveDate::from_ymd_opt(2019, 6, 9));
        assert_eq!(cal.date_of("C1"), Some(c1));
        assert_eq!(cal.date_of("C4"), NaiveDate::from_ymd_opt(2019, 6, 16));
        assert_eq!(cal.date_of("C+1"), NaiveDate::from_ymd_opt(2019, 6, 17));
        assert_eq!(cal.date_of("C5"), None);
        assert_eq!(cal.date_of("C-5"), None);
        assert_eq!(cal.date_of("D1"), None);
        assert_eq!(cal.days().len(), 9);
        let short = Calendar::new(c1, 2).unwrap();
        assert_eq!(short.date_of("C3"), None);
        assert_eq!(short.date_of("C+1"), NaiveDate::from_ymd_opt(2019, 6, 15));
        assert!(Calendar::new(c1, 0).is_err() && Calendar::new(c1, 5).is_err());
        assert_eq!(cal.year(), 2019);
    }

    #[test]
    fn dates_outside_this_century_are_typos() {
        assert!(plausible_date(NaiveDate::from_ymd_opt(2027, 6, 13).unwrap()).is_ok());
        assert!(plausible_date(NaiveDate::from_ymd_opt(1, 1, 1).unwrap()).is_err());
        assert!(plausible_date(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap()).is_err());
    }

    proptest! {
        #[test]
        fn calendar_days_are_consecutive(offset in 0i64..20_000, n in 1i32..=4) {
            let c1 = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + Duration::days(offset);
            let days = Calendar::new(c1, n).unwrap().days();
            prop_assert_eq!(days.len(), 4 + n as usize + 1);
            for pair in days.windows(2) {
                prop_assert_eq!(pair[1].1 - pair[0].1, Duration::days(1));
            }
        }
    }
}
