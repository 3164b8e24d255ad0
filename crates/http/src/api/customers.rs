//! `/api/v1/customers`: register, read, edit, archive, merge and list.

use std::collections::BTreeMap;

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_app::customers::ListParams;
use clientele_domain::customer::{
    ConsentInput, CustomerStatus, DocumentInput, Gender, RegistrationChannel,
};
use clientele_domain::{ConsentKind, FILTER_KEYS, FilterKind};
use clientele_domain::{
    Customer, CustomerChanges, CustomerGroupId, CustomerId, FieldError, NamedCustomer, StoreId,
    ValidationErrors,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa::openapi::Required;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};

use super::answers::Contract;
use crate::access::Caller;
use crate::extract::{Json, Path, QueryPairs};
use crate::problem::ApiError;
use crate::state::AppState;

/// A customer as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerBody {
    pub id: i64,
    pub name: String,
    /// E.164, e.g. `+79123456789`.
    #[schema(format = "phone")]
    pub phone: Option<String>,
    pub email: Option<String>,
    /// `female` or `male`.
    pub gender: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    pub address: Option<String>,
    pub region: Option<String>,
    pub city: Option<String>,
    pub documents: Vec<DocumentBody>,
    pub group_id: i64,
    /// `active`, `incomplete` or `archived`.
    pub status: String,
    pub blocked: bool,
    pub blocked_reason: Option<String>,
    pub notes: Option<String>,
    pub referrer_id: Option<i64>,
    /// Where the customer registered: `console`, `pos`, `web`, `app`, `api`, `import`, `partner`.
    pub channel: String,
    /// The store the customer registered in.
    pub store_id: Option<i64>,
    pub external_id: Option<String>,
    /// Consents by kind: `general`, `sms`, `email`, `viber`, `push`, `messenger`, `paper_receipt_refusal`.
    pub consents: BTreeMap<String, ConsentBody>,
    /// Custom property values by property name, in canonical text form.
    pub properties: BTreeMap<String, String>,
    /// Set when this customer was merged into another: the survivor.
    pub merged_into: Option<NamedCustomerBody>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

/// Another customer a record points at, by id and name.
#[derive(Debug, Serialize, ToSchema)]
pub struct NamedCustomerBody {
    pub id: i64,
    pub name: String,
}

impl From<NamedCustomer> for NamedCustomerBody {
    fn from(customer: NamedCustomer) -> NamedCustomerBody {
        NamedCustomerBody {
            id: customer.id.0,
            name: customer.name,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentBody {
    /// e.g. «Паспорт РФ»; up to 64 characters, not blank.
    #[schema(min_length = 1, max_length = 64, pattern = r"\S")]
    pub kind: String,
    /// Up to 64 characters, not blank.
    #[schema(min_length = 1, max_length = 64, pattern = r"\S")]
    pub number: String,
    #[serde(default)]
    pub issued_by: Option<String>,
    /// `YYYY-MM-DD` (or `DD.MM.YYYY`); blank: none.
    #[serde(default)]
    #[schema(schema_with = super::shapes::clearable_date)]
    pub issued_on: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentBody {
    pub granted: bool,
    pub granted_at: Option<String>,
    pub withdrawn_at: Option<String>,
    pub source: Option<String>,
}

impl From<Customer> for CustomerBody {
    fn from(customer: Customer) -> CustomerBody {
        let p = customer.profile;
        CustomerBody {
            id: customer.id.0,
            name: p.name,
            phone: p.phone.map(|x| x.as_str().to_owned()),
            email: p.email.map(|x| x.as_str().to_owned()),
            gender: p.gender.map(|g| g.as_str().to_owned()),
            birth_date: p.birth_date.map(|d| d.to_string()),
            address: p.address,
            region: p.region,
            city: p.city,
            documents: p
                .documents
                .into_iter()
                .map(|d| DocumentBody {
                    kind: d.kind,
                    number: d.number,
                    issued_by: d.issued_by,
                    issued_on: d.issued_on.map(|d| d.to_string()),
                })
                .collect(),
            group_id: p.group_id.0,
            status: p.status.as_str().to_owned(),
            blocked: p.blocked,
            blocked_reason: p.blocked_reason,
            notes: p.notes,
            referrer_id: p.referrer_id.map(|id| id.0),
            channel: p.channel.as_str().to_owned(),
            store_id: p.store_id.map(|id| id.0),
            external_id: p.external_id,
            consents: p
                .consents
                .0
                .into_iter()
                .map(|(kind, c)| {
                    (
                        kind.as_str().to_owned(),
                        ConsentBody {
                            granted: c.granted,
                            granted_at: c.granted_at.map(|t| t.to_string()),
                            withdrawn_at: c.withdrawn_at.map(|t| t.to_string()),
                            source: c.source,
                        },
                    )
                })
                .collect(),
            properties: p
                .properties
                .into_iter()
                .map(|(k, v)| (k.as_str().to_owned(), v))
                .collect(),
            merged_into: customer.merged_into.map(NamedCustomerBody::from),
            created_at: customer.created_at.to_string(),
            updated_at: customer.updated_at.to_string(),
            version: customer.version,
        }
    }
}

/// Fields of a customer to set; on `PATCH`, absent fields stay as they are and
/// `null` (or a blank string) clears one. `name` is required on `POST`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerFields {
    /// Up to 200 characters, not blank.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: Option<String>,
    /// Any common form: `+7 912 345-67-89`, `8 (912) 345-67-89`; stored as E.164.
    #[serde(default, deserialize_with = "super::present")]
    #[schema(schema_with = super::shapes::clearable_phone)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::present")]
    #[schema(schema_with = super::shapes::clearable_email)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::present")]
    #[schema(schema_with = super::shapes::clearable_gender)]
    pub gender: Option<Option<String>>,
    /// `YYYY-MM-DD` (or `DD.MM.YYYY`), from 1900-01-01 to today.
    #[serde(default, deserialize_with = "super::present")]
    #[schema(schema_with = super::shapes::clearable_date)]
    pub birth_date: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<String>, max_length = 500)]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub region: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub city: Option<Option<String>>,
    pub documents: Option<Vec<DocumentBody>>,
    pub group_id: Option<i64>,
    #[schema(schema_with = super::shapes::status)]
    pub status: Option<String>,
    pub blocked: Option<bool>,
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<String>, max_length = 500)]
    pub blocked_reason: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<String>, max_length = 4000)]
    pub notes: Option<Option<String>>,
    /// Who recommended the customer: another customer.
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<i64>)]
    pub referrer_id: Option<Option<i64>>,
    /// Registration channel (on `POST`; default `api`).
    #[schema(schema_with = super::shapes::channel)]
    pub channel: Option<String>,
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<i64>)]
    pub store_id: Option<Option<i64>>,
    /// The customer's id in another system; unique.
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<String>, max_length = 64)]
    pub external_id: Option<Option<String>>,
    /// Consents given (`true`) or withdrawn (`false`) by kind, e.g. `{"sms": true}`.
    #[serde(default)]
    #[schema(schema_with = super::shapes::consents)]
    pub consents: BTreeMap<String, bool>,
    /// Where the consents were given; defaults to `api`.
    pub consent_source: Option<String>,
    /// Custom property values by name: text, a number or a boolean; `null` removes one.
    #[serde(default)]
    #[schema(schema_with = super::shapes::property_values)]
    pub properties: BTreeMap<String, serde_json::Value>,
}

impl CustomerFields {
    fn into_changes(self) -> Result<CustomerChanges, ApiError> {
        let source = self.consent_source;
        let mut properties = Vec::with_capacity(self.properties.len());
        let mut errors = ValidationErrors::default();
        for (name, value) in self.properties {
            let text = match value {
                serde_json::Value::Null => None,
                serde_json::Value::String(text) => Some(text),
                serde_json::Value::Number(number) => Some(number.to_string()),
                serde_json::Value::Bool(flag) => Some(flag.to_string()),
                _ => {
                    errors.push(FieldError::new(
                        format!("properties.{name}"),
                        "invalid_value",
                        "a property value is text, a number, a boolean or null",
                    ));
                    continue;
                }
            };
            properties.push((name, text));
        }
        errors.finish(|| ()).map_err(ApiError::validation)?;
        Ok(CustomerChanges {
            name: self.name,
            phone: self.phone,
            email: self.email,
            gender: self.gender,
            birth_date: self.birth_date,
            address: self.address,
            region: self.region,
            city: self.city,
            documents: self.documents.map(|docs| {
                docs.into_iter()
                    .map(|d| DocumentInput {
                        kind: d.kind,
                        number: d.number,
                        issued_by: d.issued_by,
                        issued_on: d.issued_on,
                    })
                    .collect()
            }),
            group_id: self.group_id.map(CustomerGroupId),
            status: self.status,
            blocked: self.blocked,
            blocked_reason: self.blocked_reason,
            notes: self.notes,
            referrer_id: self.referrer_id.map(|id| id.map(CustomerId)),
            channel: self.channel,
            store_id: self.store_id.map(|id| id.map(StoreId)),
            external_id: self.external_id,
            consents: self
                .consents
                .into_iter()
                .map(|(kind, granted)| ConsentInput {
                    kind,
                    granted,
                    source: source.clone(),
                })
                .collect(),
            properties,
        })
    }
}

/// A customer as the list shows them: with their points, purchases and tier.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerListItem {
    #[serde(flatten)]
    pub customer: CustomerBody,
    /// Points that can pay now (hundredths of a point).
    pub points_available: i64,
    /// The sum of the points ledger (negative while a debt is owed).
    pub balance: i64,
    /// Spent after discounts, returns deducted (minor units).
    pub spent_minor: i64,
    pub purchases: i64,
    pub last_purchase_at: Option<String>,
    pub tier: Option<NamedTierBody>,
}

/// A tier by id and name.
#[derive(Debug, Serialize, ToSchema)]
pub struct NamedTierBody {
    pub id: i64,
    pub name: String,
}

/// A page of customers.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerPage {
    pub items: Vec<CustomerListItem>,
    /// Pass as `cursor` for the next page; absent on the last one.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The customer merged into the one in the path, which survives.
    pub duplicate_id: i64,
}

/// The customer filter's query parameters, from the domain's table of keys
/// ([`FILTER_KEYS`]): the document says what the parser reads.
pub struct CustomerFilterParams;

impl utoipa::IntoParams for CustomerFilterParams {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let keys = FILTER_KEYS
            .iter()
            .map(|key| (key.key.to_owned(), key.kind, key.description.to_owned()));
        let consents = ConsentKind::ALL.iter().map(|kind| {
            let kind = kind.as_str();
            (
                format!("consent_{kind}"),
                FilterKind::Flag,
                format!("The `{kind}` consent given (`true`) or not (`false`)."),
            )
        });
        keys.chain(consents)
            .map(|(name, kind, description)| {
                ParameterBuilder::new()
                    .name(name)
                    .parameter_in(ParameterIn::Query)
                    .required(Required::False)
                    .description(Some(description))
                    .schema(Some(filter_schema(kind)))
                    .build()
            })
            .collect()
    }
}

/// What a filter key of this kind takes, as a schema.
fn filter_schema(kind: FilterKind) -> Schema {
    let int64 = Some(SchemaFormat::KnownFormat(KnownFormat::Int64));
    let object = ObjectBuilder::new();
    let object = match kind {
        FilterKind::Text | FilterKind::Time => object.schema_type(Type::String),
        FilterKind::Group | FilterKind::Store | FilterKind::Segment => object
            .schema_type(Type::Integer)
            .format(int64)
            .minimum(Some(1)),
        FilterKind::Choice(values) => object
            .schema_type(Type::String)
            .enum_values(Some(values.iter().copied())),
        FilterKind::Number { min, max, .. } => object
            .schema_type(Type::Integer)
            .format(int64)
            .minimum(Some(min))
            .maximum(Some(max)),
        FilterKind::DayOfYear => object
            .schema_type(Type::String)
            .pattern(Some(r"^\d{2}-\d{2}$")),
        FilterKind::Flag => object.schema_type(Type::Boolean),
    };
    Schema::Object(object.build())
}

pub(crate) fn list_params(pairs: Vec<(String, String)>) -> ListParams {
    let mut params = ListParams::default();
    for (key, value) in pairs {
        match key.as_str() {
            "limit" => params.limit = Some(value),
            "cursor" => params.cursor = Some(value),
            "sort" => params.sort = Some(value),
            _ => params.filter.push((key, value)),
        }
    }
    params
}

/// What the derive cannot say of these operations.
pub(super) fn contracts() -> Vec<Contract> {
    const LIST: &str = "GET /api/v1/customers";
    let id = || json!({"type": "integer", "format": "int64", "minimum": 1});
    let day = || json!({"type": "string", "pattern": MONTH_DAY});
    let instant = || json!({"anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}]});
    let age = || json!({"type": "integer", "minimum": 0, "maximum": 150});
    vec![
        Contract::Request(
            "POST /api/v1/customers",
            json!({"required": ["name"], "properties": {"name": {"type": "string"}}}),
        ),
        Contract::Parameter(
            LIST,
            "limit",
            json!({"type": "integer", "minimum": 1, "maximum": 500}),
        ),
        Contract::Parameter(
            LIST,
            "sort",
            json!({"enum": [
                "id", "-id", "name", "-name", "created_at", "-created_at", "spent_minor",
                "-spent_minor", "last_purchase_at", "-last_purchase_at",
            ]}),
        ),
        Contract::Parameter(LIST, "group_id", id()),
        Contract::Parameter(LIST, "store_id", id()),
        Contract::Parameter(LIST, "segment_id", id()),
        Contract::Parameter(
            LIST,
            "status",
            json!({"enum": CustomerStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>()}),
        ),
        Contract::Parameter(
            LIST,
            "gender",
            json!({"enum": Gender::ALL.iter().map(|g| g.as_str()).collect::<Vec<_>>()}),
        ),
        Contract::Parameter(
            LIST,
            "channel",
            json!({"enum": RegistrationChannel::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>()}),
        ),
        Contract::Parameter(LIST, "age_min", age()),
        Contract::Parameter(LIST, "age_max", age()),
        Contract::Parameter(LIST, "birthday_from", day()),
        Contract::Parameter(LIST, "birthday_to", day()),
        Contract::Parameter(LIST, "created_from", instant()),
        Contract::Parameter(LIST, "created_to", instant()),
        Contract::Parameter(LIST, "last_purchase_from", instant()),
        Contract::Parameter(LIST, "last_purchase_to", instant()),
        Contract::Parameter(
            LIST,
            "favourite",
            json!({"enum": ["true", "false", "1", "0"]}),
        ),
    ]
}

/// A day of the year, `MM-DD`, 29 February included.
const MONTH_DAY: &str = r"^(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|02-(?:0[1-9]|[12]\d))$";

/// List customers.
///
/// Filters also include `consent_<kind>=true|false` and `property_<name>=value`
/// (a custom property's value, read as the property's kind reads it).
/// Unknown parameters are refused. A range whose start is after its end
/// (`age_min` above `age_max`, `created_from` after `created_to`) is refused.
/// Each item carries the customer's points, spend, purchases, last purchase
/// and tier.
#[utoipa::path(
    get,
    path = "/api/v1/customers",
    tag = "customers",
    params(
        ("limit" = Option<u32>, Query, description = "Page size, 1–500 (default 50)."),
        ("cursor" = Option<String>, Query, description = "From the previous page's `next_cursor`."),
        ("sort" = Option<String>, Query, description = "`id`, `name`, `created_at`, `spent_minor` or `last_purchase_at` (never bought before every purchase); `-` before it for descending. Without it: the best matches of a name searched by `q` first (whole words, then starts of words, each by name), otherwise the newest registrations first (`-created_at`)."),
        CustomerFilterParams,
    ),
    responses((status = 200, body = CustomerPage))
)]
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    QueryPairs(pairs): QueryPairs,
) -> Result<axum::Json<CustomerPage>, ApiError> {
    page_of(&state, &caller, pairs).await
}

/// A page of the customer list for these query pairs, as the caller may see it.
pub(crate) async fn page_of(
    state: &AppState,
    caller: &Caller,
    pairs: Vec<(String, String)>,
) -> Result<axum::Json<CustomerPage>, ApiError> {
    // The console's form sends a blank page size or order for its default;
    // the API says which it wants.
    if let Some((key, _)) = pairs
        .iter()
        .find(|(key, value)| matches!(key.as_str(), "limit" | "sort") && value.is_empty())
    {
        return Err(
            ValidationErrors::one(key.as_str(), "required", format!("{key} is blank")).into(),
        );
    }
    let params = ListParams {
        scope: caller.scope.clone(),
        user: caller.user_id().ok(),
        ..list_params(pairs)
    };
    let (page, order) = state.app.list_customers(&params).await?;
    let ids: Vec<CustomerId> = page.items.iter().map(|c| c.id).collect();
    let mut figures = state.app.customer_figures(&ids).await?;
    Ok(axum::Json(CustomerPage {
        next_cursor: page.next.map(|cursor| cursor.encode(order)),
        items: page
            .items
            .into_iter()
            .map(|customer| {
                let figures = figures.remove(&customer.id);
                CustomerListItem {
                    points_available: figures.as_ref().map_or(0, |f| f.points_available),
                    balance: figures.as_ref().map_or(0, |f| f.balance),
                    spent_minor: figures.as_ref().map_or(0, |f| f.spent_minor),
                    purchases: figures.as_ref().map_or(0, |f| f.purchases),
                    last_purchase_at: figures
                        .as_ref()
                        .and_then(|f| f.last_purchase_at)
                        .map(|t| t.to_string()),
                    tier: figures.and_then(|f| f.tier).map(|t| NamedTierBody {
                        id: t.id.0,
                        name: t.name,
                    }),
                    customer: customer.into(),
                }
            })
            .collect(),
    }))
}

/// Register a customer.
#[utoipa::path(post, path = "/api/v1/customers", tag = "customers", request_body = CustomerFields,
    responses((status = 201, body = CustomerBody),
        (status = 404, description = "The group, store or referrer named does not exist, or a property."),
        (status = 409, description = "The phone, e-mail or external id belongs to another customer (`existing_customer_id`).")))]
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(fields): Json<CustomerFields>,
) -> Result<(StatusCode, axum::Json<CustomerBody>), ApiError> {
    let mut changes = fields.into_changes()?;
    if changes.name.is_none() {
        changes.name = Some(String::new());
    }
    if changes.channel.is_none() {
        changes.channel = Some("api".into());
    }
    let customer = state
        .app
        .register_customer(changes, "api", &caller.changed_by())
        .await?;
    Ok((StatusCode::CREATED, axum::Json(customer.into())))
}

/// Read a customer.
#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = i64, Path)),
    responses((status = 200, body = CustomerBody)))]
pub async fn read(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<axum::Json<CustomerBody>, ApiError> {
    let customer = state
        .app
        .customer_for(CustomerId(id), &caller.changed_by())
        .await?;
    Ok(axum::Json(customer.into()))
}

/// Change some fields of a customer.
#[utoipa::path(patch, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = i64, Path)), request_body = CustomerFields,
    responses((status = 200, body = CustomerBody),
        (status = 404, description = "No such customer, or the group, store, referrer or a property named does not exist."),
        (status = 409, description = "The phone, e-mail or external id belongs to another customer, the customer would refer themselves, \
            or the record changed meanwhile.")))]
pub async fn update(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Json(fields): Json<CustomerFields>,
) -> Result<axum::Json<CustomerBody>, ApiError> {
    let customer = state
        .app
        .update_customer(
            CustomerId(id),
            fields.into_changes()?,
            "api",
            &caller.changed_by(),
        )
        .await?;
    Ok(axum::Json(customer.into()))
}

/// Archive a customer (status `archived`); nothing is deleted.
#[utoipa::path(post, path = "/api/v1/customers/{id}/archive", tag = "customers", params(("id" = i64, Path)),
    responses((status = 200, body = CustomerBody),
        (status = 409, description = "The customer was merged into another: archive that one.")))]
pub async fn archive(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<axum::Json<CustomerBody>, ApiError> {
    Ok(axum::Json(
        state
            .app
            .archive_customer(CustomerId(id), "api", &caller.changed_by())
            .await?
            .into(),
    ))
}

/// Merge a duplicate into this customer.
///
/// The customer in the path survives and takes what only the duplicate knew:
/// its points, purchases, receipts and cards; the duplicate is archived,
/// points at the survivor (`merged_into`), is left out of lists and
/// searches but those of archived customers, and can no longer be changed
/// (409 naming the survivor).
#[utoipa::path(post, path = "/api/v1/customers/{id}/merge", tag = "customers", params(("id" = i64, Path)), request_body = MergeRequest,
    responses((status = 200, body = CustomerBody),
        (status = 404, description = "No such customer, or no such duplicate."),
        (status = 409, description = "The duplicate is the survivor itself, or one of them was merged already.")))]
pub async fn merge(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Json(request): Json<MergeRequest>,
) -> Result<axum::Json<CustomerBody>, ApiError> {
    let survivor = state
        .app
        .merge_customers(
            CustomerId(id),
            CustomerId(request.duplicate_id),
            &caller.changed_by(),
        )
        .await?;
    Ok(axum::Json(survivor.into()))
}

/// Everything held about a customer (152-FZ / GDPR subject access).
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonalDataBody {
    pub customer: CustomerBody,
    /// The devices and messenger handles they are reached at.
    pub addresses: Vec<super::addresses::AddressBody>,
    /// Every change to the customer, newest first.
    pub audit: Vec<super::staff::AuditBody>,
    pub exported_at: String,
}

/// Export everything held about a customer as JSON; the export is logged.
#[utoipa::path(get, path = "/api/v1/customers/{id}/personal-data", tag = "customers", params(("id" = i64, Path)),
    responses((status = 200, body = PersonalDataBody)))]
pub async fn personal_data(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<axum::Json<PersonalDataBody>, ApiError> {
    let data = state
        .app
        .personal_data(CustomerId(id), &caller.changed_by())
        .await?;
    Ok(axum::Json(PersonalDataBody {
        customer: data.customer.into(),
        addresses: data.addresses.into_iter().map(Into::into).collect(),
        audit: data.audit.into_iter().map(Into::into).collect(),
        exported_at: state.app.clock().now().to_string(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EraseRequest {
    /// The acting user's own password, again.
    pub password: String,
}

/// Erase a customer's personal data on their request.
///
/// Every personal field is emptied and the customer archived; the record,
/// its receipts and points stay, anonymous. Asks for the acting user's
/// password again.
#[utoipa::path(post, path = "/api/v1/customers/{id}/erase", tag = "customers", params(("id" = i64, Path)), request_body = EraseRequest,
    responses((status = 200, body = CustomerBody),
        (status = 403, description = "The password is not the acting user's, or the caller may not erase.")))]
pub async fn erase(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Json(request): Json<EraseRequest>,
) -> Result<axum::Json<CustomerBody>, ApiError> {
    let user = caller.user_id()?;
    let erased = state
        .app
        .erase_customer(
            CustomerId(id),
            user,
            &request.password,
            &caller.changed_by(),
        )
        .await?;
    Ok(axum::Json(erased.into()))
}
