//! The customers list as it renders, for its own handler and for a bulk
//! action refused: quick search, the filters the domain declares (see
//! `filters`), sorting, pages by cursor, a count when the list is narrowed,
//! each customer's figures, a star per row, and tick-boxes for the bulk
//! actions (refused ones come back here with their errors).

use std::collections::{BTreeMap, HashSet};

use askama::Template;
use axum::http::StatusCode;
use clientele_app::AppError;
use clientele_app::customers::ListParams;
use clientele_domain::points::CustomerFigures;
use clientele_domain::{Customer, Module, Right};

use super::filters::{Section, Typed, Widget, place_errors, sort_options};
use crate::console::kit::{ActionForm, Chrome, Console, PageResult, Words, encode, render};
use crate::state::AppState;

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
    balance: String,
    spent: String,
    last_purchase: String,
    tier: String,
    blocked: bool,
    starred: bool,
    ticked: bool,
}

impl CustomerRow {
    fn of(
        customer: &Customer,
        figures: Option<&CustomerFigures>,
        w: &Words,
        starred: bool,
        ticked: bool,
    ) -> CustomerRow {
        let profile = &customer.profile;
        let (phone, email) = w.contacts(profile);
        CustomerRow {
            balance: w.points(figures.map_or(0, |f| f.balance)),
            spent: w.money(figures.map_or(0, |f| f.spent_minor)),
            last_purchase: figures
                .and_then(|f| f.last_purchase_at)
                .map_or_else(|| w.t("customer-never"), |at| w.compact_day(at)),
            tier: figures
                .and_then(|f| f.tier.as_ref())
                .map(|t| t.name.clone())
                .unwrap_or_default(),
            id: customer.id.0,
            href: format!("/customers/{}", customer.id.0),
            name: profile.name.clone(),
            phone,
            email,
            birth_date: profile
                .birth_date
                .map(|d| w.compact_date(d))
                .unwrap_or_default(),
            created: w.compact_day(customer.created_at),
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
    /// The form's fields as typed.
    f: Typed,
    /// The declared filters' fields, with their errors.
    sections: Vec<Section>,
    sorts: Vec<(String, String)>,
    /// The month select's names: `января`, `Jan`.
    months: Vec<(u8, String)>,
    /// Errors beside the fields drawn apart (consents, properties, sort).
    beside: BTreeMap<String, String>,
    /// This list's address, for the bulk form to come back to.
    here: String,
    /// The bulk form: blank with a one-time token, or refused.
    bulk: ActionForm,
    /// What the bulk actions offer besides the groups: certificate
    /// templates and tiers.
    templates: Vec<(i64, String)>,
    tiers: Vec<(i64, String)>,
    may_points: bool,
    /// The ticked rows may be kept as a segment.
    may_segments: bool,
    /// The whole list as the filter selects it, as an Excel file.
    export_href: String,
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

impl ListPage<'_> {
    /// The error beside a field drawn apart, if it has one.
    fn beside_of(&self, field: &str) -> Option<&String> {
        self.beside.get(field)
    }

    fn beside_has(&self, field: &str) -> bool {
        self.beside.contains_key(field)
    }
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
    let typed = Typed::read(&pairs);
    let (asked, mut beside) = typed.to_filter(w);
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
        ..crate::api::customers::list_params(asked)
    };
    // A figure typed wrong is said beside its field; nothing is listed.
    let listed = if beside.is_empty() {
        Some(state.app.list_customers(&params).await)
    } else {
        None
    };
    // Counted no further than a screen needs: past that, "more than".
    let counted = match (&listed, typed.narrows()) {
        (Some(Ok(_)), true) => state
            .app
            .count_customers(&params, Some(COUNT_UP_TO + 1))
            .await
            .ok(),
        _ => None,
    };
    let query = |with_cursor: bool, cursor: Option<String>| {
        let pairs = typed.query(with_cursor);
        let query: Vec<String> = pairs
            .iter()
            .map(|(key, value)| format!("{key}={}", encode(value)))
            .chain(cursor.map(|cursor| format!("cursor={}", encode(&cursor))))
            .collect();
        query.join("&")
    };
    let link = |with_cursor: bool, cursor: Option<String>| {
        format!("/customers?{}", query(with_cursor, cursor))
    };
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let (mut next_href, mut first_href) = (None, None);
    let status = match listed {
        None => StatusCode::UNPROCESSABLE_ENTITY,
        Some(Ok((listed, order))) => {
            let ids: Vec<_> = listed.items.iter().map(|c| c.id).collect();
            let by = console.caller.changed_by();
            let starred = state.app.favourites_among(&ids, &by).await?;
            let figures = state.app.customer_figures(&ids).await?;
            rows = listed
                .items
                .iter()
                .map(|c| {
                    CustomerRow::of(
                        c,
                        figures.get(&c.id),
                        w,
                        starred.contains(&c.id),
                        ticked.contains(&c.id.0),
                    )
                })
                .collect();
            next_href = listed
                .next
                .map(|cursor| link(false, Some(cursor.encode(order))));
            if !typed.get("cursor").is_empty() {
                first_href = Some(link(false, None));
            }
            StatusCode::OK
        }
        Some(Err(AppError::Validation(refused))) => {
            // A cursor names a place in a list that may have changed since:
            // the list from its first page, saying so.
            if refused.0.iter().any(|e| e.field == "cursor") {
                first_href = Some(link(false, None));
                errors.push(w.t("list-cursor-stale"));
            } else {
                let drawn_apart = |field: &str| {
                    field == "sort"
                        || offered.consents.iter().any(|(key, _)| key == field)
                        || offered.properties.iter().any(|p| p.key == field)
                };
                place_errors(w, &refused.0, drawn_apart, &mut beside, &mut errors);
            }
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Some(Err(error)) => return Err(error.into()),
    };
    let status = if bulk.open {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        status
    };
    let page = ListPage {
        c: console.chrome(),
        w,
        may_edit,
        sections: typed.sections(
            w,
            &offered.groups,
            &offered.stores,
            &offered.segments,
            &beside,
        ),
        sorts: sort_options(w),
        months: (1..=12).map(|m| (m, w.t(&format!("month-{m}")))).collect(),
        beside,
        here: link(true, None),
        bulk,
        templates,
        tiers,
        offered,
        may_points: console.may(Module::Points, Right::Edit),
        may_segments: console.may(Module::Segments, Right::Edit),
        export_href: format!("/customers/export.xlsx?{}", query(false, None)),
        notice,
        bulk_error,
        rows,
        found: counted.map(|n| match n {
            n if n > COUNT_UP_TO => w.n("customers-found-more", COUNT_UP_TO as i64),
            n => w.n("customers-found", n as i64),
        }),
        errors,
        next_href,
        first_href,
        f: typed,
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
    segments: Choices,
    consents: Vec<(String, String)>,
    properties: Vec<PropertyFilter>,
}

async fn filter_choices(state: &AppState, w: &Words) -> Result<FilterChoices, AppError> {
    use clientele_domain::{ConsentKind, PropertyKind};

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
    let segments = state
        .app
        .segments()
        .await?
        .into_iter()
        .map(|s| (s.id.0, s.name))
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
                    ("true".into(), w.t("filter-yes")),
                    ("false".into(), w.t("filter-no")),
                ],
                _ => Vec::new(),
            },
        })
        .collect();
    Ok(FilterChoices {
        groups,
        stores,
        segments,
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
