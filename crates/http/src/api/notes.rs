//! `/api/v1/customers/{id}/notes`: a customer's dated notes, signed by the
//! staff user who wrote them.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_domain::{CustomerId, Note};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::access::Caller;
use crate::extract::{Json, Path};
use crate::problem::ApiError;
use crate::state::AppState;

/// A note about a customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteBody {
    /// Unique within its customer.
    pub id: i64,
    /// Whose note it is: the customer, or one merged into them.
    pub customer_id: i64,
    /// The login of the staff user who wrote it.
    pub author: String,
    pub text: String,
    pub created_at: String,
}

impl From<Note> for NoteBody {
    fn from(note: Note) -> NoteBody {
        NoteBody {
            id: note.id,
            customer_id: note.customer_id.0,
            author: note.author,
            text: note.text,
            created_at: note.created_at.to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotesBody {
    /// Newest first, with the notes of customers merged into this one (the
    /// latest 100).
    pub items: Vec<NoteBody>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteRequest {
    /// What to note: up to 2000 characters, not blank, no NUL; the spaces
    /// around it are dropped.
    #[schema(
        min_length = 1,
        max_length = 2000,
        pattern = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"
    )]
    pub text: String,
}

/// A customer's notes.
#[utoipa::path(get, path = "/api/v1/customers/{id}/notes", tag = "customers", params(("id" = i64, Path)),
    responses((status = 200, body = NotesBody)))]
pub async fn list_notes(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<axum::Json<NotesBody>, ApiError> {
    let notes = state
        .app
        .notes(CustomerId(id), &caller.changed_by())
        .await?;
    Ok(axum::Json(NotesBody {
        items: notes.into_iter().map(NoteBody::from).collect(),
    }))
}

/// Add a note to a customer, signed by the caller.
#[utoipa::path(post, path = "/api/v1/customers/{id}/notes", tag = "customers", params(("id" = i64, Path)), request_body = NoteRequest,
    responses((status = 201, body = NoteBody),
        (status = 409, description = "The customer was merged into another (`existing_customer_id`): note it there.")))]
pub async fn add_note(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Json(request): Json<NoteRequest>,
) -> Result<(StatusCode, axum::Json<NoteBody>), ApiError> {
    let note = state
        .app
        .add_note(CustomerId(id), &request.text, &caller.changed_by())
        .await?;
    Ok((StatusCode::CREATED, axum::Json(note.into())))
}
