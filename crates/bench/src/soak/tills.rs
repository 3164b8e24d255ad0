//! What the soak's tills and staff do while the server is killed under
//! them: receipts (some paid with points held first), whole returns, and
//! points by hand. A till sends every request again until it is answered,
//! as a till's own queue does; what was answered is kept to check later.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clientele_domain::Customer;
use reqwest::Url;
use serde_json::{Value, json};

use crate::pos::till::{Dice, basket};

/// How long a till keeps sending one request before it gives up.
const GIVE_UP_AFTER: Duration = Duration::from_secs(180);

/// What the tills were answered, and how often they had to send again.
#[derive(Default)]
pub struct Book {
    /// Each receipt answered 201, by id: its till and the answer.
    pub receipts: Mutex<HashMap<String, (usize, String)>>,
    pub refused: AtomicU64,
    pub holds: AtomicU64,
    pub returns: AtomicU64,
    pub by_hand: AtomicU64,
    /// Sendings that found the server down, restarting or failing.
    pub sent_again: AtomicU64,
}

/// Sends until the server answers with anything but a 5xx; the status and
/// the body.
async fn until_answered(
    book: &Book,
    client: &reqwest::Client,
    url: Url,
    body: &Value,
) -> anyhow::Result<(u16, String)> {
    let started = Instant::now();
    loop {
        if let Ok(response) = client.post(url.clone()).json(body).send().await {
            let status = response.status().as_u16();
            if status < 500
                && let Ok(text) = response.text().await
            {
                return Ok((status, text));
            }
        }
        book.sent_again.fetch_add(1, Ordering::Relaxed);
        anyhow::ensure!(
            started.elapsed() < GIVE_UP_AFTER,
            "{url} was not answered for {GIVE_UP_AFTER:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// One till until `until`: receipts, two in ten paid with points held
/// first, and one in ten followed by the whole return of its previous one.
pub async fn till(
    n: usize,
    client: reqwest::Client,
    base: Url,
    customers: &[Customer],
    book: &Book,
    until: Instant,
) -> anyhow::Result<()> {
    let mut dice = Dice::nth(n as u64 + 7_000);
    let mut previous: Option<String> = None;
    let mut i = 0;
    while Instant::now() < until {
        i += 1;
        let id = format!("S{n}-{i}");
        let customer = &customers[dice.roll(customers.len() as u64) as usize];
        let mut body =
            json!({"customer_id": customer.id.0, "lines": basket(&mut dice), "points_to_pay": 0});
        let kind = dice.roll(10);
        if kind < 2 {
            body["points_to_pay"] = json!(100 + dice.roll(400));
            let (status, held) =
                until_answered(book, &client, base.join("api/v1/pos/holds")?, &body).await?;
            match status {
                201 => {
                    let held: Value = serde_json::from_str(&held)?;
                    body["hold_id"] = held["hold_id"].clone();
                    book.holds.fetch_add(1, Ordering::Relaxed);
                }
                // The points ran short: the receipt goes without them.
                409 | 422 => body["points_to_pay"] = json!(0),
                other => anyhow::bail!("hold: {other} {held}"),
            }
        }
        body["receipt_id"] = json!(id);
        body["created_at"] = json!(jiff::Timestamp::now().to_string());
        let (status, answer) =
            until_answered(book, &client, base.join("api/v1/pos/receipts")?, &body).await?;
        match status {
            201 => {
                book.receipts
                    .lock()
                    .unwrap()
                    .insert(id.clone(), (n, answer));
            }
            409 => {
                book.refused.fetch_add(1, Ordering::Relaxed);
            }
            other => anyhow::bail!("receipt {id}: {other} {answer}"),
        }
        if kind == 9
            && let Some(earlier) = previous.take()
        {
            let path = format!("api/v1/pos/receipts/{earlier}/returns");
            let (status, answer) = until_answered(
                book,
                &client,
                base.join(&path)?,
                &json!({"return_id": format!("{earlier}-R")}),
            )
            .await?;
            match status {
                201 => book.returns.fetch_add(1, Ordering::Relaxed),
                other => anyhow::bail!("return of {earlier}: {other} {answer}"),
            };
        } else if status == 201 {
            previous = Some(id);
        }
    }
    Ok(())
}

/// A manager giving points by hand every second until `until`. Not sent
/// again when unanswered (it has no key to be recognised by): the ledger
/// check holds either way.
pub async fn staff(
    client: reqwest::Client,
    base: Url,
    password: &str,
    customers: &[Customer],
    book: &Book,
    until: Instant,
) -> anyhow::Result<()> {
    let mut dice = Dice::nth(99_999);
    while Instant::now() < until {
        let customer = &customers[dice.roll(customers.len() as u64) as usize];
        let body = json!({"customer_ids": [customer.id.0], "points": 100, "comment": "soak", "password": password});
        if let Ok(response) = client
            .post(base.join("api/v1/points/adjustments")?)
            .json(&body)
            .send()
            .await
        {
            match response.status().as_u16() {
                201 => {
                    book.by_hand.fetch_add(1, Ordering::Relaxed);
                }
                status if status < 500 => {
                    anyhow::bail!("points by hand: {status} {}", response.text().await?)
                }
                _ => {}
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    Ok(())
}
