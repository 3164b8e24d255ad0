//! Customers' devices and messenger handles: the shop's app registers the
//! device it runs on for push, its bot the chat a customer opened; the
//! outbox then reaches them there. Each belongs to one customer at a time:
//! registered by another, it moves to them (a phone changes hands, a
//! customer signs in on a new one).

use clientele_domain::CustomerId;
use clientele_domain::message::{Channel, address_label, device_address};
use clientele_store::{AddressAdded, CustomerAddress};
use serde_json::json;

use crate::audit::{ChangedBy, customer_entry};
use crate::{App, AppError, AppResult};

impl App {
    /// Registers a device or handle for a customer within the caller's
    /// reach; the audit log names the channel, never the address.
    #[tracing::instrument(skip(self, address, label, by))]
    pub async fn add_address(
        &self,
        customer: CustomerId,
        channel: &str,
        address: &str,
        label: Option<&str>,
        by: &ChangedBy,
    ) -> AppResult<AddressAdded> {
        let channel = Channel::parse(channel).map_err(AppError::from_field)?;
        let address = device_address(channel, address).map_err(AppError::from_field)?;
        let label = address_label(label).map_err(AppError::from_field)?;
        self.live_customer_for(customer, "customer_id", by).await?;
        self.register(customer, channel, address, label, by).await
    }

    /// Registers an address a channel's provider vouched for (a customer
    /// who shared their phone with the shop's bot): no staff reach to check.
    pub(crate) async fn register(
        &self,
        customer: CustomerId,
        channel: Channel,
        address: String,
        label: Option<String>,
        by: &ChangedBy,
    ) -> AppResult<AddressAdded> {
        let at = self.clock().now();
        let added = self
            .db()
            .addresses()
            .add_address(&CustomerAddress {
                customer_id: customer,
                channel,
                address,
                label,
                added_at: at,
            })
            .await?;
        let mut after = json!({"address_channel": channel.as_str()});
        if let Some(holder) = added.moved_from {
            after["moved_from"] = json!(holder.0);
        }
        self.record(customer_entry(
            by,
            at,
            "customer.address_add",
            customer,
            (None, after),
        ))
        .await?;
        Ok(added)
    }

    /// A customer's devices and handles, the latest first.
    pub async fn customer_addresses(
        &self,
        customer: CustomerId,
        by: &ChangedBy,
    ) -> AppResult<Vec<CustomerAddress>> {
        self.customer_for(customer, by).await?;
        Ok(self.db().addresses().addresses(customer).await?)
    }

    /// Forgets a device or handle (the app signed out, the bot was blocked).
    #[tracing::instrument(skip(self, address, by))]
    pub async fn remove_address(
        &self,
        customer: CustomerId,
        channel: &str,
        address: &str,
        by: &ChangedBy,
    ) -> AppResult<()> {
        let channel = Channel::parse(channel).map_err(AppError::from_field)?;
        self.customer_for(customer, by).await?;
        if !self
            .db()
            .addresses()
            .remove_address(customer, channel, address.trim())
            .await?
        {
            return Err(AppError::NotFound("address"));
        }
        self.record(customer_entry(
            by,
            self.clock().now(),
            "customer.address_remove",
            customer,
            (
                Some(json!({"address_channel": channel.as_str()})),
                json!(null),
            ),
        ))
        .await?;
        Ok(())
    }
}
