//! The customers list as it renders, for its own handler and for a bulk
//! action refused: quick search, the API's filters, sorting, pages by
//! cursor, a count when the list is narrowed, a star per row, and tick-boxes
//! for the bulk actions (refused ones come back here with their errors).

use std::collections::HashSet;

use askama::Template;
use axum::http::StatusCode;
use clientele_app::AppError;
use clientele_app::customers::ListParams;
use clientele_domain::{Customer, Module, Right};

use crate::console::kit::{ActionForm, Chrome, Console, PageResult, Words, encode, render};
use crate::state::AppState;

/// The filter form's fields, as typed, so the form shows them again.
#[derive(Debug, Default)]
struct Filters {
    q: String,
    gender: String,
    status: String,
    age_min: String,
    age_max: String,
    birthday_from: String,
    birthday_to: String,
    created_from: String,
    created_to: String,
    favourite: String,
    group_id: String,
    store_id: String,
    channel: String,
    /// `consent_<kind>` and `property_<name>` as typed, by key.
    more: std::collections::BTreeMap<String, String>,
    sort: String,
}

impl Filters {
    /// A `consent_<kind>` or `property_<name>` field as typed.
    fn more(&self, key: &str) -> &str {
        self.more.get(key).map_or("", String::as_str)
    }

    /// Whether the filters folded under the search hold anything (then
    /// they show open).
    fn any_folded(&self) -> bool {
        [
            &self.gender,
            &self.status,
            &self.age_min,
            &self.age_max,
            &self.birthday_from,
            &self.birthday_to,
            &self.created_from,
            &self.created_to,
            &self.favourite,
            &self.group_id,
            &self.store_id,
            &self.channel,
        ]
        .into_iter()
        .chain(self.more.values())
        .any(|value| !value.is_empty())
    }

    fn read(pairs: &[(String, String)]) -> Filters {
        let mut filters = Filters::default();
        for (key, value) in pairs {
            let field = match key.as_str() {
                "q" => &mut filters.q,
                "gender" => &mut filters.gender,
                "status" => &mut filters.status,
                "age_min" => &mut filters.age_min,
                "age_max" => &mut filters.age_max,
                "birthday_from" => &mut filters.birthday_from,
                "birthday_to" => &mut filters.birthday_to,
                "created_from" => &mut filters.created_from,
                "created_to" => &mut filters.created_to,
                "favourite" => &mut filters.favourite,
                "group_id" => &mut filters.group_id,
                "store_id" => &mut filters.store_id,
                "channel" => &mut filters.channel,
                "sort" => &mut filters.sort,
                other if other.starts_with("consent_") || other.starts_with("property_") => {
                    filters.more.insert(key.clone(), value.clone());
                    continue;
                }
                _ => continue,
            };
            value.clone_into(field);
        }
        filters
    }

    /// Whether anything narrows the list (then it is counted).
    fn narrows(&self) -> bool {
        !self.q.is_empty() || self.any_folded()
    }
}

/// How far a narrowed list is counted.
const COUNT_UP_TO: u64 = 1000;

struct CustomerRow {
    id: i64,
    href: String,
    name: String,
    phone: String,
    email: String,
    birth_date: String,
    created: String,
    blocked: bool,
    starred: bool,
    ticked: bool,
}

impl CustomerRow {
    fn of(customer: &Customer, w: &Words, starred: bool, ticked: bool) -> CustomerRow {
        let profile = &customer.profile;
        let (phone, email) = w.contacts(profile);
        CustomerRow {
            id: customer.id.0,
            href: format!("/customers/{}", customer.id.0),
            name: profile.name.clone(),
            phone,
            email,
            birth_date: w.optional_date(profile.birth_date),
            created: w.day(customer.created_at),
            blocked: profile.blocked,
            starred,
            ticked,
        }
    }
}

#[derive(Template)]
#[template(path = "customers/list.html")]
struct ListPage<'a> {
    c: Chrome,
    w: &'a Words,
    may_edit: bool,
    f: Filters,
    /// This list's address, for the bulk form to come back to.
    here: String,
    /// The bulk form: blank with a one-time token, or refused.
    bulk: ActionForm,
    /// What the bulk actions offer besides the groups: certificate
    /// templates and tiers.
    templates: Vec<(i64, String)>,
    tiers: Vec<(i64, String)>,
    may_points: bool,
    offered: FilterChoices,
    /// What the last bulk action did, or why it did nothing.
    notice: Option<String>,
    bulk_error: Option<String>,
    rows: Vec<CustomerRow>,
    found: Option<String>,
    errors: Vec<String>,
    next_href: Option<String>,
    first_href: Option<String>,
}

/// The list a query asks for, with the bulk form as given and these rows
/// ticked.
pub(super) async fn show(
    state: &AppState,
    console: &Console,
    pairs: Vec<(String, String)>,
    bulk: ActionForm,
    ticked: &HashSet<i64>,
) -> PageResult {
    let w = &console.words;
    let filters = Filters::read(&pairs);
    let said = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    };
    let (notice, bulk_error) = match said("bulk").as_deref() {
        Some(done @ ("certificates" | "points" | "tier" | "group")) => {
            let count = said("count").and_then(|c| c.parse().ok()).unwrap_or(0);
            (Some(w.n(&format!("bulk-{done}-done"), count)), None)
        }
        Some("none") => (None, Some(w.t("bulk-none-ticked"))),
        Some("no_template") => (None, Some(w.t("bulk-no-template"))),
        Some(_) => (None, Some(w.t("bulk-refused"))),
        None => (None, None),
    };
    // The form sends every field; an empty one filters nothing. The
    // console's own parameters are not filters.
    let asked: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(key, value)| {
            !value.trim().is_empty() && !matches!(key.as_str(), "lang" | "bulk" | "count")
        })
        .collect();
    let may_edit = console.may(Module::Customers, Right::Edit);
    let (templates, tiers) = if may_edit {
        choices(state, w).await?
    } else {
        Default::default()
    };
    let offered = filter_choices(state, w).await?;
    let params = ListParams {
        scope: console.caller.scope.clone(),
        user: console.caller.user_id().ok(),
        ..crate::api::customers::list_params(asked.clone())
    };
    let listed = state.app.list_customers(&params).await;
    // Counted no further than a screen needs: past that, "more than".
    let counted = match (&listed, filters.narrows()) {
        (Ok(_), true) => state
            .app
            .count_customers(&params, Some(COUNT_UP_TO + 1))
            .await
            .ok(),
        _ => None,
    };
    let mut page = ListPage {
        c: console.chrome(),
        w,
        may_edit,
        f: filters,
        here: format!(
            "/customers?{}",
            asked
                .iter()
                .map(|(key, value)| format!("{key}={}", encode(value)))
                .collect::<Vec<_>>()
                .join("&")
        ),
        bulk,
        templates,
        tiers,
        offered,
        may_points: console.may(Module::Points, Right::Edit),
        notice,
        bulk_error,
        rows: Vec::new(),
        found: counted.map(|n| match n {
            n if n > COUNT_UP_TO => w.n("customers-found-more", COUNT_UP_TO as i64),
            n => w.n("customers-found", n as i64),
        }),
        errors: Vec::new(),
        next_href: None,
        first_href: None,
    };
    let status = match listed {
        Ok((listed, order)) => {
            let ids: Vec<_> = listed.items.iter().map(|c| c.id).collect();
            let starred = state
                .app
                .favourites_among(&ids, &console.caller.changed_by())
                .await?;
            page.rows = listed
                .items
                .iter()
                .map(|c| CustomerRow::of(c, w, starred.contains(&c.id), ticked.contains(&c.id.0)))
                .collect();
            let kept: Vec<&(String, String)> =
                asked.iter().filter(|(key, _)| key != "cursor").collect();
            let query = |extra: Option<String>| {
                kept.iter()
                    .map(|(key, value)| format!("{key}={}", encode(value)))
                    .chain(extra.map(|cursor| format!("cursor={}", encode(&cursor))))
                    .collect::<Vec<_>>()
                    .join("&")
            };
            page.next_href = listed
                .next
                .map(|cursor| format!("/customers?{}", query(Some(cursor.encode(order)))));
            if asked.iter().any(|(key, _)| key == "cursor") {
                page.first_href = Some(format!("/customers?{}", query(None)));
            }
            StatusCode::OK
        }
        Err(AppError::Validation(errors)) => {
            // A cursor names a place in a list that may have changed since:
            // the list from its first page, saying so.
            let stale = errors.0.iter().any(|e| e.field == "cursor");
            page.errors = if stale {
                let kept: Vec<&(String, String)> =
                    asked.iter().filter(|(key, _)| key != "cursor").collect();
                page.first_href = Some(format!(
                    "/customers?{}",
                    kept.iter()
                        .map(|(key, value)| format!("{key}={}", encode(value)))
                        .collect::<Vec<_>>()
                        .join("&")
                ));
                vec![w.t("list-cursor-stale")]
            } else {
                errors.0.iter().map(|e| w.field_error(e)).collect()
            };
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(error) => return Err(error.into()),
    };
    let status = if page.bulk.open {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        status
    };
    Ok(render(status, &page))
}

type Choices = Vec<(i64, String)>;

/// What the bulk actions offer: certificate templates and every program's
/// tiers.
async fn choices(state: &AppState, w: &Words) -> Result<(Choices, Choices), AppError> {
    let templates = state
        .app
        .certificate_templates()
        .await?
        .into_iter()
        .map(|t| {
            (
                t.id.0,
                format!("{} · {}", t.name, w.money(t.face_value_minor)),
            )
        })
        .collect();
    let tiers = state
        .app
        .programs()
        .await?
        .iter()
        .flat_map(|p| {
            p.tiers
                .iter()
                .map(move |t| (t.id.0, format!("{} · {}", p.name, t.name)))
        })
        .collect();
    Ok((templates, tiers))
}

/// A custom property as the filter form offers it.
struct PropertyFilter {
    key: String,
    label: String,
    /// A choice's values, or for a yes/no property the two answers.
    choices: Vec<(String, String)>,
}

/// What the filter form offers to choose from.
#[derive(Default)]
struct FilterChoices {
    groups: Choices,
    stores: Choices,
    channels: Vec<(&'static str, String)>,
    consents: Vec<(String, String)>,
    properties: Vec<PropertyFilter>,
}

async fn filter_choices(state: &AppState, w: &Words) -> Result<FilterChoices, AppError> {
    use clientele_domain::{ConsentKind, PropertyKind, RegistrationChannel};

    let groups = state
        .app
        .customer_groups()
        .await?
        .into_iter()
        .map(|g| (g.id.0, g.name))
        .collect();
    let stores = state
        .app
        .stores()
        .await?
        .into_iter()
        .map(|s| (s.id.0, format!("{} · {}", s.code, s.name)))
        .collect();
    let properties = state
        .app
        .property_definitions()
        .await?
        .into_iter()
        .map(|p| PropertyFilter {
            key: format!("property_{}", p.name),
            label: p.label,
            choices: match p.kind {
                PropertyKind::Choice => p.choices.iter().map(|c| (c.clone(), c.clone())).collect(),
                PropertyKind::Bool => vec![
                    ("true".into(), w.t("consent-yes")),
                    ("false".into(), w.t("consent-no")),
                ],
                _ => Vec::new(),
            },
        })
        .collect();
    Ok(FilterChoices {
        groups,
        stores,
        channels: RegistrationChannel::ALL
            .iter()
            .map(|c| (c.as_str(), w.t(&format!("channel-{}", c.as_str()))))
            .collect(),
        consents: ConsentKind::ALL
            .iter()
            .map(|k| {
                (
                    format!("consent_{}", k.as_str()),
                    w.t(&format!("consent-{}", k.as_str())),
                )
            })
            .collect(),
        properties,
    })
}
