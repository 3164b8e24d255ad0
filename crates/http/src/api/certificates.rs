//! `/api/v1/certificates`: gift certificate templates, issuing, and one
//! certificate's balance and history.

use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use clientele_app::certificates::Holders;
use clientele_domain::certificate::{Certificate, CertificateTemplate, NewCertificateTemplate};
use clientele_domain::{CertificateTemplateId, CustomerId};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::answers::Contract;
use super::directory::Items;
use crate::access::Caller;
use crate::extract::{Json, Path};
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateBody {
    pub id: i64,
    pub name: String,
    pub face_value_minor: i64,
    pub valid_days: i64,
    pub partial_use: bool,
    pub created_at: String,
}

impl From<CertificateTemplate> for TemplateBody {
    fn from(t: CertificateTemplate) -> TemplateBody {
        TemplateBody {
            id: t.id.0,
            name: t.name,
            face_value_minor: t.face_value_minor,
            valid_days: t.valid_days,
            partial_use: t.partial_use,
            created_at: t.created_at.to_string(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateFields {
    /// Up to 200 characters, not blank.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    #[schema(minimum = 1, maximum = 100000000)]
    pub face_value_minor: i64,
    /// Valid this many days from issue.
    #[schema(minimum = 1, maximum = 3660)]
    pub valid_days: i64,
    /// Spent in parts (`true`) or all at once.
    #[serde(default)]
    pub partial_use: bool,
}

/// List gift certificate templates.
#[utoipa::path(get, path = "/api/v1/certificates/templates", tag = "certificates",
    responses((status = 200, body = Items<TemplateBody>)))]
pub async fn list_templates(
    State(state): State<AppState>,
) -> Result<axum::Json<Items<TemplateBody>>, ApiError> {
    let items = state
        .app
        .certificate_templates()
        .await?
        .into_iter()
        .map(TemplateBody::from)
        .collect();
    Ok(axum::Json(Items { items }))
}

/// Create a gift certificate template.
#[utoipa::path(post, path = "/api/v1/certificates/templates", tag = "certificates", request_body = TemplateFields,
    responses((status = 201, body = TemplateBody), (status = 409, description = "Another template has this name.")))]
pub async fn create_template(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(fields): Json<TemplateFields>,
) -> Result<(StatusCode, axum::Json<TemplateBody>), ApiError> {
    let template = NewCertificateTemplate {
        name: fields.name,
        face_value_minor: fields.face_value_minor,
        valid_days: fields.valid_days,
        partial_use: fields.partial_use,
    };
    let created = state
        .app
        .create_certificate_template(template, &caller.changed_by())
        .await?;
    Ok((StatusCode::CREATED, axum::Json(created.into())))
}

/// Change a template's terms for the certificates issued from now on.
#[utoipa::path(patch, path = "/api/v1/certificates/templates/{id}", tag = "certificates", params(("id" = i64, Path)), request_body = TemplateFields,
    responses((status = 200, body = TemplateBody), (status = 409, description = "Another template has this name.")))]
pub async fn update_template(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Json(fields): Json<TemplateFields>,
) -> Result<axum::Json<TemplateBody>, ApiError> {
    let template = NewCertificateTemplate {
        name: fields.name,
        face_value_minor: fields.face_value_minor,
        valid_days: fields.valid_days,
        partial_use: fields.partial_use,
    };
    let updated = state
        .app
        .update_certificate_template(CertificateTemplateId(id), template, &caller.changed_by())
        .await?;
    Ok(axum::Json(updated.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateBody {
    pub id: i64,
    pub code: String,
    pub template_id: i64,
    pub customer_id: Option<i64>,
    pub face_value_minor: i64,
    pub balance_minor: i64,
    pub partial_use: bool,
    pub issued_at: String,
    pub valid_to: String,
}

impl From<Certificate> for CertificateBody {
    fn from(c: Certificate) -> CertificateBody {
        CertificateBody {
            id: c.id.0,
            code: c.code,
            template_id: c.template_id.0,
            customer_id: c.customer_id.map(|id| id.0),
            face_value_minor: c.face_value_minor,
            balance_minor: c.balance_minor,
            partial_use: c.partial_use,
            issued_at: c.issued_at.to_string(),
            valid_to: c.valid_to.to_string(),
        }
    }
}

/// Names the customers or gives a count, not both.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueFields {
    pub template_id: i64,
    /// One certificate to each of these customers (1 to 10,000)…
    #[serde(default)]
    #[schema(max_items = 10000)]
    pub customer_ids: Vec<i64>,
    /// …or this many to the bearer.
    #[schema(minimum = 1, maximum = 10000)]
    pub count: Option<u32>,
}

/// What the derive cannot say of these operations.
pub(super) fn contracts() -> Vec<Contract> {
    vec![Contract::Body(
        "IssueFields",
        json!({"oneOf": [
            {"properties": {"customer_ids": {"minItems": 1}, "count": {"type": "null"}},
                "required": ["customer_ids"]},
            {"properties": {"customer_ids": {"maxItems": 0}, "count": {"type": "integer"}},
                "required": ["count"]},
        ]}),
    )]
}

/// Issue certificates of a template to customers or to the bearer.
#[utoipa::path(post, path = "/api/v1/certificates", tag = "certificates", request_body = IssueFields,
    responses((status = 201, body = Items<CertificateBody>), (status = 404, description = "No such template or customer.")))]
pub async fn issue(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(fields): Json<IssueFields>,
) -> Result<(StatusCode, axum::Json<Items<CertificateBody>>), ApiError> {
    let holders = match (fields.customer_ids.is_empty(), fields.count) {
        (false, None) => {
            Holders::Customers(fields.customer_ids.into_iter().map(CustomerId).collect())
        }
        (true, Some(count)) => Holders::Bearer(count),
        _ => {
            return Err(clientele_domain::ValidationErrors::one(
                "customer_ids",
                "one_of",
                "name the customers or give a count, not both",
            )
            .into());
        }
    };
    let issued = state
        .app
        .issue_certificates(
            CertificateTemplateId(fields.template_id),
            holders,
            &caller.changed_by(),
        )
        .await?;
    let items = issued.into_iter().map(CertificateBody::from).collect();
    Ok((StatusCode::CREATED, axum::Json(Items { items })))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CertificateFilter {
    pub customer_id: i64,
}

/// A customer's certificates, newest first.
#[utoipa::path(get, path = "/api/v1/certificates", tag = "certificates", operation_id = "list_certificates", params(CertificateFilter),
    responses((status = 200, body = Items<CertificateBody>), (status = 404, description = "No such customer.")))]
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(filter): Query<CertificateFilter>,
) -> Result<axum::Json<Items<CertificateBody>>, ApiError> {
    let found = state
        .app
        .certificates_of(CustomerId(filter.customer_id), &caller.changed_by())
        .await?;
    Ok(axum::Json(Items {
        items: found.into_iter().map(CertificateBody::from).collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MovementBody {
    /// `issue`, `redeem` or `refund`.
    pub kind: String,
    pub amount_minor: i64,
    pub receipt_key: Option<i64>,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateHistory {
    pub certificate: CertificateBody,
    pub movements: Vec<MovementBody>,
}

/// A certificate's balance and history, by its code.
#[utoipa::path(get, path = "/api/v1/certificates/{code}", tag = "certificates", operation_id = "read_certificate", params(("code" = String, Path)),
    responses((status = 200, body = CertificateHistory)))]
pub async fn read(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(code): Path<String>,
) -> Result<axum::Json<CertificateHistory>, ApiError> {
    let (certificate, movements) = state.app.certificate(&code, &caller.changed_by()).await?;
    Ok(axum::Json(CertificateHistory {
        certificate: certificate.into(),
        movements: movements
            .into_iter()
            .map(|m| MovementBody {
                kind: m.kind,
                amount_minor: m.amount_minor,
                receipt_key: m.receipt_key.map(|k| k.0),
                created_at: m.created_at.to_string(),
            })
            .collect(),
    }))
}
