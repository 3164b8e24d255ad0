//! Notes about a customer: added by staff, signed and dated, listed newest
//! first on the customer's page and in the API.

use clientele_domain::{CustomerId, Note, NoteText};
use clientele_store::{Actor, NewNote};
use serde_json::json;

use crate::audit::{ChangedBy, customer_entry};
use crate::{App, AppError, AppResult};

/// The most notes one read answers.
pub const NOTES_SHOWN: u32 = 100;

/// Who signs a note: a staff user by login, the system by its name.
fn author(by: &ChangedBy) -> String {
    match &by.actor {
        Actor::User { login, .. } => login.clone(),
        Actor::Till { id, .. } => format!("till {id}"),
        Actor::System { name } => name.clone(),
    }
}

impl App {
    /// Adds a note to a customer within the caller's reach, not merged into
    /// another; the audit log says a note was added, not what it says.
    pub async fn add_note(
        &self,
        customer: CustomerId,
        text: &str,
        by: &ChangedBy,
    ) -> AppResult<Note> {
        self.live_customer_for(customer, "id", by).await?;
        let text = NoteText::parse(text).map_err(AppError::from_field)?;
        let at = self.clock().now();
        let note = self
            .db()
            .add_note(&NewNote {
                customer_id: customer,
                author: author(by),
                text,
                at,
            })
            .await?;
        self.record(customer_entry(
            by,
            at,
            "customer.note",
            customer,
            (None, json!({"note_id": note.id})),
        ))
        .await?;
        Ok(note)
    }

    /// A customer's notes with those of the customers merged into them,
    /// newest first.
    pub async fn notes(&self, customer: CustomerId, by: &ChangedBy) -> AppResult<Vec<Note>> {
        self.customer_for(customer, by).await?;
        Ok(self.db().history().notes(customer, NOTES_SHOWN).await?)
    }
}
