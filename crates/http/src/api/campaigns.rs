//! `/api/v1/campaigns`: one message to an audience, queued when it starts,
//! held for its cancel window, counted and reported on.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_app::KeptCampaign;
use clientele_app::campaigns::{CampaignReport, CampaignView};
use clientele_domain::campaign::{
    CampaignInput, CampaignState, DEFAULT_CANCEL_WINDOW_MINS, DEFAULT_REPORT_DAYS,
    MAX_CANCEL_WINDOW_MINS, MAX_REPORT_DAYS,
};
use clientele_domain::message::Channel;
use clientele_domain::offer::MAX_HOLDOUT_BP;
use clientele_domain::{CampaignId, FieldError, OfferId, SegmentId, TemplateId};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;
use utoipa::ToSchema;

use super::answers::Contract;
use super::directory::Items;
use super::offers::OfferGroupBody;
use crate::access::Caller;
use crate::extract::{Json, Path};
use crate::problem::ApiError;
use crate::state::AppState;

/// A campaign to make.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCampaignBody {
    /// Unique among campaigns.
    pub name: String,
    /// What it says: the template's words are copied, so a later edit of
    /// the template does not change the campaign.
    pub template_id: i64,
    /// Its audience; none: every customer (for a store-scoped caller, every
    /// customer of their stores).
    pub segment_id: Option<i64>,
    /// The channels to try, in order: `email`, `sms`, `viber`, `push`,
    /// `messenger`; none: push, viber, sms, email.
    #[serde(default)]
    pub channels: Vec<String>,
    /// When it starts (RFC 3339); none or past: now.
    pub starts_at: Option<String>,
    /// Its messages wait this long after the start, so it can be cancelled
    /// before anything leaves (0 to 1,440; default 10).
    pub cancel_window_mins: Option<i64>,
    /// The share of the audience kept as a control group, in basis points
    /// (0 to 5,000).
    pub holdout_bp: Option<i64>,
    /// An offer whose name (and the customer's coupon of it) the words
    /// may name. If it asks for single-use coupons, each recipient (not
    /// the control group) is issued one when the campaign is queued.
    pub offer_id: Option<i64>,
    /// How many days of purchases after it the report counts (1 to 90;
    /// default 14).
    pub report_days: Option<i64>,
}

/// A campaign with its messages counted.
#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignBody {
    pub id: i64,
    pub name: String,
    pub template_id: i64,
    pub segment_id: Option<i64>,
    pub offer_id: Option<i64>,
    pub channels: Vec<String>,
    /// `scheduled`, `queueing`, `queued` (its messages are in the outbox)
    /// or `cancelled`.
    pub state: String,
    pub starts_at: String,
    pub cancel_window_mins: i64,
    pub holdout_bp: i64,
    pub report_days: i64,
    /// Customers it was queued for, and those held out as its control group.
    pub recipients: i64,
    pub held_out: i64,
    pub queued_at: Option<String>,
    pub cancelled_at: Option<String>,
    pub created_at: String,
    /// The words it sends.
    pub subject: Option<String>,
    pub body: String,
    /// Present when read alone: its messages by state and reason.
    pub counts: Option<CountsBody>,
}

/// A campaign's messages counted (its control group left out).
#[derive(Debug, Serialize, ToSchema)]
pub struct CountsBody {
    /// In the queue or on their way.
    pub waiting: i64,
    /// Sent or delivered.
    pub sent: i64,
    pub delivered: i64,
    pub failed: i64,
    /// Unsubscribed by the campaign's link.
    pub unsubscribed: i64,
    /// By state: `queued`, `sent`, `no_consent`, …
    pub by_state: BTreeMap<String, i64>,
    /// Why those that did not leave did not: `consent_not_given`,
    /// `campaign_cancelled`, …
    pub by_reason: BTreeMap<String, i64>,
}

impl CampaignBody {
    fn of(c: KeptCampaign, counts: Option<CountsBody>) -> CampaignBody {
        CampaignBody {
            id: c.id.0,
            name: c.name,
            template_id: c.template_id.0,
            segment_id: c.segment_id.map(|s| s.0),
            offer_id: c.offer_id.map(|o| o.0),
            channels: c.channels.iter().map(|c| c.as_str().into()).collect(),
            state: c.state.as_str().into(),
            starts_at: c.starts_at.to_string(),
            cancel_window_mins: c.cancel_window_mins,
            holdout_bp: c.holdout_bp,
            report_days: c.report_days,
            recipients: c.recipients,
            held_out: c.held_out,
            queued_at: c.queued_at.map(|t| t.to_string()),
            cancelled_at: c.cancelled_at.map(|t| t.to_string()),
            created_at: c.created_at.to_string(),
            subject: c.words.subject,
            body: c.words.body,
            counts,
        }
    }
}

impl From<CampaignView> for CampaignBody {
    fn from(view: CampaignView) -> CampaignBody {
        let counts = CountsBody {
            waiting: view.counts.waiting,
            sent: view.counts.sent,
            delivered: view.counts.delivered,
            failed: view.counts.failed,
            unsubscribed: view.unsubscribed,
            by_state: view
                .counts
                .by_state
                .iter()
                .map(|(k, v)| ((*k).to_owned(), *v))
                .collect(),
            by_reason: view.counts.by_reason.clone(),
        };
        CampaignBody::of(view.campaign, Some(counts))
    }
}

/// What a campaign did.
#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignReportBody {
    pub campaign: CampaignBody,
    /// The purchases counted: from its first send to the end of its report
    /// days (or now, if sooner).
    pub from: String,
    pub to: String,
    /// Those it was sent to.
    pub recipients: OfferGroupBody,
    /// Its control group (all zero without one).
    pub control: OfferGroupBody,
}

impl From<CampaignReport> for CampaignReportBody {
    fn from(report: CampaignReport) -> CampaignReportBody {
        CampaignReportBody {
            campaign: report.view.into(),
            from: report.from.to_string(),
            to: report.to.to_string(),
            recipients: report.comparison.offered.into(),
            control: report.comparison.control.into(),
        }
    }
}

/// How many messages a cancel withdrew.
#[derive(Debug, Serialize, ToSchema)]
pub struct CancelledBody {
    pub withdrawn: u64,
}

/// List campaigns, newest first (a store-scoped caller sees those made for
/// their stores).
#[utoipa::path(get, path = "/api/v1/campaigns", tag = "messages",
    responses((status = 200, body = Items<CampaignBody>)))]
pub async fn list_campaigns(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<axum::Json<Items<CampaignBody>>, ApiError> {
    let items = state
        .app
        .campaigns(&caller.changed_by())
        .await?
        .into_iter()
        .map(|c| CampaignBody::of(c, None))
        .collect();
    Ok(axum::Json(Items { items }))
}

/// Make a campaign: it starts at `starts_at` (now when absent) and its
/// messages leave after the cancel window.
#[utoipa::path(post, path = "/api/v1/campaigns", tag = "messages", request_body = NewCampaignBody,
    responses((status = 201, body = CampaignBody),
        (status = 404, description = "There is no such template, segment or offer."),
        (status = 409, description = "Another campaign has this name.")))]
pub async fn create_campaign(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(body): Json<NewCampaignBody>,
) -> Result<(StatusCode, axum::Json<CampaignBody>), ApiError> {
    let starts_at = body
        .starts_at
        .as_deref()
        .map(|raw| {
            raw.parse::<jiff::Timestamp>().map_err(|_| {
                clientele_app::AppError::from_field(FieldError::new(
                    "starts_at",
                    "invalid",
                    format!("«{raw}» is not a time such as 2026-12-24T10:00:00+03:00"),
                ))
            })
        })
        .transpose()?;
    let input = CampaignInput {
        name: body.name,
        template_id: Some(TemplateId(body.template_id)),
        channels: body.channels,
        segment_id: body.segment_id.map(SegmentId),
        offer_id: body.offer_id.map(OfferId),
        holdout_bp: body.holdout_bp,
        cancel_window_mins: body.cancel_window_mins,
        report_days: body.report_days,
        starts_at,
    };
    let kept = state
        .app
        .create_campaign(input, &caller.changed_by())
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(CampaignBody::of(kept, None)),
    ))
}

/// Read a campaign with its messages counted.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}", tag = "messages", params(("id" = i64, Path)),
    responses((status = 200, body = CampaignBody)))]
pub async fn read_campaign(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<axum::Json<CampaignBody>, ApiError> {
    let view = state
        .app
        .campaign(CampaignId(id), &caller.changed_by())
        .await?;
    Ok(axum::Json(view.into()))
}

/// Cancel a campaign: what has not left is withdrawn (within its cancel
/// window, everything).
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/cancel", tag = "messages", params(("id" = i64, Path)),
    responses((status = 200, body = CancelledBody),
        (status = 409, description = "The campaign is cancelled already.")))]
pub async fn cancel_campaign(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<axum::Json<CancelledBody>, ApiError> {
    let withdrawn = state
        .app
        .cancel_campaign(CampaignId(id), &caller.changed_by())
        .await?;
    Ok(axum::Json(CancelledBody { withdrawn }))
}

/// What a campaign did: its messages by state and reason, and the
/// purchases of its recipients against its control group.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/report", tag = "messages", params(("id" = i64, Path)),
    responses((status = 200, body = CampaignReportBody)))]
pub async fn campaign_report(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<axum::Json<CampaignReportBody>, ApiError> {
    let report = state
        .app
        .campaign_report(CampaignId(id), &caller.changed_by())
        .await?;
    Ok(axum::Json(report.into()))
}

pub(super) fn contracts() -> Vec<Contract> {
    let channels: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
    let states: Vec<&str> = CampaignState::ALL.iter().map(|s| s.as_str()).collect();
    vec![
        Contract::Body(
            "NewCampaignBody",
            json!({"properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": "\\S"},
                "channels": {"type": "array", "items": {"enum": channels}, "uniqueItems": true},
                "cancel_window_mins": {"type": ["integer", "null"], "minimum": 0,
                                       "maximum": MAX_CANCEL_WINDOW_MINS,
                                       "default": DEFAULT_CANCEL_WINDOW_MINS},
                "holdout_bp": {"type": ["integer", "null"], "minimum": 0, "maximum": MAX_HOLDOUT_BP},
                "report_days": {"type": ["integer", "null"], "minimum": 1,
                                "maximum": MAX_REPORT_DAYS, "default": DEFAULT_REPORT_DAYS},
                "starts_at": {"type": ["string", "null"], "format": "date-time"},
            }}),
        ),
        Contract::Body(
            "CampaignBody",
            json!({"properties": {"state": {"enum": states}}}),
        ),
    ]
}
