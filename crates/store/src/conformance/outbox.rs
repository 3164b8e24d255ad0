//! The outbox kept the same on every engine.

use clientele_domain::message::{Channel, MessageSource, MessageState};
use clientele_domain::{ConsentChange, ConsentKind, CustomerInput, MessageId, StoreId};
use jiff::{SignedDuration, Timestamp};

use super::loyalty::{give, shop};
use super::{now, register, with_phone};
use crate::{Database, MessageQuery, NewMessage, Settlement};

fn after(seconds: i64) -> Timestamp {
    now()
        .checked_add(SignedDuration::from_secs(seconds))
        .unwrap()
}

fn listed(state: Option<MessageState>) -> MessageQuery {
    MessageQuery {
        state,
        limit: 100,
        ..MessageQuery::default()
    }
}

pub async fn the_outbox_hands_each_message_to_one_worker(db: &dyn Database) {
    let shop = shop(db).await;
    let anna = register(
        db,
        CustomerInput {
            email: Some(Some("anna@example.ru".into())),
            ..with_phone("Анна", "+79161234580")
        },
    )
    .await;
    let mut consents = anna.profile.consents.clone();
    consents.apply(ConsentChange {
        kind: ConsentKind::Email,
        granted: true,
        source: Some("console".into()),
        at: now(),
    });
    let mut changed = anna.clone();
    changed.profile.consents = consents.clone();
    db.update_customer(&changed, now()).await.unwrap();
    let boris = register(db, with_phone("Борис", "+79161234581")).await.id;

    // Points by hand queue their message with the points, one per customer.
    give(db, &shop, &[anna.id, boris], 100).await;
    let queued = db
        .outbox()
        .messages(&listed(Some(MessageState::Queued)))
        .await
        .unwrap();
    assert_eq!(queued.len(), 2, "{queued:?}");
    let of_anna = queued.iter().find(|m| m.customer_id == anna.id).unwrap();
    assert_eq!(
        (
            of_anna.source,
            of_anna.body.as_str(),
            of_anna.author,
            of_anna.attempts
        ),
        (
            MessageSource::Manual,
            "Вам начислены баллы",
            Some(shop.author),
            0
        )
    );
    assert!(of_anna.expires_at > of_anna.due_at);

    // A message due later is not claimed before its time.
    let later = NewMessage {
        customer_id: anna.id,
        source: MessageSource::Campaign,
        channels: vec![Channel::Email],
        subject: Some("Скидки недели".into()),
        body: "Только до воскресенья".into(),
        at: after(3600),
        expires_at: after(7200),
        author: None,
        trigger_id: None,
        occasion: None,
    };
    let ids = db.outbox().queue_messages(&[later]).await.unwrap();
    assert_eq!(ids.len(), 1);

    // Each due message is claimed once, with its customer as they are now.
    let claimed = db.outbox().claim_messages(after(1), 10).await.unwrap();
    assert_eq!(claimed.len(), 2, "{claimed:?}");
    assert!(
        db.outbox()
            .claim_messages(after(2), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let anna_claim = claimed
        .iter()
        .find(|c| c.message.customer_id == anna.id)
        .unwrap();
    assert_eq!(
        (
            anna_claim.message.state,
            anna_claim.message.attempts,
            anna_claim.email.as_ref().map(|e| e.as_str()),
            anna_claim.consents.is_granted(ConsentKind::Email),
            anna_claim.marketing_sent.len()
        ),
        (MessageState::Sending, 1, Some("anna@example.ru"), true, 0)
    );
    let boris_claim = claimed
        .iter()
        .find(|c| c.message.customer_id == boris)
        .unwrap();
    assert_eq!(boris_claim.email, None);

    db.outbox()
        .settle_messages(&[(
            anna_claim.message.clone(),
            Settlement::Sent {
                channel: Channel::Email,
                address: "anna@example.ru".into(),
                provider_id: Some("250 queued as A1".into()),
                at: after(3),
                cascade_at: None,
            },
        )])
        .await
        .unwrap();
    db.outbox()
        .settle_messages(&[(
            boris_claim.message.clone(),
            Settlement::Stopped {
                state: MessageState::NoContact,
                reason: "no_address".into(),
                answer: None,
            },
        )])
        .await
        .unwrap();
    // A settlement of a message no longer sending changes nothing.
    db.outbox()
        .settle_messages(&[(
            boris_claim.message.clone(),
            Settlement::Retry {
                at: after(60),
                answer: "421 try later".into(),
            },
        )])
        .await
        .unwrap();
    let sent = db
        .outbox()
        .messages(&listed(Some(MessageState::Sent)))
        .await
        .unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (
            sent[0].channel,
            sent[0].address.as_deref(),
            sent[0].provider_id.as_deref(),
            sent[0].sent_at
        ),
        (
            Some(Channel::Email),
            Some("anna@example.ru"),
            Some("250 queued as A1"),
            Some(after(3))
        )
    );
    let stopped = db
        .outbox()
        .messages(&MessageQuery {
            customer_id: Some(boris),
            reason: Some("no_address".into()),
            limit: 10,
            ..MessageQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(stopped.len(), 1);
    assert_eq!(stopped[0].state, MessageState::NoContact);

    // Held until the morning, it is claimed again then, its try not counted;
    // the marketing sent since counts against the caps.
    let claimed = db.outbox().claim_messages(after(3600), 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].marketing_sent, vec![after(3)]);
    let campaign = claimed[0].message.clone();
    db.outbox()
        .settle_messages(&[(campaign.clone(), Settlement::Held { until: after(5000) })])
        .await
        .unwrap();
    assert!(
        db.outbox()
            .claim_messages(after(4999), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let again = db.outbox().claim_messages(after(5000), 10).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(
        (
            again[0].message.attempts,
            again[0].message.reason.as_deref()
        ),
        (1, Some("quiet_hours"))
    );

    // A passing failure comes back when its retry is due.
    db.outbox()
        .settle_messages(&[(
            again[0].message.clone(),
            Settlement::Retry {
                at: after(5100),
                answer: "421 try later".into(),
            },
        )])
        .await
        .unwrap();
    let retried = db.outbox().claim_messages(after(5100), 10).await.unwrap();
    assert_eq!(retried.len(), 1);
    assert_eq!(
        (
            retried[0].message.attempts,
            retried[0].message.answer.as_deref()
        ),
        (2, Some("421 try later"))
    );

    // Left sending by a worker that stopped: failed, not sent again.
    assert_eq!(db.outbox().fail_interrupted(after(5100)).await.unwrap(), 0);
    assert_eq!(db.outbox().fail_interrupted(after(5101)).await.unwrap(), 1);
    let failed = db
        .outbox()
        .messages(&listed(Some(MessageState::Failed)))
        .await
        .unwrap();
    assert_eq!(
        (failed.len(), failed[0].reason.as_deref()),
        (1, Some("interrupted"))
    );
    assert!(
        db.outbox()
            .claim_messages(after(9000), 10)
            .await
            .unwrap()
            .is_empty()
    );

    // Pages go back in time.
    let first = db
        .outbox()
        .messages(&MessageQuery {
            limit: 2,
            ..MessageQuery::default()
        })
        .await
        .unwrap();
    let rest = db
        .outbox()
        .messages(&MessageQuery {
            limit: 10,
            before: Some(first[1].id),
            ..MessageQuery::default()
        })
        .await
        .unwrap();
    let mut ids: Vec<MessageId> = first.iter().chain(&rest).map(|m| m.id).collect();
    assert_eq!(ids.len(), 3);
    ids.dedup();
    assert_eq!(ids.len(), 3);

    // A message to nobody is refused and nothing is queued.
    let lost = db
        .outbox()
        .queue_messages(&[NewMessage {
            customer_id: clientele_domain::CustomerId(999_999),
            source: MessageSource::Chat,
            channels: vec![Channel::Sms],
            subject: None,
            body: "?".into(),
            at: now(),
            expires_at: after(60),
            author: None,
            trigger_id: None,
            occasion: None,
        }])
        .await;
    assert!(lost.is_err(), "{lost:?}");
    assert_eq!(db.outbox().messages(&listed(None)).await.unwrap().len(), 3);

    // A user limited to stores sees their customers' messages only.
    let elsewhere = MessageQuery {
        stores: Some(vec![StoreId(999)]),
        ..listed(None)
    };
    assert!(db.outbox().messages(&elsewhere).await.unwrap().is_empty());
    let one = &first[0];
    assert_eq!(
        db.outbox()
            .message(one.customer_id, one.id)
            .await
            .unwrap()
            .as_ref(),
        Some(one)
    );
    assert_eq!(
        db.outbox()
            .message(boris, MessageId(one.id.0 + 100))
            .await
            .unwrap(),
        None
    );

    // Erasing a customer's messages keeps their states and cancels those
    // still waiting.
    let waiting = NewMessage {
        customer_id: anna.id,
        source: MessageSource::Campaign,
        channels: vec![Channel::Email],
        subject: Some("Скидки".into()),
        body: "Только для вас".into(),
        at: after(9000),
        expires_at: after(9999),
        author: None,
        trigger_id: None,
        occasion: None,
    };
    db.outbox().queue_messages(&[waiting]).await.unwrap();
    assert_eq!(db.outbox().erase_messages(anna.id).await.unwrap(), 3);
    let erased = db
        .outbox()
        .messages(&MessageQuery {
            customer_id: Some(anna.id),
            limit: 10,
            ..MessageQuery::default()
        })
        .await
        .unwrap();
    let states: Vec<(MessageState, Option<&str>)> = erased
        .iter()
        .map(|m| (m.state, m.reason.as_deref()))
        .collect();
    assert_eq!(
        states,
        vec![
            (MessageState::Cancelled, Some("customer_erased")),
            (MessageState::Failed, Some("interrupted")),
            (MessageState::Sent, None),
        ]
    );
    assert!(
        erased
            .iter()
            .all(|m| m.body.is_empty() && m.address.is_none() && m.subject.is_none())
    );

    // The shop's key is made once.
    let key = db.outbox().shop_key("unsubscribe", b"first").await.unwrap();
    assert_eq!(key, b"first");
    let again = db
        .outbox()
        .shop_key("unsubscribe", b"second")
        .await
        .unwrap();
    assert_eq!(again, b"first");
}
