//! A report's query string, the same in the API and the console: the
//! parameters a report takes, `format` (`json` or `xlsx`), and `lang`,
//! which the console reads on its own. Anything else is refused by name.

use clientele_domain::FieldError;
use clientele_domain::report::ReportAsked;

/// The parameters as the API document lists them.
pub const PARAMETERS: [&str; 13] = [
    "from",
    "to",
    "store_id",
    "segment_id",
    "program_id",
    "days",
    "sku",
    "category",
    "limit",
    "recency",
    "frequency",
    "format",
    "lang",
];

pub struct ReportQuery<'a> {
    pub asked: ReportAsked<'a>,
    /// The report as an Excel file rather than JSON or a page.
    pub xlsx: bool,
}

pub fn read(pairs: &[(String, String)]) -> Result<ReportQuery<'_>, FieldError> {
    let mut query = ReportQuery {
        asked: ReportAsked::default(),
        xlsx: false,
    };
    for (key, value) in pairs {
        let value = value.as_str();
        let asked = &mut query.asked;
        match key.as_str() {
            "from" => asked.period.from = Some(value),
            "to" => asked.period.to = Some(value),
            "store_id" => asked.store_id = Some(value),
            "segment_id" => asked.segment_id = Some(value),
            "program_id" => asked.program_id = Some(value),
            "days" => asked.days = Some(value),
            "sku" => asked.skus.push(value),
            "category" => asked.categories.push(value),
            "limit" => asked.limit = Some(value),
            "recency" => asked.recency = Some(value),
            "frequency" => asked.frequency = Some(value),
            "format" => {
                query.xlsx = match value.trim() {
                    "" | "json" => false,
                    "xlsx" => true,
                    other => {
                        return Err(FieldError::new(
                            "format",
                            "invalid",
                            format!("«{other}» is not a format; known: json, xlsx"),
                        ));
                    }
                }
            }
            "lang" => {}
            other => {
                return Err(FieldError::new(
                    other,
                    "unknown_parameter",
                    format!(
                        "unknown parameter «{other}»; known: {}",
                        PARAMETERS.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(query)
}
