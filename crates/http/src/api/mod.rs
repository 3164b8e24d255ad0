//! The JSON API under `/api/v1`, and its OpenAPI document.

pub mod addresses;
mod answers;
pub mod campaigns;
pub mod certificates;
pub mod channels;
pub mod chats;
pub mod customers;
pub mod directory;
pub mod loyalty;
pub mod messages;
pub mod notes;
pub mod offers;
pub mod pos;
pub mod reports;
mod segment_rule;
pub mod segments;
mod shapes;
pub mod staff;
pub mod templates;
pub mod triggers;

use axum::extract::DefaultBodyLimit;
use serde::{Deserialize, Deserializer};
use utoipa::OpenApi;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::problem::{Problem, ProblemField};
use crate::state::AppState;

/// Absent → `None` (leave as is); `null` → `Some(None)` (clear); a value → `Some(Some(v))`.
pub(crate) fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A list's `limit` as given: 1 to 500.
pub(crate) fn page_limit(value: &str) -> Result<u32, clientele_domain::FieldError> {
    value
        .parse()
        .ok()
        .filter(|limit| (1..=500).contains(limit))
        .ok_or_else(|| clientele_domain::FieldError::new("limit", "invalid", "a limit is 1 to 500"))
}

/// A list's `cursor`: the id of the last row of the page before.
pub(crate) fn id_cursor(value: &str) -> Result<i64, clientele_domain::FieldError> {
    value.parse().map_err(|_| {
        clientele_domain::FieldError::new(
            "cursor",
            "invalid_cursor",
            "the cursor is not one this list gave out",
        )
    })
}

/// Declares the bearer credential every route but the service's own asks for.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A staff user's API token or a till key"))
                    .build(),
            ),
        );
        openapi.security = Some(vec![SecurityRequirement::new(
            "bearer",
            Vec::<String>::new(),
        )]);
    }
}

#[derive(OpenApi)]
#[openapi(
    modifiers(&BearerAuth),
    components(schemas(Problem, ProblemField)),
    info(
        title = "Clientele API",
        description = "The customer base and loyalty engine. Money is in minor units (`*_minor`), \
                       points in hundredths of a point; times are RFC 3339; a whole number may be \
                       written `2` or `2.0`. No text may hold the NUL character (`\\u0000`): a \
                       body that sends one is refused (422, `nul_character`).\n\n\
                       Every refusal is RFC 9457 problem JSON (`application/problem+json`), its \
                       fields named in `errors: [{field, code, message}]`: 422 when a field breaks \
                       what this document says of it, 404 when the request names a record (or a \
                       page cursor) that is not there, 409 when it clashes with what is stored. \
                       Each operation lists every status it can answer.",
    ),
    tags(
        (name = "customers", description = "The customer base"),
        (name = "customer groups", description = "Groups every customer belongs to"),
        (name = "stores", description = "Regions, cities, districts and stores"),
        (name = "properties", description = "Custom properties the marketer defines"),
        (name = "staff", description = "Staff users, roles, API tokens, tills and the audit log"),
        (name = "programs", description = "Loyalty programs and their tiers"),
        (name = "cards", description = "Card groups, print runs and cards"),
        (name = "certificates", description = "Gift certificate templates, issuing, balances"),
        (name = "points", description = "Points by hand and the points ledger"),
        (name = "segments", description = "Segments by rules over the profile and purchase history, their live count, members and recomputes"),
        (name = "offers", description = "Personal offers for a segment or everyone, and their coupons"),
        (name = "messages", description = "The outbox (every message to a customer and where it is on its way), message templates and campaigns"),
        (name = "reports", description = "Figures across customers"),
        (name = "pos", description = "The till's protocol: identify, calculate, commit, return, offline upload. Called with a till key."),
    )
)]
struct ApiDoc;

/// The API's routes and their OpenAPI document, every operation's answers
/// complete.
pub fn router() -> (axum::Router<AppState>, serde_json::Value) {
    let (router, openapi) = routes().split_for_parts();
    let contracts = [
        certificates::contracts(),
        customers::contracts(),
        addresses::contracts(),
        directory::contracts(),
        loyalty::contracts(),
        pos::contracts(),
        segments::contracts(),
        offers::contracts(),
        messages::contracts(),
        templates::contracts(),
        campaigns::contracts(),
        triggers::contracts(),
        channels::contracts(),
        chats::contracts(),
        reports::contracts(),
    ];
    (
        router,
        answers::complete(openapi, contracts.into_iter().flatten()),
    )
}

/// The API's routes with their OpenAPI description.
fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(customers::list, customers::create))
        .routes(routes!(customers::read, customers::update))
        .routes(routes!(customers::archive))
        .routes(routes!(customers::merge))
        .routes(routes!(customers::personal_data))
        .routes(routes!(customers::erase))
        .routes(routes!(notes::list_notes, notes::add_note))
        .routes(routes!(
            addresses::list_addresses,
            addresses::add_address,
            addresses::remove_address
        ))
        .routes(routes!(directory::list_groups, directory::create_group))
        .routes(routes!(
            directory::read_group,
            directory::update_group,
            directory::delete_group
        ))
        .routes(routes!(directory::list_stores, directory::create_store))
        .routes(routes!(directory::read_store, directory::update_store))
        .routes(routes!(
            directory::list_properties,
            directory::create_property
        ))
        .routes(routes!(directory::update_property))
        .routes(routes!(staff::list_staff, staff::create_staff))
        .routes(routes!(staff::update_staff))
        .routes(routes!(staff::list_roles, staff::create_role))
        .routes(routes!(staff::update_role))
        .routes(routes!(staff::list_tokens, staff::create_token))
        .routes(routes!(staff::revoke_token))
        .routes(routes!(staff::list_tills, staff::create_till))
        .routes(routes!(staff::rotate_till))
        .routes(routes!(staff::revoke_till))
        .routes(routes!(staff::audit))
        .routes(routes!(loyalty::list_programs, loyalty::create_program))
        .routes(routes!(loyalty::read_program, loyalty::update_program))
        .routes(routes!(loyalty::create_tier))
        .routes(routes!(loyalty::update_tier))
        .routes(routes!(loyalty::assign_tier))
        .routes(routes!(
            loyalty::list_card_groups,
            loyalty::create_card_group
        ))
        .routes(routes!(loyalty::update_card_group))
        .routes(routes!(loyalty::print_run))
        .routes(routes!(loyalty::list_cards, loyalty::create_card))
        .routes(routes!(loyalty::read_card))
        .routes(routes!(loyalty::block_card))
        .routes(routes!(loyalty::unblock_card))
        .routes(routes!(loyalty::replace_card))
        .routes(routes!(loyalty::adjust_points))
        .routes(routes!(loyalty::ledger))
        .routes(routes!(loyalty::history))
        .routes(routes!(loyalty::points_owed))
        .routes(routes!(reports::report))
        .routes(routes!(
            certificates::list_templates,
            certificates::create_template
        ))
        .routes(routes!(certificates::update_template))
        .routes(routes!(certificates::list, certificates::issue))
        .routes(routes!(certificates::read))
        .routes(routes!(segments::list_segments, segments::create_segment))
        .routes(routes!(segments::segment_fields))
        .routes(routes!(segments::count_members))
        .routes(routes!(
            segments::read_segment,
            segments::update_segment,
            segments::delete_segment
        ))
        .routes(routes!(segments::recompute_segment))
        .routes(routes!(segments::segment_customers))
        .routes(routes!(offers::list_offers, offers::create_offer))
        .routes(routes!(offers::read_offer, offers::update_offer))
        .routes(routes!(offers::offer_results))
        .routes(routes!(offers::make_coupons))
        .routes(routes!(offers::read_coupon))
        .routes(routes!(messages::list_messages))
        .routes(routes!(
            templates::list_message_templates,
            templates::create_message_template
        ))
        .routes(routes!(templates::preview_message_template))
        .routes(routes!(
            templates::read_message_template,
            templates::update_message_template
        ))
        .routes(routes!(
            campaigns::list_campaigns,
            campaigns::create_campaign
        ))
        .routes(routes!(campaigns::read_campaign))
        .routes(routes!(campaigns::cancel_campaign))
        .routes(routes!(campaigns::campaign_report))
        .routes(routes!(triggers::list_triggers, triggers::create_trigger))
        .routes(routes!(triggers::read_trigger, triggers::update_trigger))
        .routes(routes!(channels::list_channels))
        .routes(routes!(channels::save_channel))
        .routes(routes!(channels::test_channel))
        .routes(routes!(channels::take_reports))
        .routes(routes!(channels::take_inbound))
        .routes(routes!(chats::inbox))
        .routes(routes!(chats::read_chat))
        .routes(routes!(chats::answer))
        .routes(routes!(chats::close))
        .routes(routes!(pos::identify))
        .routes(routes!(pos::calculate))
        .routes(routes!(pos::commit))
        .routes(routes!(pos::read_receipt))
        .routes(routes!(pos::return_receipt))
        // An offline till's day of receipts is larger than any other request.
        .routes(routes!(pos::batch).layer(DefaultBodyLimit::max(pos::BATCH_BODY_LIMIT)))
        .routes(routes!(pos::place_hold))
        .routes(routes!(pos::release_hold))
}
