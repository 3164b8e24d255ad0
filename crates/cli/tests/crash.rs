//! A receipt answered is a receipt kept: tills commit while the server is
//! killed with SIGKILL; after a restart every answered receipt is there,
//! with the answer the till got, on every engine.

use crate::common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::tills::{
    Served, customer_at, ledger_and_balance, owner_token, receipt, shop_with_tills,
};
use common::{client_with, drop_database, fresh_database, till_engines};

#[tokio::test]
async fn every_answered_receipt_survives_a_sigkill() {
    for engine in till_engines() {
        let url = fresh_database(engine).await;
        let owner = client_with(&owner_token(&url));
        let mut server = Served::start(&url, &[], &[]).await;
        let base = server.base.clone();
        let tills = shop_with_tills(&base, &owner, 8).await;
        let customer = customer_at(&base, &tills[0], "+79161234567").await;

        // Tills commit as fast as they can; what each got is noted.
        let answered: Arc<Mutex<BTreeMap<(usize, String), String>>> = Arc::default();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let workers: Vec<_> = tills
            .iter()
            .enumerate()
            .map(|(n, till)| {
                let (till, base, answered, stop) =
                    (till.clone(), base.clone(), answered.clone(), stop.clone());
                tokio::spawn(async move {
                    let mut i = 0;
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        let id = format!("K-{n}-{i}");
                        i += 1;
                        let Ok(response) = till
                            .post(format!("{base}/api/v1/pos/receipts"))
                            .json(&receipt(&id, customer))
                            .send()
                            .await
                        else {
                            break;
                        };
                        if response.status() == 201
                            && let Ok(text) = response.text().await
                        {
                            answered.lock().unwrap().insert((n, id), text);
                        }
                    }
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(1500)).await;
        server.kill();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for worker in workers {
            worker.await.unwrap();
        }
        let answered = std::mem::take(&mut *answered.lock().unwrap());
        assert!(
            answered.len() > 20,
            "{engine:?}: tills committed only {} receipts",
            answered.len()
        );

        let server = Served::start(&url, &[], &[]).await;
        let base = &server.base;
        for ((n, id), first) in &answered {
            let response = tills[*n]
                .get(format!("{base}/api/v1/pos/receipts/{id}"))
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                200,
                "{engine:?}: answered receipt {id} was lost"
            );
            assert_eq!(
                &response.text().await.unwrap(),
                first,
                "{engine:?}: {id} kept as answered"
            );
        }
        // The ledger is whole: its entries, page by page, sum to the balance.
        let (sum, balance) = ledger_and_balance(base, &owner, customer).await;
        assert_eq!(sum, balance, "{engine:?}: the ledger sums to the balance");
        drop(server);
        drop_database(&url).await;
    }
}
