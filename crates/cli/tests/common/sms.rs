//! A provider of the test's own playing SMS.ru: a real HTTP server on
//! loopback that takes the messages sent to it, a form each, and answers
//! as SMS.ru does (or with garbage, when told to).

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::routing::post;
use serde_json::json;

/// A form's fields, in order.
pub type Form = Vec<(String, String)>;

/// The forms the stand was sent, and whether it answers with garbage.
#[derive(Clone, Default)]
pub struct Stand {
    pub forms: Arc<Mutex<Vec<Form>>>,
    pub garbage: Arc<Mutex<bool>>,
}

impl Stand {
    /// The field `name` of every form sent, in order.
    pub fn sent(&self, name: &str) -> Vec<String> {
        (self.forms.lock().unwrap().iter())
            .map(|form| field(form, name))
            .collect()
    }
}

/// A field of a form the stand was sent.
pub fn field(form: &Form, name: &str) -> String {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

async fn send(State(stand): State<Stand>, body: String) -> String {
    let form: Form = form_pairs(&body);
    let to = field(&form, "to");
    let n = {
        let mut forms = stand.forms.lock().unwrap();
        forms.push(form);
        forms.len()
    };
    if *stand.garbage.lock().unwrap() {
        return "<html>502 Bad Gateway</html>".into();
    }
    json!({"status": "OK", "status_code": 100, "balance": 10,
           "sms": {to: {"status": "OK", "status_code": 100, "sms_id": format!("0000-{n}")}}})
    .to_string()
}

fn form_pairs(body: &str) -> Form {
    body.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

fn decode(raw: &str) -> String {
    let bytes = raw.replace('+', " ");
    let bytes = bytes.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The stand, serving: its base address, and what it was sent.
pub async fn stand() -> (String, Stand) {
    let stand = Stand::default();
    let app = axum::Router::new()
        .route("/sms/send", post(send))
        .with_state(stand.clone());
    (super::serve_stand(app).await, stand)
}
