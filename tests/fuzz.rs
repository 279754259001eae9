//! Fuzzing by property: the spreadsheet importers and the scoring rules never panic, whatever
//! they are given — arbitrary bytes as CSV or XLSX, arbitrary cells as a CIS marking-scheme sheet,
//! arbitrary JSON as a scheme, arbitrary scores and amounts. Bad input must come back as an error
//! the caller can show, never as a crash (a 500, a dead worker).

use proptest::prelude::*;
use skillmark::domain::registration::JudgementMode;
use skillmark::domain::results::{rank, standardise, ScaleParams};
use skillmark::domain::scheme::{judgement_mark, parse_hundredths, Exact, Measurement, MeasurementInput, Scheme};
use skillmark::formats::tabular::{read_table, Format};

/// Bytes that look a little like a spreadsheet often, so the parsers get past their first check.
fn spreadsheet_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..2048),
        "[ -~\n\r\t,;\"=+@-]{0,1500}".prop_map(String::into_bytes),
        // A zip header followed by noise: what an XLSX starts with.
        proptest::collection::vec(any::<u8>(), 0..1500).prop_map(|mut tail| {
            let mut bytes = b"PK\x03\x04".to_vec();
            bytes.append(&mut tail);
            bytes
        }),
    ]
}

/// Cells shaped like a CIS sheet's: ids, numbers, types, free text.
fn cis_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[A-F]{1}[0-9]{0,2}".prop_map(|s| s),
        "-?[0-9]{1,4}(\\.[0-9]{1,3})?".prop_map(|s| s),
        prop_oneof![Just("M"), Just("J"), Just("D"), Just("Pass/Fail"), Just("0 1 2 3")].prop_map(String::from),
        "\\PC{0,30}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn reading_any_bytes_as_a_spreadsheet_never_panics(bytes in spreadsheet_bytes()) {
        let _ = read_table(&bytes, Format::Csv);
        let _ = read_table(&bytes, Format::Xlsx);
    }

    #[test]
    fn any_csv_text_as_a_cis_marking_scheme_never_panics(
        rows in proptest::collection::vec(proptest::collection::vec(cis_cell(), 0..12), 0..30),
    ) {
        let text: String = rows
            .iter()
            .map(|r| r.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect::<Vec<_>>().join(","))
            .collect::<Vec<_>>()
            .join("\n");
        if let Ok(table) = read_table(text.as_bytes(), Format::Csv) {
            let _ = skillmark::formats::cis::read_cis(&table);
        }
    }

    #[test]
    fn any_json_as_a_scheme_is_refused_or_checked_without_panic(text in "\\PC{0,400}") {
        if let Ok(scheme) = serde_json::from_str::<Scheme>(&text) {
            let _ = scheme.problems();
        }
        let _ = parse_hundredths(&text);
    }

    #[test]
    fn any_scores_and_amounts_are_scored_or_refused_without_panic(
        scores in proptest::collection::vec(any::<u8>(), 0..8),
        max in any::<i32>(),
        amount in any::<i32>(),
        deductions in any::<u32>(),
        step in any::<i32>(),
        allowed in proptest::collection::vec(any::<i32>(), 0..6),
    ) {
        for mode in [JudgementMode::ThreeJudges, JudgementMode::FiveJudgesDropExtremes] {
            let _ = judgement_mark(mode, max, &scores);
        }
        for m in [Measurement::PassFail, Measurement::Stepped { allowed }, Measurement::Deduction { step }] {
            let _ = m.mark(max, MeasurementInput::Amount(amount));
            let _ = m.mark(max, MeasurementInput::Deductions(deductions));
        }
    }

    #[test]
    fn any_raw_scores_standardise_within_the_scale(
        raw in proptest::collection::vec(any::<i64>(), 0..40),
        centre in -1e6f64..1e6,
        points in -1e6f64..1e6,
        mad_factor in -10f64..10.0,
    ) {
        let raw: Vec<Exact> = raw.into_iter().map(Exact).collect();
        let scores = standardise(&raw, ScaleParams { centre, points, mad_factor });
        prop_assert_eq!(scores.len(), raw.len());
        prop_assert!(scores.iter().all(|s| (0..=1000).contains(s)), "{scores:?}");
        let _ = rank(&scores, 0);
    }
}
