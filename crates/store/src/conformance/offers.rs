//! Offers and coupons kept the same on every engine.

use clientele_domain::offer::{CouponCode, OfferInput};
use clientele_domain::{OfferId, SegmentId};
use jiff::Timestamp;

use super::now;
use crate::{Database, DbError};

fn terms(name: &str, segment: Option<SegmentId>) -> clientele_domain::OfferTerms {
    OfferInput {
        name: name.into(),
        segment_id: segment,
        active: true,
        reward: "percent_off".into(),
        reward_value: 1000,
        categories: vec!["dairy".into()],
        days: vec!["friday".into()],
        hours_from: Some("22:00".into()),
        hours_to: Some("02:00".into()),
        coupon: Some("unique".into()),
        ..OfferInput::default()
    }
    .validate()
    .expect("valid terms")
}

fn code(raw: &str) -> CouponCode {
    CouponCode::parse(raw).unwrap()
}

pub async fn offers_keep_their_terms_and_coupons(db: &dyn Database) {
    let offers = db.offers();
    let later = Timestamp::from_second(now().as_second() + 60).unwrap();
    let night = terms("Ночная скидка", None);
    let kept = offers.create_offer(&night, now()).await.unwrap();
    assert_eq!((kept.offer.terms.clone(), kept.version), (night.clone(), 1));
    let taken = offers.create_offer(&night, now()).await;
    assert!(
        matches!(taken, Err(DbError::Conflict { field: "name", .. })),
        "{taken:?}"
    );
    let lost = offers
        .create_offer(&terms("Для никого", Some(SegmentId(999))), now())
        .await;
    assert!(
        matches!(
            lost,
            Err(DbError::MissingReference {
                field: "segment_id"
            })
        ),
        "{lost:?}"
    );

    let mut paused = night.clone();
    paused.active = false;
    let id = kept.offer.id;
    let changed = offers
        .update_offer(id, &paused, 1, later)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((changed.offer.terms.active, changed.version), (false, 2));
    assert_eq!(changed.updated_at, later);
    let stale = offers.update_offer(id, &night, 1, later).await;
    assert!(matches!(stale, Err(DbError::StaleVersion)), "{stale:?}");
    assert!(
        offers
            .update_offer(OfferId(999), &night, 1, later)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        offers.offers().await.unwrap(),
        std::slice::from_ref(&changed)
    );
    assert_eq!(offers.offer(id).await.unwrap(), Some(changed));

    let made = offers
        .add_coupons(
            id,
            &[(code("AAAA-1111"), None), (code("BBBB-2222"), None)],
            now(),
        )
        .await
        .unwrap();
    assert_eq!(made, [code("AAAA-1111"), code("BBBB-2222")]);
    // A code already kept is left out; the others are kept.
    let again = offers
        .add_coupons(
            id,
            &[(code("BBBB-2222"), None), (code("CCCC-3333"), None)],
            now(),
        )
        .await
        .unwrap();
    assert_eq!(again, [code("CCCC-3333")]);
    let coupon = offers.coupon(&code("CCCC-3333")).await.unwrap().unwrap();
    assert_eq!((coupon.offer_id, coupon.customer_id), (id, None));
    let page = offers
        .coupons_of(id, Some(&code("AAAA-1111")), 1)
        .await
        .unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].code, code("BBBB-2222"));
    assert!(offers.coupon(&code("DDDD-4444")).await.unwrap().is_none());
}
