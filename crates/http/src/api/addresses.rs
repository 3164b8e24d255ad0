//! `/api/v1/customers/{id}/addresses`: the devices a shop's app registered
//! for push and the messenger handles its bot learnt, where the outbox
//! reaches a customer beyond their phone and e-mail.

use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use clientele_app::{AddressAdded, CustomerAddress};
use clientele_domain::CustomerId;
use clientele_domain::message::MAX_ADDRESS_CHARS;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::answers::Contract;
use super::directory::Items;
use crate::access::Caller;
use crate::extract::{Json, Path};
use crate::problem::ApiError;
use crate::state::AppState;

/// A device or messenger handle of a customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct AddressBody {
    pub customer_id: i64,
    /// `push` (a device's token, as the push provider gave it to the app) or
    /// `messenger` (the chat the shop's bot talks in; Telegram: the chat id).
    pub channel: String,
    pub address: String,
    /// How the app names the device or account.
    pub label: Option<String>,
    pub added_at: String,
}

impl From<CustomerAddress> for AddressBody {
    fn from(a: CustomerAddress) -> AddressBody {
        AddressBody {
            customer_id: a.customer_id.0,
            channel: a.channel.as_str().into(),
            address: a.address,
            label: a.label,
            added_at: a.added_at.to_string(),
        }
    }
}

/// A registration's outcome.
#[derive(Debug, Serialize, ToSchema)]
pub struct AddressAddedBody {
    #[serde(flatten)]
    pub address: AddressBody,
    /// The customer who held this device or handle until now (it belongs
    /// to one customer at a time); None: nobody.
    pub moved_from: Option<i64>,
}

impl From<AddressAdded> for AddressAddedBody {
    fn from(added: AddressAdded) -> AddressAddedBody {
        AddressAddedBody {
            address: added.address.into(),
            moved_from: added.moved_from.map(|c| c.0),
        }
    }
}

/// A device or handle to register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressRequest {
    /// `push` or `messenger`; a phone or e-mail is the profile's own field.
    pub channel: String,
    /// The device token or handle: one word, up to 512 characters.
    pub address: String,
    #[serde(default)]
    pub label: Option<String>,
}

/// Which device or handle to forget.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AddressKey {
    /// `push` or `messenger`.
    pub channel: String,
    pub address: String,
}

/// A customer's devices and messenger handles, the latest first. Push goes
/// to the latest device, a messenger message to the latest handle.
#[utoipa::path(get, path = "/api/v1/customers/{id}/addresses", tag = "customers", params(("id" = i64, Path)),
    responses((status = 200, body = Items<AddressBody>)))]
pub async fn list_addresses(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<axum::Json<Items<AddressBody>>, ApiError> {
    let addresses = state
        .app
        .customer_addresses(CustomerId(id), &caller.changed_by())
        .await?;
    Ok(axum::Json(Items {
        items: addresses.into_iter().map(Into::into).collect(),
    }))
}

/// Register a device for push or a messenger handle, as the shop's app or
/// bot learns it. Registered again, it is dated anew; held by another
/// customer, it moves here (`moved_from`).
#[utoipa::path(post, path = "/api/v1/customers/{id}/addresses", tag = "customers", params(("id" = i64, Path)), request_body = AddressRequest,
    responses((status = 201, body = AddressAddedBody),
        (status = 409, description = "The customer was merged into another (`existing_customer_id`): register it there.")))]
pub async fn add_address(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Json(request): Json<AddressRequest>,
) -> Result<(StatusCode, axum::Json<AddressAddedBody>), ApiError> {
    let added = state
        .app
        .add_address(
            CustomerId(id),
            &request.channel,
            &request.address,
            request.label.as_deref(),
            &caller.changed_by(),
        )
        .await?;
    Ok((StatusCode::CREATED, axum::Json(added.into())))
}

/// Forget a device or handle (the app signed out, the customer blocked the
/// bot).
#[utoipa::path(delete, path = "/api/v1/customers/{id}/addresses", tag = "customers", params(("id" = i64, Path), AddressKey),
    responses((status = 204, description = "Forgotten."),
        (status = 404, description = "No such customer, or they have no such address.")))]
pub async fn remove_address(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Query(key): Query<AddressKey>,
) -> Result<StatusCode, ApiError> {
    state
        .app
        .remove_address(
            CustomerId(id),
            &key.channel,
            &key.address,
            &caller.changed_by(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) fn contracts() -> Vec<Contract> {
    let word = json!({"type": "string", "minLength": 1, "maxLength": MAX_ADDRESS_CHARS,
        "pattern": "^[^\\s\\x00-\\x1f\\x7f-\\x9f]+$"});
    let channel = json!({"type": "string", "enum": ["push", "messenger"]});
    const REMOVE: &str = "DELETE /api/v1/customers/{id}/addresses";
    vec![
        Contract::Body(
            "AddressRequest",
            json!({"properties": {
                "channel": channel,
                "address": word,
                "label": {"type": ["string", "null"], "maxLength": 100,
                    "pattern": "^[^\\x00-\\x1f\\x7f-\\x9f]*$"},
            }}),
        ),
        Contract::Parameter(REMOVE, "channel", channel),
        Contract::Parameter(REMOVE, "address", word),
    ]
}
