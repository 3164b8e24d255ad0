//! The compact profile at the top of a customer's page: birth date and age,
//! gender, city, group, registration store, cards, consents at a glance and
//! the profile's own notes; and the words of a merge in the points history.

use clientele_app::LedgerEntry;
use clientele_domain::card::Card;
use clientele_domain::{ConsentKind, Customer, CustomerGroup, Store};
use jiff::civil::Date;

use crate::console::kit::Words;

/// What the profile block reads besides the customer.
pub(super) struct Known<'a> {
    pub groups: &'a [CustomerGroup],
    pub store: Option<&'a Store>,
    pub cards: &'a [Card],
    pub today: Date,
}

/// The profile block's rows, label and value (a dash when unknown).
pub(super) fn profile_rows(
    w: &Words,
    customer: &Customer,
    known: &Known<'_>,
) -> Vec<(String, String)> {
    let p = &customer.profile;
    let dash = || "—".to_owned();
    let row = |key: &str, value: Option<String>| {
        (
            w.t(key),
            value.filter(|v| !v.is_empty()).unwrap_or_else(dash),
        )
    };
    let born = p.birth_date.map(|day| match p.age_on(known.today) {
        Some(age) => format!("{} · {}", w.date(day), w.n("profile-age", age.into())),
        None => w.date(day),
    });
    let group = known
        .groups
        .iter()
        .find(|g| g.id == p.group_id)
        .map(|g| g.name.clone());
    let cards: Vec<&str> = known
        .cards
        .iter()
        .filter(|c| c.withdrawn_at.is_none())
        .map(|c| c.barcode.as_str())
        .collect();
    let consents: Vec<String> = ConsentKind::ALL
        .iter()
        .filter(|kind| p.consents.is_granted(**kind))
        .map(|kind| w.t(&format!("consent-{}", kind.as_str())))
        .collect();
    vec![
        row("field-birth-date", born),
        row(
            "field-gender",
            p.gender.map(|g| w.t(&format!("gender-{}", g.as_str()))),
        ),
        row("field-city", p.city.clone()),
        row("field-group", group),
        row(
            "field-store",
            known.store.map(|s| format!("{} · {}", s.code, s.name)),
        ),
        row("profile-cards", Some(cards.join(", "))),
        (
            w.t("profile-consents"),
            if consents.is_empty() {
                w.t("profile-no-consents")
            } else {
                consents.join(", ")
            },
        ),
        row("field-notes", p.notes.clone()),
    ]
}

/// A points entry's comment as the history says it: a merge names both
/// customers, the one who left first.
pub(super) fn entry_comment(w: &Words, customer: &Customer, entry: &LedgerEntry) -> String {
    let Some(other) = &entry.counterpart else {
        return entry.comment.clone().unwrap_or_default();
    };
    let here = customer.profile.name.clone();
    let went_there = customer
        .merged_into
        .as_ref()
        .is_some_and(|into| into.id == other.id);
    let (from, to) = if went_there {
        (here, other.name.clone())
    } else {
        (other.name.clone(), here)
    };
    w.with_all(
        "customer-merge-entry",
        vec![("from", from.into()), ("to", to.into())],
    )
}
