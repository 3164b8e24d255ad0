//! The settings: the index of the sections the role may open, customer
//! groups, the store tree, custom properties, staff and their roles, till
//! keys, and the channels messages leave by. Every form has one shape
//! (`form`, its fields shared with the channels' forms); `labels` says
//! roles and rights in words for the staff lists and the role form.

mod channels;
mod form;
mod groups;
mod index;
mod labels;
mod properties;
mod roles;
mod staff;
mod stores;
mod tills;
mod zones;

use axum::routing::get;

use crate::state::AppState;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/settings", get(index::index))
        .merge(groups::routes())
        .merge(stores::routes())
        .merge(properties::routes())
        .merge(staff::routes())
        .merge(roles::routes())
        .merge(tills::routes())
        .merge(channels::routes())
}
