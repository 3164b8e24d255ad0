//! Templates and campaigns kept the same on every engine.

use clientele_domain::campaign::{CampaignState, CampaignTerms};
use clientele_domain::message::{Channel, MessageState};
use clientele_domain::template::Locale;
use clientele_domain::{CustomerId, TemplateId};
use jiff::{SignedDuration, Timestamp};

use super::loyalty::{give, shop};
use super::{now, register, with_phone};
use crate::{CampaignSlice, Database, DbError, NewCampaign, TemplateRecord};

fn words(name: &str) -> TemplateRecord {
    TemplateRecord {
        name: name.into(),
        locale: Locale::Ru,
        subject: Some("Скидки для {{ first_name }}".into()),
        body: "Здравствуйте, {{ name }}! У вас {{ balance }} баллов.".into(),
        html: None,
    }
}

fn terms(name: &str, template: TemplateId) -> CampaignTerms {
    CampaignTerms {
        name: name.into(),
        template,
        channels: vec![Channel::Email, Channel::Sms],
        segment: None,
        offer: None,
        holdout_bp: 0,
        cancel_window_mins: 10,
        report_days: 14,
        starts_at: now(),
    }
}

fn later(minutes: i64) -> Timestamp {
    now()
        .checked_add(SignedDuration::from_mins(minutes))
        .unwrap()
}

pub async fn campaigns_queue_each_customer_once(db: &dyn Database) {
    let shop = shop(db).await;
    let anna = register(db, with_phone("Иванова Анна Сергеевна", "+79161234590")).await;
    let boris = register(db, with_phone("Борис", "+79161234591")).await.id;
    let vera = register(db, with_phone("Вера", "+79161234592")).await.id;
    give(db, &shop, &[anna.id], 12_500).await;

    // Templates: a name is taken once; an edit needs the version read.
    let campaigns = db.campaigns();
    let template = campaigns
        .create_template(&words("Зима"), now())
        .await
        .unwrap();
    assert!(matches!(
        campaigns.create_template(&words("Зима"), now()).await,
        Err(DbError::Conflict { field: "name", .. })
    ));
    let mut edited = words("Зима");
    edited.body = "Новый текст, {{ name }}".into();
    assert!(
        campaigns
            .update_template(template.id, &edited, template.version + 1, now())
            .await
            .unwrap()
            .is_none()
    );
    let edited = campaigns
        .update_template(template.id, &edited, template.version, now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(edited.version, template.version + 1);
    assert_eq!(campaigns.templates().await.unwrap(), vec![edited.clone()]);

    let campaign = campaigns
        .create_campaign(&NewCampaign {
            terms: terms("Зимняя рассылка", template.id),
            words: edited.record.clone(),
            stores: None,
            author: Some(shop.author),
            at: now(),
        })
        .await
        .unwrap();
    assert_eq!(campaign.state, CampaignState::Scheduled);
    assert_eq!(campaign.words.body, "Новый текст, {{ name }}");
    assert_eq!(campaign.channels, vec![Channel::Email, Channel::Sms]);

    // Its start has come: it is queued, once, even by two servers.
    let due = campaigns.campaigns_to_queue(now()).await.unwrap();
    assert_eq!(
        due.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![campaign.id]
    );
    assert_eq!(due[0].state, CampaignState::Queueing);
    let audience = campaigns.campaign_audience(None, None).await.unwrap();
    assert_eq!(audience, vec![anna.id, boris, vera]);
    let recipients = [anna.id, boris];
    let held_out = [vera];
    let queue = |recipients: &[CustomerId], held_out: &[CustomerId]| {
        let recipients = recipients.to_vec();
        let held_out = held_out.to_vec();
        let campaign = due[0].clone();
        async move {
            db.campaigns()
                .queue_campaign(CampaignSlice {
                    campaign: &campaign,
                    recipients: &recipients,
                    held_out: &held_out,
                    due_at: later(10),
                    expires_at: later(60 * 72),
                    at: now(),
                })
                .await
        }
    };
    assert_eq!(queue(&recipients, &held_out).await.unwrap(), 3);
    assert_eq!(
        queue(&recipients, &held_out).await.unwrap(),
        0,
        "a repeat adds nobody"
    );
    campaigns.finish_queueing(campaign.id, now()).await.unwrap();
    let queued = campaigns.campaign(campaign.id).await.unwrap().unwrap();
    assert_eq!(
        (queued.state, queued.recipients, queued.held_out),
        (CampaignState::Queued, 2, 1)
    );
    let mut counts: Vec<_> = campaigns
        .campaign_counts(&[campaign.id])
        .await
        .unwrap()
        .into_iter()
        .map(|t| (t.state, t.reason, t.messages))
        .collect();
    counts.sort_by_key(|(state, _, _)| state.as_str());
    assert_eq!(
        counts,
        vec![
            (MessageState::Cancelled, Some("holdout".into()), 1),
            (MessageState::Queued, None, 2),
        ]
    );
    let mut members = campaigns.campaign_members(campaign.id).await.unwrap();
    members.sort();
    assert_eq!(
        members,
        vec![(anna.id, false), (boris, false), (vera, true)]
    );

    // Not due within the cancel window; due after it, with the campaign named.
    let early = db.outbox().claim_messages(later(9), 10).await.unwrap();
    assert!(
        early.iter().all(|c| c.message.campaign_id.is_none()),
        "{early:?}"
    );
    let claimed = db.outbox().claim_messages(later(10), 10).await.unwrap();
    let campaign_messages: Vec<_> = claimed
        .iter()
        .filter(|c| c.message.campaign_id == Some(campaign.id))
        .collect();
    assert_eq!(campaign_messages.len(), 2, "{claimed:?}");

    // What the placeholders are filled from.
    let facts = campaigns
        .personal_facts(&[anna.id, boris], None)
        .await
        .unwrap();
    let of_anna = facts.iter().find(|f| f.customer_id == anna.id).unwrap();
    assert_eq!(of_anna.name, "Иванова Анна Сергеевна");
    assert_eq!(of_anna.account.balance(), 12_500);
    assert_eq!(facts.len(), 2);

    // Cancelling withdraws what has not left, once.
    let second = campaigns
        .create_campaign(&NewCampaign {
            terms: terms("Вторая", template.id),
            words: edited.record.clone(),
            stores: None,
            author: None,
            at: now(),
        })
        .await
        .unwrap();
    let due = campaigns.campaigns_to_queue(now()).await.unwrap();
    let second_due = due.into_iter().find(|c| c.id == second.id).unwrap();
    campaigns
        .queue_campaign(CampaignSlice {
            campaign: &second_due,
            recipients: &[anna.id, boris, vera],
            held_out: &[],
            due_at: later(10),
            expires_at: later(60),
            at: now(),
        })
        .await
        .unwrap();
    assert_eq!(
        campaigns.cancel_campaign(second.id, now()).await.unwrap(),
        Some(3)
    );
    assert_eq!(
        campaigns.cancel_campaign(second.id, now()).await.unwrap(),
        None
    );
    // A slice queued after the cancel adds nothing.
    assert_eq!(
        campaigns
            .queue_campaign(CampaignSlice {
                campaign: &second_due,
                recipients: &[anna.id],
                held_out: &[],
                due_at: later(10),
                expires_at: later(60),
                at: now(),
            })
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        campaigns
            .campaign_counts(&[second.id])
            .await
            .unwrap()
            .into_iter()
            .map(|t| (t.state, t.reason, t.messages))
            .collect::<Vec<_>>(),
        vec![(
            MessageState::Cancelled,
            Some("campaign_cancelled".into()),
            3
        )]
    );
    assert!(
        campaigns
            .campaign_audience(None, Some(&[]))
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn trigger_scans_find_each_occasion_once(db: &dyn Database) {
    use clientele_domain::message::MessageSource;
    use clientele_domain::points::Shortfall;
    use clientele_domain::posting::{LedgerKind, LotTerms};

    use super::loyalty::{receipt, sold};
    use crate::{NewMessage, PointsAdjustment};

    let shop = shop(db).await;
    let anna = register(db, with_phone("Анна", "+79161234595")).await.id;
    let boris = register(db, with_phone("Борис", "+79161234596")).await.id;
    sold(
        db,
        &shop,
        receipt(&shop, "T-1", Some(anna), &[10_000], 0, Shortfall::Refuse),
    )
    .await;
    let expiring = later(5 * 24 * 60);
    db.adjust_points(&PointsAdjustment {
        customer_ids: vec![boris],
        points: 500,
        comment: "сгорят".into(),
        message: None,
        kind: LedgerKind::Manual,
        author: Some(shop.author),
        lot: LotTerms {
            usable_from: now(),
            expires_at: Some(expiring),
        },
        at: now(),
    })
    .await
    .unwrap();

    let triggers = db.triggers();
    let mut joined = triggers.joined_since(later(-60)).await.unwrap();
    joined.sort();
    assert_eq!(joined, vec![anna, boris]);
    assert!(triggers.joined_since(later(1)).await.unwrap().is_empty());
    assert_eq!(
        triggers.first_bought_since(later(-60)).await.unwrap(),
        vec![anna]
    );
    assert_eq!(
        triggers
            .last_bought_between(later(-60), now())
            .await
            .unwrap(),
        vec![(anna, now())]
    );
    assert!(
        triggers
            .last_bought_between(later(1), later(60))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        triggers
            .expiring_between(now(), later(7 * 24 * 60))
            .await
            .unwrap(),
        vec![(boris, expiring)]
    );
    assert!(
        triggers
            .expiring_between(now(), later(24 * 60))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        triggers.tier_moves(10).await.unwrap().is_empty(),
        "nobody has a tier"
    );

    // An occasion is queued once per customer.
    let welcome = |customer| NewMessage {
        customer_id: customer,
        source: MessageSource::Trigger,
        channels: vec![Channel::Email],
        subject: None,
        body: String::new(),
        at: now(),
        expires_at: later(60),
        author: None,
        trigger_id: None,
        occasion: Some("welcome".into()),
    };
    assert_eq!(
        db.outbox()
            .queue_messages(&[welcome(anna), welcome(boris)])
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(
        db.outbox()
            .queue_messages(&[welcome(anna)])
            .await
            .unwrap()
            .is_empty()
    );
}
