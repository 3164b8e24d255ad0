//! The customer (покупатель): the profile staff and tills edit, the rules
//! each field obeys, and one way to change it that serves both registration
//! and later edits.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::consent::{ConsentChange, ConsentKind, Consents};
use crate::email::Email;
use crate::ids::{CustomerGroupId, CustomerId, StoreId};
use crate::phone::Phone;
use crate::property::{PropertyDefinition, PropertyName};
use crate::text;
use crate::validation::{FieldError, ValidationErrors};

macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? } field = $field:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Every value as written.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Result<$name, FieldError> {
                match raw.trim() {
                    $($text => Ok($name::$variant),)+
                    other => Err(FieldError::new(
                        $field,
                        "invalid_value",
                        format!(
                            "«{}» is not one of: {}",
                            other,
                            [$($text),+].join(", ")
                        ),
                    )),
                }
            }
        }
    };
}

text_enum!(Gender { Female = "female", Male = "male" } field = "gender");

text_enum!(
    /// Введён / Контроль / Архив in the seeds.
    CustomerStatus { Active = "active", Incomplete = "incomplete", Archived = "archived" } field = "status"
);

text_enum!(
    /// Where the customer was registered.
    RegistrationChannel {
        Console = "console",
        Pos = "pos",
        Web = "web",
        App = "app",
        Api = "api",
        Import = "import",
        Partner = "partner",
    } field = "channel"
);

/// An identity document (passport, driving licence, …).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Document {
    pub kind: String,
    pub number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_on: Option<Date>,
}

/// A document as submitted, before its checks.
#[derive(Debug, Clone, Default)]
pub struct DocumentInput {
    pub kind: String,
    pub number: String,
    pub issued_by: Option<String>,
    pub issued_on: Option<String>,
}

/// Everything about a customer that people and tills edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerProfile {
    pub name: String,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    pub gender: Option<Gender>,
    pub birth_date: Option<Date>,
    pub address: Option<String>,
    pub region: Option<String>,
    pub city: Option<String>,
    pub documents: Vec<Document>,
    pub group_id: CustomerGroupId,
    pub status: CustomerStatus,
    pub blocked: bool,
    pub blocked_reason: Option<String>,
    pub notes: Option<String>,
    pub referrer_id: Option<CustomerId>,
    pub channel: RegistrationChannel,
    pub store_id: Option<StoreId>,
    /// The customer's id in another system (an e-shop, the previous CRM).
    pub external_id: Option<String>,
    pub consents: Consents,
    /// Custom property values in their canonical text form.
    pub properties: BTreeMap<PropertyName, String>,
}

/// A profile ready to be stored as a new customer.
pub type NewCustomer = CustomerProfile;

/// Another customer a record points at, with the name a person reads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NamedCustomer {
    pub id: CustomerId,
    pub name: String,
}

/// A stored customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub id: CustomerId,
    pub profile: CustomerProfile,
    /// Set when this customer was merged into another: the survivor, so the
    /// duplicate's page can say where it went.
    pub merged_into: Option<NamedCustomer>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Bumped by every write, so two edits of the same card cannot silently
    /// overwrite each other.
    pub version: i64,
}

impl CustomerProfile {
    /// The key the name is searched and sorted by.
    pub fn search_name(&self) -> String {
        text::search_key(&self.name)
    }

    /// Full years of age on `today`, if the birth date is known.
    pub fn age_on(&self, today: Date) -> Option<i16> {
        let born = self.birth_date?;
        let had_birthday = (today.month(), today.day()) >= (born.month(), born.day());
        Some(today.year() - born.year() - i16::from(!had_birthday))
    }

    /// Month and day of birth as `MMDD`, for birthday filters across years.
    pub fn birthday_md(&self) -> Option<i32> {
        self.birth_date
            .map(|d| i32::from(d.month()) * 100 + i32::from(d.day()))
    }
}

/// What the rules of a customer depend on besides the input itself.
#[derive(Debug, Clone, Copy)]
pub struct CustomerRules<'a> {
    pub properties: &'a [PropertyDefinition],
    pub default_group: CustomerGroupId,
    pub today: Date,
    pub now: Timestamp,
    /// Recorded with consents given without a source of their own.
    pub source: &'a str,
}

/// A consent answer as submitted.
#[derive(Debug, Clone)]
pub struct ConsentInput {
    pub kind: String,
    pub granted: bool,
    pub source: Option<String>,
}

/// A change to a customer, as submitted. A field left `None` is unchanged;
/// `Some(None)` clears it. Registration is a change applied to a blank
/// profile, so both paths obey the same rules.
#[derive(Debug, Clone, Default)]
pub struct CustomerChanges {
    pub name: Option<String>,
    pub phone: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub gender: Option<Option<String>>,
    pub birth_date: Option<Option<String>>,
    pub address: Option<Option<String>>,
    pub region: Option<Option<String>>,
    pub city: Option<Option<String>>,
    pub documents: Option<Vec<DocumentInput>>,
    pub group_id: Option<CustomerGroupId>,
    pub status: Option<String>,
    pub blocked: Option<bool>,
    pub blocked_reason: Option<Option<String>>,
    pub notes: Option<Option<String>>,
    pub referrer_id: Option<Option<CustomerId>>,
    pub channel: Option<String>,
    pub store_id: Option<Option<StoreId>>,
    pub external_id: Option<Option<String>>,
    pub consents: Vec<ConsentInput>,
    /// Property name → value; `None` removes the value.
    pub properties: Vec<(String, Option<String>)>,
}

/// The raw input of a registration.
pub type CustomerInput = CustomerChanges;

impl CustomerChanges {
    /// Registers: the changes applied to a blank profile; a name is required.
    pub fn into_new(self, rules: &CustomerRules<'_>) -> Result<NewCustomer, ValidationErrors> {
        let blank = CustomerProfile {
            name: String::new(),
            phone: None,
            email: None,
            gender: None,
            birth_date: None,
            address: None,
            region: None,
            city: None,
            documents: Vec::new(),
            group_id: rules.default_group,
            status: CustomerStatus::Active,
            blocked: false,
            blocked_reason: None,
            notes: None,
            referrer_id: None,
            channel: RegistrationChannel::Api,
            store_id: None,
            external_id: None,
            consents: Consents::default(),
            properties: BTreeMap::new(),
        };
        self.apply_to(blank, rules)
    }

    /// Applies the changes to a profile, checking every field; all errors are
    /// reported together and the profile is returned only when there are none.
    pub fn apply_to(
        self,
        mut profile: CustomerProfile,
        rules: &CustomerRules<'_>,
    ) -> Result<CustomerProfile, ValidationErrors> {
        let mut errors = ValidationErrors::default();

        if let Some(name) = self.name {
            match text::clean_name(&name, 200) {
                Some(name) => profile.name = name,
                None => errors.push(FieldError::new(
                    "name",
                    "required",
                    "a name is required (up to 200 characters)",
                )),
            }
        } else if profile.name.is_empty() {
            errors.push(FieldError::new("name", "required", "a name is required"));
        }
        if let Some(phone) = self.phone
            && let Some(value) = errors.take(optional_parsed(phone, Phone::parse))
        {
            profile.phone = value;
        }
        if let Some(email) = self.email
            && let Some(value) = errors.take(optional_parsed(email, Email::parse))
        {
            profile.email = value;
        }
        if let Some(gender) = self.gender
            && let Some(value) = errors.take(optional_parsed(gender, Gender::parse))
        {
            profile.gender = value;
        }
        if let Some(birth_date) = self.birth_date {
            let parsed = optional_parsed(birth_date, |raw| parse_birth_date(raw, rules.today));
            if let Some(value) = errors.take(parsed) {
                profile.birth_date = value;
            }
        }
        set_text(
            &mut errors,
            "address",
            self.address,
            &mut profile.address,
            500,
        );
        set_text(&mut errors, "region", self.region, &mut profile.region, 200);
        set_text(&mut errors, "city", self.city, &mut profile.city, 200);
        set_text(&mut errors, "notes", self.notes, &mut profile.notes, 4000);
        set_text(
            &mut errors,
            "blocked_reason",
            self.blocked_reason,
            &mut profile.blocked_reason,
            500,
        );
        set_text(
            &mut errors,
            "external_id",
            self.external_id,
            &mut profile.external_id,
            64,
        );
        if let Some(documents) = self.documents {
            let mut parsed = Vec::with_capacity(documents.len());
            for (index, document) in documents.into_iter().enumerate() {
                match parse_document(document, index) {
                    Ok(document) => parsed.push(document),
                    Err(mut field_errors) => errors.0.append(&mut field_errors),
                }
            }
            profile.documents = parsed;
        }
        if let Some(group_id) = self.group_id {
            profile.group_id = group_id;
        }
        if let Some(status) = self.status
            && let Some(status) = errors.take(CustomerStatus::parse(&status))
        {
            profile.status = status;
        }
        if let Some(blocked) = self.blocked {
            profile.blocked = blocked;
        }
        if !profile.blocked {
            profile.blocked_reason = None;
        }
        if let Some(referrer_id) = self.referrer_id {
            profile.referrer_id = referrer_id;
        }
        if let Some(channel) = self.channel
            && let Some(channel) = errors.take(RegistrationChannel::parse(&channel))
        {
            profile.channel = channel;
        }
        if let Some(store_id) = self.store_id {
            profile.store_id = store_id;
        }
        for consent in self.consents {
            if let Some(kind) = errors.take(ConsentKind::parse(consent.kind.trim())) {
                profile.consents.apply(ConsentChange {
                    kind,
                    granted: consent.granted,
                    source: text::optional(consent.source)
                        .or_else(|| Some(rules.source.to_owned())),
                    at: rules.now,
                });
            }
        }
        for (name, value) in self.properties {
            let Some(definition) = rules.properties.iter().find(|d| d.name.as_str() == name) else {
                errors.push(FieldError::new(
                    format!("properties.{name}"),
                    "unknown_property",
                    format!("there is no property «{name}»"),
                ));
                continue;
            };
            match value.filter(|v| !v.trim().is_empty()) {
                None => {
                    profile.properties.remove(&definition.name);
                }
                Some(raw) => {
                    if let Some(value) = errors.take(definition.parse_value(&raw)) {
                        profile.properties.insert(definition.name.clone(), value);
                    }
                }
            }
        }
        errors.finish(|| profile)
    }
}

/// `Some(blank)` clears like `None`; anything else must parse.
fn optional_parsed<T>(
    value: Option<String>,
    parse: impl FnOnce(&str) -> Result<T, FieldError>,
) -> Result<Option<T>, FieldError> {
    match text::optional(value) {
        None => Ok(None),
        Some(raw) => parse(&raw).map(Some),
    }
}

/// Sets a free-text field when the change carries it and it fits.
fn set_text(
    errors: &mut ValidationErrors,
    field: &str,
    change: Option<Option<String>>,
    target: &mut Option<String>,
    limit: usize,
) {
    let Some(value) = change else { return };
    let sent = value.as_ref().map_or(0, |text| text.chars().count());
    let value = text::optional(value);
    if sent > limit {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("at most {limit} characters"),
        ));
    } else {
        *target = value;
    }
}

fn parse_document(input: DocumentInput, index: usize) -> Result<Document, Vec<FieldError>> {
    let mut errors = Vec::new();
    let field = |name: &str| format!("documents[{index}].{name}");
    let kind = text::clean_name(&input.kind, 64);
    if kind.is_none() {
        errors.push(FieldError::new(
            field("kind"),
            "required",
            "the document's kind is required",
        ));
    }
    let number = text::clean_name(&input.number, 64);
    if number.is_none() {
        errors.push(FieldError::new(
            field("number"),
            "required",
            "the document's number is required",
        ));
    }
    let issued_on = match text::optional(input.issued_on) {
        None => None,
        Some(raw) => match parse_date(&raw) {
            Some(date) => Some(date),
            None => {
                errors.push(FieldError::new(
                    field("issued_on"),
                    "invalid_date",
                    format!("«{raw}» is not a date (YYYY-MM-DD or DD.MM.YYYY)"),
                ));
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Document {
        kind: kind.expect("checked"),
        number: number.expect("checked"),
        issued_by: text::optional(input.issued_by),
        issued_on,
    })
}

/// Reads `YYYY-MM-DD` or the Russian `DD.MM.YYYY`; impossible dates are `None`.
pub fn parse_date(raw: &str) -> Option<Date> {
    let raw = raw.trim();
    let parts: Vec<&str> = raw.split(['-', '.', '/']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let number = |s: &str| s.parse::<i16>().ok();
    let (year, month, day) = if parts[0].len() == 4 && raw.contains('-') {
        (number(parts[0])?, number(parts[1])?, number(parts[2])?)
    } else if parts[2].len() == 4 && !raw.contains('-') {
        (number(parts[2])?, number(parts[1])?, number(parts[0])?)
    } else {
        return None;
    };
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

/// A birth date: a real date, not in the future, not before 1900.
pub fn parse_birth_date(raw: &str, today: Date) -> Result<Date, FieldError> {
    let date = parse_date(raw).ok_or_else(|| {
        FieldError::new(
            "birth_date",
            "invalid_date",
            format!("«{raw}» is not a date (YYYY-MM-DD or DD.MM.YYYY)"),
        )
    })?;
    if date > today || date.year() < 1900 {
        return Err(FieldError::new(
            "birth_date",
            "implausible_date",
            format!("a birth date must lie between 1900-01-01 and {today}"),
        ));
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::PropertyId;
    use crate::property::PropertyKind;
    use jiff::civil::date;

    fn rules(properties: &[PropertyDefinition]) -> CustomerRules<'_> {
        CustomerRules {
            properties,
            default_group: CustomerGroupId(1),
            today: date(2026, 11, 23),
            now: Timestamp::from_second(1_800_000_000).unwrap(),
            source: "console",
        }
    }

    fn vision() -> Vec<PropertyDefinition> {
        vec![PropertyDefinition {
            id: PropertyId(1),
            name: PropertyName::parse("vision").unwrap(),
            label: "Зрение".into(),
            kind: PropertyKind::Number,
            choices: vec![],
            created_at: Timestamp::UNIX_EPOCH,
        }]
    }

    #[test]
    fn age_counts_full_years_turning_on_the_birthday() {
        let anna = CustomerInput {
            name: Some("Анна".into()),
            birth_date: Some(Some("1990-11-23".into())),
            ..Default::default()
        }
        .into_new(&rules(&[]))
        .unwrap();
        assert_eq!(anna.age_on(date(2026, 11, 22)), Some(35));
        assert_eq!(anna.age_on(date(2026, 11, 23)), Some(36));
        let unknown = CustomerProfile {
            birth_date: None,
            ..anna
        };
        assert_eq!(unknown.age_on(date(2026, 11, 23)), None);
    }

    #[test]
    fn registration_needs_a_name_and_reports_every_error() {
        let input = CustomerInput {
            phone: Some(Some("12".into())),
            email: Some(Some("nope".into())),
            birth_date: Some(Some("31.02.1990".into())),
            ..Default::default()
        };
        let errors = input.into_new(&rules(&[])).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "phone", "email", "birth_date"]);
    }

    #[test]
    fn registration_fills_defaults_and_parses_fields() {
        let definitions = vision();
        let input = CustomerInput {
            name: Some("  Иванова   Мария ".into()),
            phone: Some(Some("8 (912) 345-67-89".into())),
            gender: Some(Some("female".into())),
            birth_date: Some(Some("05.03.1990".into())),
            consents: vec![ConsentInput {
                kind: "sms".into(),
                granted: true,
                source: None,
            }],
            properties: vec![("vision".into(), Some("-1,50".into()))],
            ..Default::default()
        };
        let profile = input.into_new(&rules(&definitions)).unwrap();
        assert_eq!(profile.name, "Иванова Мария");
        assert_eq!(profile.phone.unwrap().as_str(), "+79123456789");
        assert_eq!(profile.group_id, CustomerGroupId(1));
        assert_eq!(profile.birth_date, Some(date(1990, 3, 5)));
        assert!(profile.consents.is_granted(ConsentKind::Sms));
        assert_eq!(
            profile.consents.0[&ConsentKind::Sms].source.as_deref(),
            Some("console")
        );
        assert_eq!(profile.properties.values().next().unwrap(), "-1.5");
    }

    #[test]
    fn a_change_can_clear_a_field_and_leaves_the_rest() {
        let base = CustomerInput {
            name: Some("Пётр".into()),
            email: Some(Some("p@mail.ru".into())),
            city: Some(Some("Казань".into())),
            ..Default::default()
        }
        .into_new(&rules(&[]))
        .unwrap();
        let changed = CustomerChanges {
            email: Some(None),
            ..Default::default()
        }
        .apply_to(base.clone(), &rules(&[]))
        .unwrap();
        assert_eq!(changed.email, None);
        assert_eq!(changed.city.as_deref(), Some("Казань"));
        assert_eq!(changed.name, base.name);
    }

    #[test]
    fn unknown_properties_and_future_births_are_refused() {
        let errors = CustomerInput {
            name: Some("А".into()),
            birth_date: Some(Some("2030-01-01".into())),
            properties: vec![("shoe_size".into(), Some("42".into()))],
            ..Default::default()
        }
        .into_new(&rules(&[]))
        .unwrap_err();
        assert_eq!(errors.0[0].code, "implausible_date");
        assert_eq!(errors.0[1].field, "properties.shoe_size");
    }

    #[test]
    fn unblocking_forgets_the_reason() {
        let blocked = CustomerInput {
            name: Some("А".into()),
            blocked: Some(true),
            blocked_reason: Some(Some("fraud".into())),
            ..Default::default()
        }
        .into_new(&rules(&[]))
        .unwrap();
        assert_eq!(blocked.blocked_reason.as_deref(), Some("fraud"));
        let unblocked = CustomerChanges {
            blocked: Some(false),
            ..Default::default()
        }
        .apply_to(blocked, &rules(&[]))
        .unwrap();
        assert!(!unblocked.blocked && unblocked.blocked_reason.is_none());
    }

    #[test]
    fn dates_in_both_notations() {
        assert_eq!(parse_date("2024-02-29"), Some(date(2024, 2, 29)));
        assert_eq!(parse_date("1.3.2024"), Some(date(2024, 3, 1)));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("01-03-2024"), None);
        assert_eq!(parse_date("yesterday"), None);
    }
}
