//! File formats the app reads and writes: registration lists as spreadsheets ([`tabular`]), marking
//! schemes in the CIS layout ([`cis`]), and the printable PDFs ([`pdf`]). Pure: bytes in, values
//! out, and back; no database, no HTTP.

pub mod cis;
pub mod pdf;
pub mod tabular;
