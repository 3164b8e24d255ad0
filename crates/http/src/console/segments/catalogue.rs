//! What a rule may test, as the editor offers it and a sentence names it:
//! the domain's fields (`Field::catalogue`) in the reader's words, grouped
//! by what they are about, with the values a choice, a group, a tier or a
//! store takes, and the unit a figure is typed in.

use clientele_app::AppError;
use clientele_domain::segment::{Field, FieldSpec, Operand, ValueKind};

use crate::console::kit::Words;
use crate::state::AppState;

/// The editor's groups of fields, in its order.
pub const SECTIONS: [&str; 6] = [
    "profile",
    "consents",
    "properties",
    "loyalty",
    "history",
    "rfm",
];

const LOYALTY: &[&str] = &[
    "tier_id",
    "tier_since_days",
    "balance_points",
    "points_expiring_within_days",
];

const HISTORY: &[&str] = &[
    "purchases_count",
    "spent_minor",
    "average_receipt_minor",
    "first_purchase_days_ago",
    "last_purchase_days_ago",
    "bought",
    "bought_minor",
    "stores_visited",
    "purchase_store_id",
];

/// What a whole-number field counts, which decides how it is typed and said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Plain,
    /// Minor units, typed and said in roubles.
    Money,
    /// Hundredths of a point, typed and said in points.
    Points,
    /// Whole units of goods.
    Units,
}

impl Unit {
    pub fn of(field: &str) -> Unit {
        match field {
            "balance_points" => Unit::Points,
            "bought" => Unit::Units,
            field if field.ends_with("_minor") => Unit::Money,
            _ => Unit::Plain,
        }
    }
}

/// The section a field is offered under.
pub fn section(field: &str) -> &'static str {
    match field {
        field if LOYALTY.contains(&field) => "loyalty",
        field if HISTORY.contains(&field) => "history",
        field if field.starts_with("consent_") => "consents",
        field if field.starts_with("property_") => "properties",
        field if field.starts_with("rfm_") => "rfm",
        _ => "profile",
    }
}

/// The fields, and the names of what their ids stand for.
pub struct Catalogue {
    pub specs: Vec<FieldSpec>,
    groups: Vec<(i64, String)>,
    tiers: Vec<(i64, String)>,
    stores: Vec<(i64, String)>,
}

impl Catalogue {
    pub(super) async fn load(state: &AppState) -> Result<Catalogue, AppError> {
        let properties = state.app.property_definitions().await?;
        let groups = state.app.customer_groups().await?;
        let programs = state.app.programs().await?;
        let stores = state.app.stores().await?;
        Ok(Catalogue {
            specs: Field::catalogue(&properties),
            groups: groups.into_iter().map(|g| (g.id.0, g.name)).collect(),
            tiers: programs
                .iter()
                .flat_map(|p| {
                    p.tiers
                        .iter()
                        .map(move |t| (t.id.0, format!("{} · {}", p.name, t.name)))
                })
                .collect(),
            stores: stores.into_iter().map(|s| (s.id.0, s.name)).collect(),
        })
    }

    /// The fields alone, naming no group, tier or store.
    #[cfg(test)]
    pub fn bare(specs: Vec<FieldSpec>) -> Catalogue {
        Catalogue {
            specs,
            groups: Vec::new(),
            tiers: Vec::new(),
            stores: Vec::new(),
        }
    }

    pub fn spec(&self, field: &str) -> Option<&FieldSpec> {
        self.specs.iter().find(|spec| spec.name == field)
    }

    /// A field as the reader calls it; a property by its label, one no
    /// longer defined by its name.
    pub fn label(&self, w: &Words, field: &str) -> String {
        if let Some(label) = self.spec(field).and_then(|spec| spec.label.clone()) {
            return label;
        }
        if let Some(channel) = field.strip_prefix("consent_") {
            return w.with(
                "segment-field-consent",
                "channel",
                w.t(&format!("consent-{channel}")).into(),
            );
        }
        w.find(&format!("segment-field-{field}"))
            .unwrap_or_else(|| field.to_owned())
    }

    /// What a field's value may be chosen from, as value and words: a
    /// choice's values, the groups, tiers or stores, yes and no. Empty for
    /// a value that is typed.
    pub fn choices(&self, w: &Words, spec: &FieldSpec) -> Vec<(String, String)> {
        let named = |list: &[(i64, String)]| {
            list.iter()
                .map(|(id, name)| (id.to_string(), name.clone()))
                .collect()
        };
        match spec.kind {
            ValueKind::Choice => spec
                .values
                .iter()
                .map(|value| (value.clone(), self.choice_words(w, spec, value)))
                .collect(),
            ValueKind::Bool => vec![
                ("true".into(), w.t("segment-yes")),
                ("false".into(), w.t("segment-no")),
            ],
            ValueKind::Id if spec.name == "group_id" => named(&self.groups),
            ValueKind::Id => named(&self.tiers),
            ValueKind::Store => named(&self.stores),
            _ => Vec::new(),
        }
    }

    /// A value of a choice field in words: a property's as its marketer
    /// wrote it, a built-in one by its key.
    fn choice_words(&self, w: &Words, spec: &FieldSpec, value: &str) -> String {
        if spec.label.is_some() {
            return value.to_owned();
        }
        let key = match spec.name.as_str() {
            "channel" => format!("channel-{value}"),
            field => format!("segment-value-{field}-{value}"),
        };
        w.find(&key).unwrap_or_else(|| value.to_owned())
    }

    /// A value a condition compares with, as a sentence says it.
    pub fn said(&self, w: &Words, field: &str, operand: &Operand) -> String {
        let spec = self.spec(field);
        let named = |list: &[(i64, String)], id: i64| {
            list.iter().find(|(known, _)| *known == id).map_or_else(
                || w.with("segment-number", "id", id.into()),
                |(_, n)| n.clone(),
            )
        };
        match (spec.map(|s| s.kind), operand) {
            (Some(ValueKind::Id), Operand::Int(id)) if field == "group_id" => {
                named(&self.groups, *id)
            }
            (Some(ValueKind::Id), Operand::Int(id)) => named(&self.tiers, *id),
            (Some(ValueKind::Store), Operand::Int(id)) => named(&self.stores, *id),
            (_, Operand::Int(n)) => match Unit::of(field) {
                Unit::Money => w.money(*n),
                Unit::Points => w.points(*n),
                Unit::Units => w.n("segment-units", *n),
                Unit::Plain if *n < 0 => format!("-{}", w.count(n.unsigned_abs())),
                Unit::Plain => w.count(n.unsigned_abs()),
            },
            (Some(ValueKind::Choice), Operand::Text(value)) => match spec {
                Some(spec) => self.choice_words(w, spec, value),
                None => value.clone(),
            },
            (_, Operand::Text(text)) => w.with("segment-quoted", "text", text.clone().into()),
            (_, Operand::Bool(true)) => w.t("segment-yes"),
            (_, Operand::Bool(false)) => w.t("segment-no"),
            (_, Operand::Date(date)) => w.date(*date),
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::tz::TimeZone;

    use super::*;
    use crate::console::kit::Lang;

    /// Every built-in field, op and choice has its words in each language:
    /// the editor never shows a code.
    #[test]
    fn every_field_op_and_choice_has_words_in_each_language() {
        for lang in [Lang::Ru, Lang::En] {
            let w = Words::new(lang, TimeZone::UTC);
            let catalogue = Catalogue::bare(Field::catalogue(&[]));
            for spec in &catalogue.specs {
                let label = catalogue.label(&w, &spec.name);
                assert_ne!(label, spec.name, "{lang:?}: no words for {}", spec.name);
                assert!(SECTIONS.contains(&section(&spec.name)));
                // A code is English: a Russian word is not the code.
                for (value, said) in catalogue.choices(&w, spec) {
                    assert!(lang == Lang::En || value != said, "{} {value}", spec.name);
                }
                for op in spec.ops.iter().map(|op| op.as_str()) {
                    let key = format!("segment-op-{op}");
                    assert!(w.find(&key).is_some(), "{lang:?}: {key}");
                    let said = w.with_all(
                        &format!("segment-test-{op}"),
                        vec![("value", 1.into()), ("low", 1.into()), ("high", 2.into())],
                    );
                    let unknown = said.starts_with("Unknown localization");
                    assert!(op == "exists" || !unknown, "{lang:?}: {said}");
                }
            }
        }
    }

    #[test]
    fn figures_are_said_in_their_units() {
        let w = Words::new(Lang::Ru, TimeZone::UTC);
        let catalogue = Catalogue {
            specs: Field::catalogue(&[]),
            groups: vec![(4, "Оптовики".into())],
            tiers: Vec::new(),
            stores: Vec::new(),
        };
        let said = |field: &str, operand: Operand| catalogue.said(&w, field, &operand);
        assert_eq!(
            said("spent_minor", Operand::Int(150_000)),
            "1\u{a0}500,00\u{a0}₽"
        );
        assert_eq!(said("bought", Operand::Int(2)), "2 шт.");
        assert_eq!(said("age", Operand::Int(30)), "30");
        assert_eq!(said("group_id", Operand::Int(4)), "Оптовики");
        assert_eq!(said("group_id", Operand::Int(5)), "№5");
        assert_eq!(said("gender", Operand::Text("female".into())), "женский");
        assert_eq!(said("has_phone", Operand::Bool(true)), "да");
    }
}
