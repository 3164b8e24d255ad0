//! Devices and messenger handles kept the same on every engine.

use clientele_domain::CustomerId;
use clientele_domain::message::{Channel, MessageSource};
use jiff::{SignedDuration, Timestamp};

use super::search::merge;
use super::{now, register, with_phone};
use crate::area::{AddressAdded, CustomerAddress};
use crate::{Database, MessageDraft};

fn device(customer: CustomerId, channel: Channel, address: &str, at: Timestamp) -> CustomerAddress {
    CustomerAddress {
        customer_id: customer,
        channel,
        address: address.into(),
        label: Some("iPhone".into()),
        added_at: at,
    }
}

async fn add(
    db: &dyn Database,
    customer: CustomerId,
    channel: Channel,
    address: &str,
    at: Timestamp,
) -> AddressAdded {
    db.addresses()
        .add_address(&device(customer, channel, address, at))
        .await
        .unwrap()
}

async fn holder(db: &dyn Database, channel: Channel, address: &str) -> Option<CustomerId> {
    db.addresses()
        .address_holder(channel, address)
        .await
        .unwrap()
}

pub async fn addresses_belong_to_one_customer_and_reach_the_worker(db: &dyn Database) {
    let anna = register(db, with_phone("Анна", "+79161234590")).await.id;
    let boris = register(db, with_phone("Борис", "+79161234591")).await.id;
    let addresses = db.addresses();
    let later = now().checked_add(SignedDuration::from_secs(60)).unwrap();

    let added = add(db, anna, Channel::Push, "token-old", now()).await;
    assert_eq!(added.moved_from, None);
    add(db, anna, Channel::Push, "token-new", later).await;
    add(db, anna, Channel::Messenger, "42", now()).await;
    // Registered again by the same customer: dated anew, not doubled.
    let again = add(db, anna, Channel::Messenger, "42", now()).await;
    assert_eq!(again.moved_from, None);
    let kept = addresses.addresses(anna).await.unwrap();
    assert_eq!(kept.len(), 3, "{kept:?}");
    assert_eq!(kept[0].address, "token-new", "the latest first");
    assert_eq!(holder(db, Channel::Messenger, "42").await, Some(anna));
    assert_eq!(
        addresses
            .latest_addresses(&[anna, boris], Channel::Push)
            .await
            .unwrap(),
        vec![(anna, "token-new".to_owned())]
    );

    // The worker reads the latest device and the handle with the message.
    let at = now();
    let message = MessageDraft {
        channels: vec![Channel::Push, Channel::Messenger],
        ..MessageDraft::new(MessageSource::Campaign, "Скидка".into())
    }
    .to(anna, at, None);
    db.outbox().queue_messages(&[message]).await.unwrap();
    let claimed = db.outbox().claim_messages(later, 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].device.as_deref(), Some("token-new"));
    assert_eq!(claimed[0].handle.as_deref(), Some("42"));

    // Another customer signs in on the old device: it moves to them.
    let moved = add(db, boris, Channel::Push, "token-old", later).await;
    assert_eq!(moved.moved_from, Some(anna));
    assert_eq!(addresses.addresses(anna).await.unwrap().len(), 2);
    assert_eq!(holder(db, Channel::Push, "token-old").await, Some(boris));

    // Forgotten, an address is free again; another's is not forgotten.
    assert!(
        !addresses
            .remove_address(anna, Channel::Push, "token-old")
            .await
            .unwrap()
    );
    assert!(
        addresses
            .remove_address(anna, Channel::Push, "token-new")
            .await
            .unwrap()
    );
    assert_eq!(holder(db, Channel::Push, "token-new").await, None);

    // A merge hands the duplicate's handle to the survivor.
    let carol = register(db, with_phone("Карина", "+79161234592")).await.id;
    merge(db, carol, anna).await;
    assert_eq!(holder(db, Channel::Messenger, "42").await, Some(carol));
    assert!(addresses.addresses(anna).await.unwrap().is_empty());
    assert_eq!(addresses.addresses(carol).await.unwrap().len(), 1);

    // Erasure forgets them all, and frees them.
    assert_eq!(addresses.erase_addresses(carol).await.unwrap(), 1);
    assert_eq!(holder(db, Channel::Messenger, "42").await, None);
    assert_eq!(holder(db, Channel::Push, "token-old").await, Some(boris));
}
