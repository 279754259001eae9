//! Pure rules of the competition and of accounts. No actix, no diesel, no I/O: values are parsed
//! here once into types that cannot be invalid, and the rest of the code trusts them.

/// Declares a closed set of values that is stored and sent as text: each variant's text is its
/// name in snake_case (`MarkingClosed` → `marking_closed`), or the text written after it
/// (`ZhCn = "zh-CN"`). The same text is the serde (wire) name, the strum `Display`/`FromStr`
/// name (stored in TEXT columns, see `db::sql::stored_as_text!`) and `as_str()`. Doc comments
/// are kept (they describe the schema in the OpenAPI document); further `#[derive(..)]`s and
/// attributes go on the enum or its variants as usual.
///
/// ```ignore
/// text_enum! {
///     /// Where a dispute is.
///     #[derive(PartialOrd, Ord)]
///     pub enum DisputeStatus {
///         Open,
///         /// Accepted by a chief expert.
///         Upheld,
///         Rejected = "turned_down",
///     }
/// }
/// ```
macro_rules! text_enum {
    (
        $(#[$($attr:tt)*])*
        $vis:vis enum $name:ident {
            $(
                $(#[$($variant_attr:tt)*])*
                // `tt`, not `literal`: utoipa does not read a rename given as a `literal` fragment.
                $variant:ident $(= $text:tt)?
            ),* $(,)?
        }
    ) => {
        $(#[$($attr)*])*
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            ::serde::Serialize,
            ::serde::Deserialize,
            ::utoipa::ToSchema,
            ::strum::Display,
            ::strum::EnumString,
            ::strum::IntoStaticStr,
        )]
        #[serde(rename_all = "snake_case")]
        #[strum(serialize_all = "snake_case")]
        $vis enum $name {
            $(
                $(#[$($variant_attr)*])*
                $(#[serde(rename = $text)] #[strum(serialize = $text)])?
                $variant,
            )*
        }

        impl $name {
            /// The stored and wire text of the value.
            pub fn as_str(self) -> &'static str {
                self.into()
            }
        }
    };
}
pub(crate) use text_enum;

pub mod account;
pub mod audit;
pub mod draw;
pub mod event;
pub mod groups;
pub mod ids;
pub mod lifecycle;
pub mod mail;
pub mod marking;
pub mod publication;
pub mod registration;
pub mod results;
pub mod role;
pub mod scheme;
pub mod selection;

#[cfg(test)]
mod tests {
    text_enum! {
        /// A test set.
        pub enum Sample {
            FirstValue,
            /// With its own text.
            Other = "zh-CN",
        }
    }

    #[test]
    fn text_enum_has_one_text_everywhere() {
        for (value, text) in [(Sample::FirstValue, "first_value"), (Sample::Other, "zh-CN")] {
            assert_eq!(value.as_str(), text);
            assert_eq!(value.to_string(), text, "strum Display (stored)");
            assert_eq!(text.parse::<Sample>().unwrap(), value, "strum FromStr (read back)");
            assert_eq!(serde_json::to_value(value).unwrap(), text, "serde (wire)");
            assert_eq!(serde_json::from_value::<Sample>(text.into()).unwrap(), value);
        }
        assert!("other".parse::<Sample>().is_err());
    }
}
