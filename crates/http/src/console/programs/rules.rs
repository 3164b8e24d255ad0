//! What the programs' forms share: a program's kinds by their codes, and a
//! use case's refusal said beside the form's fields.

use std::collections::BTreeMap;

use clientele_app::AppError;
use clientele_domain::ProgramKind;

use crate::console::kit::Words;

pub const KINDS: [(ProgramKind, &str); 3] = [
    (ProgramKind::Bonus, "bonus"),
    (ProgramKind::CumulativeDiscount, "cumulative_discount"),
    (ProgramKind::FixedDiscount, "fixed_discount"),
];

pub fn kind_code(kind: ProgramKind) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("bonus", |(_, code)| code)
}

/// A rule's field in the domain → its field on the form.
pub fn form_field(field: &str) -> &str {
    field
        .strip_suffix("_bp")
        .or_else(|| field.strip_suffix("_minor"))
        .unwrap_or(field)
}

/// The app's refusal, each error beside its field in the reader's words.
pub fn field_errors(
    w: &Words,
    refused: clientele_domain::ValidationErrors,
) -> BTreeMap<String, String> {
    refused
        .0
        .into_iter()
        .map(|e| {
            let field = form_field(&e.field).to_owned();
            let code = e.code;
            let said = if code == "out_of_range" && e.field.ends_with("_bp") {
                Some(w.t("programs-error-percent"))
            } else {
                w.find(&format!("programs-error-{field}-{code}"))
                    .or_else(|| w.find(&format!("programs-error-{code}")))
            };
            let said = said.unwrap_or_else(|| w.field_error(&e));
            (field, said)
        })
        .collect()
}

/// A use case's refusal of a programs form as errors beside its fields: a
/// rule broken, or a name taken. `Err` when it is not the user's to correct.
pub fn refused_fields(w: &Words, error: AppError) -> Result<BTreeMap<String, String>, AppError> {
    match error {
        AppError::Validation(refused) => Ok(field_errors(w, refused)),
        AppError::Conflict {
            field: Some(field), ..
        } => Ok([(field.to_owned(), w.t("error-taken"))].into()),
        other => Err(other),
    }
}
