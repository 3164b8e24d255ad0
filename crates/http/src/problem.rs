//! The one HTTP error type: every failure leaves as RFC 9457 problem JSON.
//! Internal errors are logged with detail and answered without it.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use clientele_app::AppError;
use clientele_domain::ValidationErrors;
use serde::Serialize;
use utoipa::ToSchema;

/// A problem report (RFC 9457).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The fields that failed validation.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    /// For a conflict on a customer's unique value: the customer who holds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_customer_id: Option<i64>,
    /// For a payment with points no longer covered: what is usable now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points_available: Option<i64>,
    /// Seconds to wait before trying again (sent as `Retry-After` too).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    pub field: String,
    pub code: String,
    pub message: String,
}

/// Field codes saying the request names a record, a page or a property that
/// is not there.
const MISSING: &[&str] = &[
    "unknown_reference",
    "unknown_customer",
    "unknown_group",
    "unknown_store",
    "unknown_role",
    "unknown_property",
    "unknown_segment",
    "unknown_program",
    "invalid_cursor",
    // A gift certificate code that names none.
    "unknown",
];

/// Field codes saying the request is well formed but clashes with what is
/// stored: a tier's spend taken, a parent that cannot hold the store, what a
/// property's kind does not allow, a built-in role, a customer merged already
/// or with itself; at the till, a card, customer, certificate or points that
/// cannot pay now, another store, a return of what the receipt has not left,
/// a coupon that cannot be taken.
const CLASHING: &[&str] = &[
    "duplicate",
    "invalid_parent",
    "not_allowed",
    "choice_in_use",
    "built_in_role",
    "already_merged",
    "same_customer",
    "self_referral",
    "card_refused",
    "customer_blocked",
    "no_points",
    "too_many_points",
    "other_store",
    // A gift certificate that cannot pay now.
    "refused",
    // A coupon used already, issued to someone else, of an offer not
    // running, or on a receipt of nobody in particular.
    "used",
    "other_customer",
    "not_running",
    "customer_required",
    "unknown_line",
    "more_than_bought",
    "nothing_left",
];

/// Boxed: a handler's `Result` stays small on the happy path.
#[derive(Debug)]
pub struct ApiError(Box<Problem>);

impl ApiError {
    pub fn new(status: StatusCode, kind: &str, detail: impl Into<String>) -> ApiError {
        ApiError(Box::new(Problem {
            kind: format!("urn:clientele:problem:{kind}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            existing_customer_id: None,
            points_available: None,
            retry_after: None,
        }))
    }

    /// Refused fields. A well-formed request that names something that does
    /// not exist answers 404 and one that clashes with what is stored 409,
    /// each naming its fields, as a missing or clashing resource in the path
    /// would; anything else the document could have said is a 422.
    pub fn validation(errors: ValidationErrors) -> ApiError {
        let codes = || errors.0.iter().map(|e| e.code);
        let (status, kind) = if codes().all(|code| MISSING.contains(&code)) {
            (StatusCode::NOT_FOUND, "not-found")
        } else if codes().all(|code| MISSING.contains(&code) || CLASHING.contains(&code)) {
            (StatusCode::CONFLICT, "conflict")
        } else {
            (StatusCode::UNPROCESSABLE_ENTITY, "validation")
        };
        let mut error = ApiError::new(
            status,
            kind,
            format!("{} field(s) are refused: {errors}", errors.0.len()),
        );
        error.0.errors = errors
            .0
            .into_iter()
            .map(|e| ProblemField {
                field: e.field,
                code: e.code.to_owned(),
                message: e.message,
            })
            .collect();
        error
    }

    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("{what} not found"),
        )
    }

    pub fn bad_request(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad-request", detail)
    }

    /// A failure of our own (a file that could not be written): logged,
    /// answered without its details.
    pub fn internal(error: impl std::fmt::Display) -> ApiError {
        tracing::error!(%error, "request failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "something went wrong on our side; it has been logged",
        )
    }

    pub fn status(&self) -> u16 {
        self.0.status
    }

    /// What a person reads: for an internal error, no detail of ours.
    pub fn detail(&self) -> &str {
        &self.0.detail
    }

    /// The problem as the JSON it is sent as.
    pub fn body(&self) -> Vec<u8> {
        serde_json::to_vec(&*self.0).expect("problems serialise")
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> ApiError {
        ApiError::validation(errors)
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> ApiError {
        match error {
            AppError::Validation(errors) => ApiError::validation(errors),
            AppError::NotFound(what) => ApiError::not_found(what),
            AppError::Conflict {
                message,
                field,
                existing_customer,
            } => {
                let mut problem = ApiError::new(StatusCode::CONFLICT, "conflict", message.clone());
                if let Some(field) = field {
                    problem.0.errors.push(ProblemField {
                        field: field.into(),
                        code: "taken".into(),
                        message,
                    });
                }
                problem.0.existing_customer_id = existing_customer.map(|id| id.0);
                problem
            }
            AppError::InsufficientPoints { available } => {
                let mut problem = ApiError::new(
                    StatusCode::CONFLICT,
                    "insufficient-points",
                    format!("the customer has only {available} usable points now; calculate again"),
                );
                problem.0.errors.push(ProblemField {
                    field: "points_to_pay".into(),
                    code: "insufficient_points".into(),
                    message: format!("at most {available} usable points"),
                });
                problem.0.points_available = Some(available);
                problem
            }
            AppError::Unauthenticated(detail) => {
                ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", detail)
            }
            AppError::TooManyAttempts { retry_after } => {
                let seconds = retry_after.as_secs().max(1);
                let mut problem = ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too-many-attempts",
                    format!("too many failed attempts; try again in {seconds} s"),
                );
                problem.0.retry_after = Some(seconds);
                problem
            }
            AppError::Forbidden(detail) => {
                ApiError::new(StatusCode::FORBIDDEN, "forbidden", detail)
            }
            AppError::Unavailable(message) => {
                tracing::error!(%message, "unavailable");
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
            }
            AppError::Store(error) => {
                tracing::error!(error = %error, "request failed in the store");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "something went wrong on our side; it has been logged",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry_after = self.0.retry_after;
        let mut response = (status, axum::Json(*self.0)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use clientele_domain::{FieldError, ValidationErrors};

    use super::ApiError;

    fn status(codes: &[&'static str]) -> u16 {
        let errors = codes
            .iter()
            .map(|code| FieldError::new("field", code, "refused"))
            .collect();
        ApiError::validation(ValidationErrors(errors)).status()
    }

    #[test]
    fn a_refused_field_answers_by_what_was_wrong_with_it() {
        assert_eq!(
            status(&["unknown_group", "unknown_store"]),
            404,
            "named, not there"
        );
        assert_eq!(status(&["invalid_cursor"]), 404, "a page never given out");
        assert_eq!(status(&["duplicate"]), 409, "clashes with what is stored");
        assert_eq!(status(&["unknown_customer", "self_referral"]), 409);
        assert_eq!(
            status(&["required"]),
            422,
            "what the document could have said"
        );
        assert_eq!(
            status(&["unknown_group", "too_long"]),
            422,
            "any plain mistake wins"
        );
    }

    #[test]
    fn the_fields_are_named_whatever_the_status() {
        let problem = ApiError::validation(ValidationErrors::one(
            "group_id",
            "unknown_group",
            "there is no customer group 9",
        ));
        let body: serde_json::Value = serde_json::from_slice(&problem.body()).unwrap();
        assert_eq!(body["status"], 404);
        assert_eq!(body["errors"][0]["field"], "group_id");
        assert_eq!(body["errors"][0]["code"], "unknown_group");
    }
}
