//! What this crate's own tests start from: a fresh file and a customer.

use clientele_store::NewCustomerRecord;
use clientele_store::prelude::*;

/// A fresh migrated database in its own folder, removed by the caller.
pub async fn scratch(name: &str) -> (crate::SqliteDatabase, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("clientele-sqlite-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("test.db");
    let db = crate::SqliteDatabase::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    db.migrate().await.unwrap();
    (db, dir)
}

pub async fn customer(db: &crate::SqliteDatabase, name: &str, phone: &str) -> NewCustomerRecord {
    let group = db.directory().default_customer_group().await.unwrap().id;
    let at = jiff::Timestamp::from_second(1_795_000_000).unwrap();
    let rules = clientele_domain::CustomerRules {
        properties: &[],
        default_group: group,
        today: jiff::civil::date(2026, 11, 23),
        now: at,
        source: "test",
    };
    let profile = clientele_domain::CustomerInput {
        name: Some(name.into()),
        phone: Some(Some(phone.into())),
        ..Default::default()
    }
    .into_new(&rules)
    .unwrap();
    NewCustomerRecord {
        profile,
        created_at: at,
    }
}

/// Points by hand for `customer`: a job of the writer's.
pub async fn give_points(db: &crate::SqliteDatabase, customer: clientele_domain::CustomerId) {
    let at = jiff::Timestamp::now();
    db.adjust_points(&clientele_store::PointsAdjustment {
        customer_ids: vec![customer],
        points: 10,
        comment: "за отзыв".into(),
        message: None,
        kind: clientele_domain::posting::LedgerKind::Manual,
        author: None,
        lot: clientele_domain::posting::LotTerms {
            usable_from: at,
            expires_at: None,
        },
        at,
    })
    .await
    .unwrap();
}
