//! Actions on the customers ticked in the list, each in one step: a gift
//! certificate to each, points by hand (with the password again), a tier by
//! hand, another group, the rows to Excel, or the rows kept as a static
//! segment. A refused action comes back to the same list with the rows
//! still ticked and its errors beside its fields.

use std::collections::{BTreeMap, HashSet};

use axum::extract::State;
use axum::http::Uri;
use clientele_app::AppError;
use clientele_app::certificates::Holders;
use clientele_domain::segment::{SegmentInput, SegmentKind};
use clientele_domain::{
    CertificateTemplateId, CustomerChanges, CustomerGroupId, CustomerId, Module, Right, TierId,
};
use serde::Deserialize;

use super::listing::show;
use crate::console::kit::{
    ActionForm, Console, PageResult, PointsForm, Refused, Submission, Words, give_points,
    safe_next, workbook,
};
use crate::state::AppState;

/// The bulk form (`customers/bulk_form.html`): the ticked rows, the action
/// its button names, and each action's fields.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BulkForm {
    customer_id: Vec<String>,
    action: String,
    /// The list to come back to.
    back: String,
    template_id: String,
    tier_id: String,
    group_id: String,
    points: String,
    direction: String,
    comment: String,
    message: Option<String>,
    password: String,
    segment_name: String,
}

impl BulkForm {
    fn points(&self) -> PointsForm {
        PointsForm {
            points: self.points.clone(),
            direction: self.direction.clone(),
            comment: self.comment.clone(),
            message: self.message.clone(),
            password: self.password.clone(),
        }
    }
}

/// The bulk form's actions, as its buttons name them; the number marks
/// which part of the form a refusal opens.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Certificate = 1,
    Points = 2,
    Tier = 3,
    Group = 4,
    Export = 5,
    Segment = 6,
}

impl Action {
    fn parse(raw: &str) -> Option<Action> {
        Some(match raw {
            "certificate" => Action::Certificate,
            "points" => Action::Points,
            "tier" => Action::Tier,
            "group" => Action::Group,
            "export" => Action::Export,
            "segment" => Action::Segment,
            _ => return None,
        })
    }
}

/// What one action did to how many, or the errors of its fields.
enum Outcome {
    Done(&'static str, usize),
    Refused(BTreeMap<String, String>),
    Workbook(Vec<u8>),
    /// A page made by the action, to go to.
    Made(String),
}

pub async fn act(
    State(state): State<AppState>,
    console: Console,
    Submission {
        form,
        once,
        mut typed,
    }: Submission<BulkForm>,
) -> PageResult {
    let w = &console.words;
    typed.remove("customer_id");
    let ticked: Vec<CustomerId> = form
        .customer_id
        .iter()
        .filter_map(|v| v.parse().ok())
        .map(CustomerId)
        .collect();
    let list = match form.back.as_str() {
        "" => "/customers",
        back => safe_next(back),
    }
    .to_owned();
    let action = Action::parse(&form.action).unwrap_or(Action::Certificate);
    let outcome = if ticked.is_empty() {
        Outcome::Refused(BTreeMap::from([(
            "customer_id".to_owned(),
            w.t("bulk-none-ticked"),
        )]))
    } else {
        run(&state, &console, action, &ticked, &form).await?
    };
    match outcome {
        Outcome::Done(what, count) => {
            let joiner = if list.contains('?') { '&' } else { '?' };
            Ok(once
                .done(&format!("{list}{joiner}bulk={what}&count={count}"))
                .await)
        }
        // A download may be asked for again: its token is freed.
        Outcome::Workbook(bytes) => Ok(workbook(bytes, "customers.xlsx")),
        Outcome::Made(page) => Ok(once.done(&page).await),
        Outcome::Refused(errors) => {
            // The corrected form comes again with the same token.
            let refused = ActionForm::refused(action as i64, &once, typed, errors);
            let ticked: HashSet<i64> = ticked.iter().map(|c| c.0).collect();
            let pairs = list
                .parse::<Uri>()
                .ok()
                .and_then(|uri| axum::extract::Query::try_from_uri(&uri).ok())
                .map(|axum::extract::Query(pairs)| pairs)
                .unwrap_or_default();
            show(&state, &console, pairs, refused, &ticked).await
        }
    }
}

async fn run(
    state: &AppState,
    console: &Console,
    action: Action,
    ticked: &[CustomerId],
    form: &BulkForm,
) -> Result<Outcome, AppError> {
    let w = &console.words;
    let by = console.caller.changed_by();
    let chosen = |value: &str| value.parse::<i64>().ok();
    let one_error =
        |field: &str, key: &str| Outcome::Refused(BTreeMap::from([(field.to_owned(), w.t(key))]));
    match action {
        Action::Certificate => {
            let Some(template) = chosen(&form.template_id) else {
                return Ok(one_error("template_id", "bulk-no-template"));
            };
            let issued = state
                .app
                .issue_certificates(
                    CertificateTemplateId(template),
                    Holders::Customers(ticked.to_vec()),
                    &by,
                )
                .await;
            match issued {
                Ok(issued) => Ok(Outcome::Done("certificates", issued.len())),
                Err(AppError::Validation(errors)) => Ok(field_errors(w, errors)),
                Err(error) => Err(error),
            }
        }
        Action::Points => {
            if !console.may(Module::Points, Right::Edit) {
                return Err(AppError::Forbidden(w.t("bulk-points-forbidden")));
            }
            match give_points(state, console, ticked.to_vec(), form.points()).await {
                Ok(()) => Ok(Outcome::Done("points", ticked.len())),
                Err(Refused::Fields(errors)) => Ok(Outcome::Refused(errors)),
                Err(Refused::Failure(error)) => Err(error),
            }
        }
        Action::Tier => {
            let tier = chosen(&form.tier_id).map(TierId);
            match state.app.set_tier(ticked, tier, None, &by).await {
                Ok(count) => Ok(Outcome::Done("tier", count)),
                Err(AppError::Validation(errors)) => Ok(field_errors(w, errors)),
                Err(error) => Err(error),
            }
        }
        Action::Group => {
            let Some(group) = chosen(&form.group_id).map(CustomerGroupId) else {
                return Ok(one_error("group_id", "error-required"));
            };
            for id in ticked {
                let changes = CustomerChanges {
                    group_id: Some(group),
                    ..CustomerChanges::default()
                };
                match state
                    .app
                    .update_customer(*id, changes, "console", &by)
                    .await
                {
                    Ok(_) => {}
                    Err(AppError::Validation(errors)) => return Ok(field_errors(w, errors)),
                    Err(error) => return Err(error),
                }
            }
            Ok(Outcome::Done("group", ticked.len()))
        }
        Action::Export => match state.app.export_ticked(ticked, &by).await {
            Ok(bytes) => Ok(Outcome::Workbook(bytes)),
            Err(clientele_app::export::ExportError::App(error)) => Err(error),
            Err(error) => {
                tracing::error!(%error, "the ticked customers were not exported");
                Err(AppError::Unavailable(w.t("bulk-export-failed")))
            }
        },
        Action::Segment => {
            if !console.may(Module::Segments, Right::Edit) {
                return Err(AppError::Forbidden(w.t("bulk-segment-forbidden")));
            }
            let input = SegmentInput {
                name: Some(form.segment_name.clone()),
                kind: Some(SegmentKind::Static.as_str().into()),
                ..SegmentInput::default()
            };
            match state
                .app
                .create_segment(input, Some(ticked.to_vec()), &by)
                .await
            {
                Ok(segment) => Ok(Outcome::Made(format!(
                    "/segments/{}?done=created",
                    segment.id.0
                ))),
                // The segment's name is this form's `segment_name`.
                Err(AppError::Validation(errors)) => Ok(Outcome::Refused(
                    errors
                        .0
                        .iter()
                        .map(|e| ("segment_name".to_owned(), w.field_error(e)))
                        .collect(),
                )),
                Err(AppError::Conflict {
                    field: Some("name"),
                    ..
                }) => Ok(one_error("segment_name", "segment-name-taken")),
                Err(error) => Err(error),
            }
        }
    }
}

/// A use case's field errors, in the page's words where it has them.
fn field_errors(w: &Words, errors: clientele_domain::ValidationErrors) -> Outcome {
    Outcome::Refused(
        errors
            .0
            .into_iter()
            .map(|e| {
                let message = w.field_error(&e);
                (e.field, message)
            })
            .collect(),
    )
}
