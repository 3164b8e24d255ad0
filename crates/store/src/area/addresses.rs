//! Where customers are reached beyond their phone and e-mail: the devices
//! their app registered for push, their messenger handles.

use async_trait::async_trait;
use clientele_domain::CustomerId;
use clientele_domain::message::Channel;
use jiff::Timestamp;

use crate::DbResult;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerAddress {
    pub customer_id: CustomerId,
    /// `push` or `messenger`.
    pub channel: Channel,
    pub address: String,
    pub label: Option<String>,
    pub added_at: Timestamp,
}

/// A registration: where it went, and whom it was taken from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressAdded {
    pub address: CustomerAddress,
    /// The customer who held it before: a device or handle belongs to one
    /// customer at a time, so it moved.
    pub moved_from: Option<CustomerId>,
}

#[async_trait]
pub trait Addresses: Send + Sync {
    /// Registers an address for a customer; registered again, it is
    /// relabelled and dated anew, and moves from whoever held it.
    async fn add_address(&self, address: &CustomerAddress) -> DbResult<AddressAdded>;
    /// A customer's addresses, the latest first.
    async fn addresses(&self, customer: CustomerId) -> DbResult<Vec<CustomerAddress>>;
    /// The latest address on `channel` of each customer given.
    async fn latest_addresses(
        &self,
        customers: &[CustomerId],
        channel: Channel,
    ) -> DbResult<Vec<(CustomerId, String)>>;
    async fn remove_address(
        &self,
        customer: CustomerId,
        channel: Channel,
        address: &str,
    ) -> DbResult<bool>;
    /// Whose the address is.
    async fn address_holder(&self, channel: Channel, address: &str)
    -> DbResult<Option<CustomerId>>;
    /// Erases a customer's addresses (the personal-data right).
    async fn erase_addresses(&self, customer: CustomerId) -> DbResult<u64>;
}
