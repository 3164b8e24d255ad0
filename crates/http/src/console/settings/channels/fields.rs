//! The fields of each provider's settings form, in sections, each with its
//! label and hint in the admin's words.

use crate::console::kit::Words;
use crate::console::settings::form::Field;

/// A part of the form, under its legend.
pub struct Section {
    pub legend: String,
    pub fields: Vec<Field>,
}

/// A field: its name, how it is typed (`text`, `secret`, `code`, `lines`
/// or `radio`), and whether it is required.
type Spec = (&'static str, &'static str, bool);

const SMTP: &[Spec] = &[
    ("host", "text", true),
    ("port", "text", true),
    ("tls", "radio", false),
    ("user", "text", false),
    ("password", "secret", false),
    ("from", "text", true),
];
const SMS_RU: &[Spec] = &[
    ("api_id", "secret", true),
    ("from", "text", false),
    ("base_url", "text", false),
];
const SMSC: &[Spec] = &[
    ("login", "text", true),
    ("password", "secret", true),
    ("sender", "text", false),
    ("base_url", "text", false),
];
const INFOBIP: &[Spec] = &[
    ("api_key", "secret", true),
    ("sender", "text", true),
    ("base_url", "text", false),
];
const FCM: &[Spec] = &[
    ("service_account", "secret", true),
    ("base_url", "text", false),
];
const TELEGRAM: &[Spec] = &[("bot_token", "secret", true), ("base_url", "text", false)];
/// The generic provider: its request, what its answer says, its secrets
/// and its delivery reports.
const HTTP: &[(&str, &[Spec])] = &[
    (
        "request",
        &[
            ("method", "radio", false),
            ("url", "text", true),
            ("content_type", "radio", false),
            ("body", "code", false),
            ("headers", "lines", false),
        ],
    ),
    (
        "answer",
        &[
            ("message_id", "text", false),
            ("ok_pointer", "text", false),
            ("ok_values", "text", false),
            ("passing_pointer", "text", false),
            ("passing_values", "text", false),
            ("error", "text", false),
        ],
    ),
    ("secrets", &[("secrets", "lines", false)]),
    (
        "report",
        &[
            ("report_format", "radio", false),
            ("report_id", "text", false),
            ("report_status", "text", false),
            ("report_delivered", "text", false),
            ("report_failed", "text", false),
            ("report_reason", "text", false),
        ],
    ),
];

/// The choices of a radio field.
fn options(name: &str) -> &'static [&'static str] {
    match name {
        "tls" => &["starttls", "tls", "none"],
        "method" => &["POST", "GET"],
        "content_type" => &["json", "form", "none"],
        "report_format" => &["none", "json", "form"],
        _ => &[],
    }
}

/// The form of `provider`, in sections.
pub fn sections(w: &Words, provider: &str) -> Vec<Section> {
    let one = |specs: &[Spec]| {
        vec![Section {
            legend: w.t(&format!("channel-provider-{provider}")),
            fields: fields(w, provider, specs),
        }]
    };
    match provider {
        "smtp" => one(SMTP),
        "sms_ru" => one(SMS_RU),
        "smsc" => one(SMSC),
        "infobip" => one(INFOBIP),
        "fcm" => one(FCM),
        "telegram" => one(TELEGRAM),
        _ => (HTTP.iter())
            .map(|(section, specs)| Section {
                legend: w.t(&format!("channel-section-{section}")),
                fields: fields(w, provider, specs),
            })
            .collect(),
    }
}

/// The fields of `specs`, labelled and hinted in the words of the
/// provider where it has its own.
fn fields(w: &Words, provider: &str, specs: &[Spec]) -> Vec<Field> {
    let said = |kind: &str, name: &str| {
        w.find(&format!("channel-{kind}-{provider}-{name}"))
            .or_else(|| w.find(&format!("channel-{kind}-{name}")))
    };
    (specs.iter())
        .map(|&(name, input, required)| {
            let label =
                said("field", name).unwrap_or_else(|| w.t(&format!("channel-field-{name}")));
            let field = match input {
                "secret" => Field::secret(name, label),
                "code" => Field::code(name, label),
                "lines" => Field::lines(name, label),
                "radio" => Field::radio(
                    name,
                    label,
                    (options(name).iter())
                        .map(|&v| {
                            let key = format!("channel-choice-{name}-{}", v.to_lowercase());
                            (v.to_owned(), w.t(&key))
                        })
                        .collect(),
                ),
                _ => Field::text(name, label),
            };
            let field = match said("hint", name) {
                Some(hint) => field.hint(hint),
                None => field,
            };
            match required {
                true => field.required(),
                false => field,
            }
        })
        .collect()
}
