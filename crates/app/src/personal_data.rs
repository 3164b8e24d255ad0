//! A customer's rights over their personal data (152-FZ, GDPR): everything
//! held about them, and erasure on request.
//!
//! Erasure empties every personal field and keeps the record itself, so
//! receipts, points and reports that count the customer stay consistent and
//! become anonymous. The audit log never held personal values.

use clientele_domain::{Consents, Customer, CustomerId, CustomerStatus, UserId};
use clientele_store::{AuditEntry, AuditQuery, CustomerAddress};

use crate::audit::{ChangedBy, customer_entry, profile_change};
use crate::{App, AppResult};

/// Audit entries an export carries at most.
const AUDIT_ENTRIES: u32 = 10_000;

/// What Clientele holds about one customer.
#[derive(Debug, Clone)]
pub struct PersonalData {
    pub customer: Customer,
    /// The devices and messenger handles they are reached at.
    pub addresses: Vec<CustomerAddress>,
    pub audit: Vec<AuditEntry>,
}

impl App {
    pub async fn personal_data(&self, id: CustomerId, by: &ChangedBy) -> AppResult<PersonalData> {
        let customer = self.customer_for(id, by).await?;
        let addresses = self.db().addresses().addresses(id).await?;
        let audit = self
            .audit_entries(&AuditQuery {
                customer_id: Some(id),
                limit: AUDIT_ENTRIES,
                ..Default::default()
            })
            .await?;
        let entry = customer_entry(
            by,
            self.clock().now(),
            "customer.personal_data_export",
            id,
            (None, serde_json::json!({})),
        );
        self.record(entry).await?;
        Ok(PersonalData {
            customer,
            addresses,
            audit,
        })
    }

    /// Erases a customer's personal data, what their messages said
    /// included; `user` must confirm with their password, as for points by
    /// hand.
    pub async fn erase_customer(
        &self,
        id: CustomerId,
        user: UserId,
        password: &str,
        by: &ChangedBy,
    ) -> AppResult<Customer> {
        let mut customer = self.customer_for(id, by).await?;
        self.confirm_password(user, password, by).await?;
        let before = customer.profile.clone();
        let profile = &mut customer.profile;
        profile.name = format!("Покупатель {id} (данные удалены)");
        profile.phone = None;
        profile.email = None;
        profile.gender = None;
        profile.birth_date = None;
        profile.address = None;
        profile.region = None;
        profile.city = None;
        profile.documents.clear();
        profile.notes = None;
        profile.external_id = None;
        profile.consents = Consents::default();
        profile.properties.clear();
        profile.status = CustomerStatus::Archived;
        let at = self.clock().now();
        let erased = self.db().update_customer(&customer, at).await?;
        self.db().outbox().erase_messages(id).await?;
        self.db().chats().erase_chat(id).await?;
        self.db().addresses().erase_addresses(id).await?;
        let change = profile_change(Some(&before), &erased.profile);
        self.record(customer_entry(by, at, "customer.erase", id, change))
            .await?;
        Ok(erased)
    }
}
