//! The offer's form as it renders, for its handlers: a new offer, an offer
//! changed, a form refused with each error beside its field and what was
//! typed kept. Every picker is built from what exists: the segments, the
//! store hierarchy, the kinds of reward, of stacking and of coupon.

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use clientele_app::{AppError, KeptOffer};
use clientele_domain::offer::{Day, Reward, Stacking};
use clientele_domain::store::Store;

use super::draft::{CAPS, Draft};
use crate::console::kit::{Chrome, Console, Words, render};
use crate::state::AppState;

pub struct Choice {
    pub value: String,
    pub label: String,
    pub chosen: bool,
    /// A store's depth in the hierarchy.
    pub depth: usize,
}

fn choices(list: Vec<(String, String)>, chosen: impl Fn(&str) -> bool) -> Vec<Choice> {
    list.into_iter()
        .map(|(value, label)| Choice {
            chosen: chosen(&value),
            value,
            label,
            depth: 0,
        })
        .collect()
}

/// A kind of reward: its value's unit and how it is typed.
pub struct RewardKind {
    pub value: &'static str,
    pub label: String,
    pub chosen: bool,
    pub unit: String,
    pub hint: String,
}

/// A budget cap's field.
pub struct CapField {
    pub name: String,
    pub label: String,
    pub value: String,
}

/// What the pickers offer: the segments and the stores, in their tree.
pub struct Pickers {
    segments: Vec<(String, String)>,
    stores: Vec<(Store, usize)>,
}

impl Pickers {
    pub(super) async fn load(state: &AppState) -> Result<Pickers, AppError> {
        let segments = state.app.segments().await?;
        Ok(Pickers {
            segments: (segments.into_iter())
                .map(|s| (s.id.0.to_string(), s.name))
                .collect(),
            stores: tree(state.app.stores().await?),
        })
    }
}

/// Stores under their parents, each with its depth.
fn tree(stores: Vec<Store>) -> Vec<(Store, usize)> {
    fn under(parent: Option<i64>, depth: usize, all: &[Store], out: &mut Vec<(Store, usize)>) {
        for store in all.iter().filter(|s| s.parent_id.map(|p| p.0) == parent) {
            out.push((store.clone(), depth));
            if depth < 16 {
                under(Some(store.id.0), depth + 1, all, out);
            }
        }
    }
    let mut out = Vec::with_capacity(stores.len());
    under(None, 0, &stores, &mut out);
    out
}

#[derive(Template)]
#[template(path = "offers/editor.html")]
struct EditorPage<'a> {
    c: Chrome,
    w: &'a Words,
    title: String,
    action: String,
    cancel: String,
    token: String,
    draft: Draft,
    segments: Vec<Choice>,
    rewards: Vec<RewardKind>,
    stackings: Vec<Choice>,
    coupons: Vec<Choice>,
    days: Vec<Choice>,
    stores: Vec<Choice>,
    points_caps: Vec<CapField>,
    money_caps: Vec<CapField>,
    errors: BTreeMap<String, String>,
    alert: Option<String>,
}

/// A plain input of the form (`offers/input.html`).
pub struct Input {
    pub name: &'static str,
    pub label: String,
    pub value: String,
    /// `text`, `date` or `time`.
    pub kind: &'static str,
    /// `decimal`, `numeric` or empty.
    pub inputmode: &'static str,
    /// `₽`, `%`: beside the input.
    pub unit: String,
    pub hint: Option<String>,
    pub error: Option<String>,
    pub required: bool,
}

/// Each plain input: its field, label, type, input mode, unit and hint.
const INPUTS: &[(&str, &str, &str, &str, &str, &str)] = &[
    ("name", "offer-field-name", "text", "", "", ""),
    (
        "priority",
        "offer-field-priority",
        "text",
        "numeric",
        "",
        "offer-hint-priority",
    ),
    ("valid_from", "offer-field-valid-from", "date", "", "", ""),
    ("valid_to", "offer-field-valid-to", "date", "", "", ""),
    ("hours_from", "offer-field-hours-from", "time", "", "", ""),
    (
        "hours_to",
        "offer-field-hours-to",
        "time",
        "",
        "",
        "offer-hint-hours",
    ),
    (
        "min_total_minor",
        "offer-field-min-total",
        "text",
        "decimal",
        "offer-unit-money",
        "offer-hint-min-total",
    ),
    (
        "nth_purchase",
        "offer-field-nth",
        "text",
        "numeric",
        "",
        "offer-hint-nth",
    ),
    (
        "coupon_code",
        "offer-field-coupon-code",
        "text",
        "",
        "",
        "offer-hint-coupon-code",
    ),
    (
        "holdout_bp",
        "offer-field-holdout",
        "text",
        "decimal",
        "offer-unit-percent",
        "offer-hint-holdout",
    ),
];

impl EditorPage<'_> {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }

    fn input(&self, name: &str) -> Option<Input> {
        let (name, label, kind, inputmode, unit, hint) =
            INPUTS.iter().copied().find(|spec| spec.0 == name)?;
        let words = |key: &str| (!key.is_empty()).then(|| self.w.t(key));
        Some(Input {
            name,
            label: self.w.t(label),
            value: self.draft.value(name).to_owned(),
            kind,
            inputmode,
            unit: words(unit).unwrap_or_default(),
            hint: words(hint),
            error: self.error(name).map(str::to_owned),
            required: name == "name",
        })
    }
}

/// What the form makes: a new offer, or changes one that is kept.
pub enum Editing<'s> {
    New,
    Kept(&'s KeptOffer),
}

/// The form's state beside what was typed.
pub struct Shown {
    pub token: String,
    pub errors: BTreeMap<String, String>,
    /// Above the form: the offer changed meanwhile.
    pub alert: Option<String>,
}

impl Shown {
    pub fn fresh(token: String) -> Shown {
        Shown {
            token,
            errors: BTreeMap::new(),
            alert: None,
        }
    }

    /// A use case's refusal beside the fields; `Err` when it is not the
    /// user's to correct.
    pub fn refused(&mut self, w: &Words, reward: &str, error: AppError) -> Result<(), AppError> {
        match error {
            AppError::Validation(refused) => {
                self.errors = super::draft::beside(w, reward, refused.0);
            }
            AppError::Conflict {
                field: Some("name"),
                ..
            } => {
                self.errors.insert("name".into(), w.t("offer-name-taken"));
            }
            AppError::Conflict { field: None, .. } => self.alert = Some(w.t("offer-stale")),
            other => return Err(other),
        }
        Ok(())
    }
}

/// The form with `draft` as typed and what was refused beside it.
pub fn editor(
    console: &Console,
    pickers: &Pickers,
    editing: Editing<'_>,
    draft: Draft,
    shown: Shown,
) -> Response {
    let w = &console.words;
    let Shown {
        token,
        errors,
        alert,
    } = shown;
    let status = match (&alert, errors.is_empty()) {
        (Some(_), _) => StatusCode::CONFLICT,
        (None, false) => StatusCode::UNPROCESSABLE_ENTITY,
        (None, true) => StatusCode::OK,
    };
    let (title, action, cancel) = match editing {
        Editing::New => (
            w.t("offer-new-title"),
            "/offers/new".to_owned(),
            "/offers".to_owned(),
        ),
        Editing::Kept(kept) => (
            w.with(
                "offer-edit-title",
                "name",
                kept.offer.terms.name.clone().into(),
            ),
            format!("/offers/{}/edit", kept.offer.id.0),
            format!("/offers/{}", kept.offer.id.0),
        ),
    };
    let worded = |prefix: &str, codes: &[&str]| -> Vec<(String, String)> {
        codes
            .iter()
            .map(|code| ((*code).to_owned(), w.t(&format!("{prefix}-{code}"))))
            .collect()
    };
    let mut segments = vec![(String::new(), w.t("offer-audience-everyone"))];
    segments.extend(pickers.segments.iter().cloned());
    let caps = |money: bool| {
        let kind = if money { "money" } else { "points" };
        CAPS.iter()
            .map(|cap| CapField {
                name: format!("budget_{kind}_{cap}"),
                label: w.t(&format!("offer-field-cap-{cap}")),
                value: draft.cap(money, cap).to_owned(),
            })
            .collect()
    };
    let page = EditorPage {
        c: console.chrome(),
        w,
        title,
        action,
        cancel,
        token,
        segments: choices(segments, |id| id == draft.segment_id),
        rewards: (Reward::NAMES.iter())
            .map(|kind| RewardKind {
                value: kind,
                label: w.t(&format!("offer-kind-{kind}")),
                chosen: *kind == draft.reward,
                unit: w.t(&format!("offer-unit-{kind}")),
                hint: w.t(&format!("offer-hint-{kind}")),
            })
            .collect(),
        stackings: choices(worded("offer-stacking", Stacking::NAMES), |s| {
            s == draft.stacking
        }),
        coupons: choices(
            vec![
                (String::new(), w.t("offer-coupon-none")),
                ("shared".into(), w.t("offer-coupon-shared")),
                ("unique".into(), w.t("offer-coupon-unique")),
            ],
            |c| c == draft.coupon,
        ),
        days: choices(worded("offer-day", Day::NAMES), |d| {
            draft.days.iter().any(|t| t == d)
        }),
        stores: (pickers.stores.iter())
            .map(|(store, depth)| Choice {
                value: store.id.0.to_string(),
                label: store.name.clone(),
                chosen: draft.store_ids.contains(&store.id.0.to_string()),
                depth: *depth,
            })
            .collect(),
        points_caps: caps(false),
        money_caps: caps(true),
        draft,
        errors,
        alert,
    };
    render(status, &page)
}
