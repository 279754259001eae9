//! The welding scheme the reading and writing tests share.

use crate::domain::scheme::{Aspect, AspectType, Criterion, Measurement, Scheme, SubCriterion};

pub(super) fn expected_welding() -> Scheme {
    let aspect = |description: &str, extra: &str, requirement: &str, max, day, wsos: Option<&str>, kind| Aspect {
        description: description.into(),
        extra_description: extra.into(),
        requirement: requirement.into(),
        max,
        day,
        wsos_section: wsos.map(str::to_owned),
        kind,
    };
    let m = |measurement| AspectType::Measurement { measurement };
    let j = |d: [&str; 4]| AspectType::Judgement { descriptors: d.iter().map(|s| (*s).to_owned()).collect() };
    Scheme {
        criteria: vec![
            Criterion {
                id: "A".into(),
                name: "Preparation".into(),
                sub_criteria: vec![
                    SubCriterion {
                        id: "A1".into(),
                        name: "Cutting".into(),
                        aspects: vec![
                            aspect(
                                "Plates cut to size",
                                "",
                                "±1 mm per drawing",
                                1000,
                                1,
                                Some("1"),
                                m(Measurement::PassFail),
                            ),
                            aspect(
                                "Bevel angle",
                                "0 / 5.00 / 10.00",
                                "30°",
                                1000,
                                2,
                                Some("2"),
                                m(Measurement::Stepped { allowed: vec![0, 500, 1000] }),
                            ),
                        ],
                    },
                    SubCriterion {
                        id: "A2".into(),
                        name: "Fit-up".into(),
                        aspects: vec![
                            aspect(
                                "Tack welds",
                                "Deduct 0.50 per fault",
                                "",
                                1000,
                                1,
                                None,
                                m(Measurement::Deduction { step: 50 }),
                            ),
                            aspect(
                                "Fit-up quality",
                                "",
                                "",
                                1000,
                                2,
                                Some("3"),
                                j([
                                    "Gaps uneven, plates misaligned",
                                    "Gaps within tolerance",
                                    "Even gaps, aligned",
                                    "Flawless fit-up",
                                ]),
                            ),
                        ],
                    },
                ],
            },
            Criterion {
                id: "B".into(),
                name: "Finish".into(),
                sub_criteria: vec![SubCriterion {
                    id: "B1".into(),
                    name: "Visual".into(),
                    aspects: vec![
                        aspect("Spatter removed", "", "", 4000, 3, None, m(Measurement::PassFail)),
                        aspect(
                            "Overall appearance",
                            "Seen from 1 m",
                            "",
                            2000,
                            3,
                            Some("4"),
                            j([
                                "Below industry standard",
                                "Meets industry standard",
                                "Exceeds it in respects",
                                "Excellent",
                            ]),
                        ),
                    ],
                }],
            },
        ],
    }
}
