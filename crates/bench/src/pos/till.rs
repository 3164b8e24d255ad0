//! What a till sends: its client, its baskets, and one receipt's flow
//! (identify, calculate, commit), shared by the closed and the open loop.

use std::time::{Duration, Instant};

use clientele_domain::Customer;
use reqwest::Url;
use serde_json::{Value, json};

pub fn client(key: &str) -> anyhow::Result<reqwest::Client> {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {key}").parse()?,
    );
    Ok(reqwest::Client::builder()
        .default_headers(headers)
        .timeout(Duration::from_secs(30))
        .build()?)
}

/// A cheap, repeatable pseudo-random sequence (xorshift).
pub struct Dice(u64);

impl Dice {
    /// The sequence of the `n`th till or receipt; never the stuck zero state.
    pub fn nth(n: u64) -> Dice {
        Dice(0x9E37_79B9_7F4A_7C15 ^ ((n + 1).wrapping_mul(0x1000_0001)))
    }

    pub fn roll(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below.max(1)
    }
}

pub fn basket(dice: &mut Dice) -> Value {
    let lines: Vec<Value> = (0..3)
        .map(|i| {
            let price = 100 + dice.roll(50_000) as i64;
            json!({"sku": format!("sku-{}", dice.roll(500)), "name": "Товар", "category": if i == 2 { "tobacco" } else { "food" },
                   "quantity": 1, "price_minor": price, "amount_minor": price})
        })
        .collect();
    Value::Array(lines)
}

/// How a receipt's flow ended.
pub enum Flow {
    Committed,
    /// 409: the points ran out between calculate and commit.
    Refused,
    /// `step status detail` of the step that failed.
    Failed(String),
}

/// One receipt: identify by phone, calculate, commit (every third customer
/// paying what they may with points). Answers how it ended and how long
/// the commit itself took.
pub async fn receipt(
    client: &reqwest::Client,
    base: &Url,
    customer: &Customer,
    dice: &mut Dice,
    receipt_id: &str,
) -> (Flow, Option<Duration>) {
    let lines = basket(dice);
    let phone = customer.profile.phone.as_ref().map_or("", |p| p.as_str());
    let found = post(
        client,
        base,
        "api/v1/pos/identify",
        &json!({"phone": phone}),
    )
    .await;
    let Ok((200, found)) = found else {
        return (failure("identify", &found), None);
    };
    let available = found.points_available.unwrap_or(0);
    let mut body = json!({"customer_id": customer.id.0, "lines": lines, "points_to_pay": 0});
    let calculated = post(client, base, "api/v1/pos/calculate", &body).await;
    let Ok((200, calc)) = calculated else {
        return (failure("calculate", &calculated), None);
    };
    if dice.roll(3) == 0 {
        let payable = calc.points_payable_max.unwrap_or(0);
        body["points_to_pay"] = json!(available.min(payable));
    }
    body["receipt_id"] = json!(receipt_id);
    body["created_at"] = json!(jiff::Timestamp::now().to_string());
    let sent = Instant::now();
    let committed = post(client, base, "api/v1/pos/receipts", &body).await;
    let took = Some(sent.elapsed());
    let flow = match committed {
        Ok((201, _)) => Flow::Committed,
        Ok((409, _)) => Flow::Refused,
        _ => failure("commit", &committed),
    };
    (flow, took)
}

pub fn failure(step: &str, outcome: &anyhow::Result<(u16, Answer)>) -> Flow {
    Flow::Failed(match outcome {
        Ok((status, body)) => format!("{step} {status} {}", body.detail.as_deref().unwrap_or("")),
        Err(error) => format!("{step} {error}"),
    })
}

/// What a till reads of an answer to go on: the rest it would show the
/// cashier, and is read past without being kept, as a till's own program
/// would.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Answer {
    pub points_available: Option<i64>,
    pub points_payable_max: Option<i64>,
    pub detail: Option<String>,
}

pub async fn post(
    client: &reqwest::Client,
    base: &Url,
    path: &str,
    body: &Value,
) -> anyhow::Result<(u16, Answer)> {
    let response = client.post(base.join(path)?).json(body).send().await?;
    let status = response.status().as_u16();
    let body = response.json::<Answer>().await.unwrap_or_default();
    Ok((status, body))
}
