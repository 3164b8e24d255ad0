//! The base a bench works on: one given (made by `clientele demo
//! --customers N --receipts M`), or a scratch one filled with as many.

use std::sync::Arc;

use clap::Args;
use clientele_app::progress::Silent;
use clientele_app::{App, Clock};
use clientele_store::Database;
use serde_json::json;

use crate::scratch::Scratch;
use crate::{Engine, Steps, open_app_at};

#[derive(Debug, Args)]
pub struct BaseArgs {
    /// A base already holding demo data (`clientele demo --customers N
    /// --receipts M`), migrated if need be; a bench whose tills commit
    /// writes into it, so give that one a copy. Without it, a scratch base
    /// is filled with `--customers` and `--receipts` first.
    #[arg(long)]
    pub database_url: Option<String>,
    /// Demo customers in a scratch base.
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub customers: u64,
    /// Demo receipts of the last year (about ten lines each).
    #[arg(long, default_value_t = 1_000_000)]
    pub receipts: u64,
}

impl BaseArgs {
    /// The base as a run's title names it.
    pub fn describe(&self) -> String {
        match &self.database_url {
            Some(_) => "an existing base".to_owned(),
            None => format!("{} customers, {} receipts", self.customers, self.receipts),
        }
    }

    /// The run as its JSON line names it: the engine, the base, and `more`
    /// (an object) of the bench's own.
    pub fn params(&self, engine: Engine, more: serde_json::Value) -> serde_json::Value {
        let mut params = json!({
            "engine": engine.as_str(),
            "customers": self.customers,
            "receipts": self.receipts,
            "existing_base": self.database_url.is_some(),
        });
        if let (Some(params), serde_json::Value::Object(more)) = (params.as_object_mut(), more) {
            params.extend(more);
        }
        params
    }

    /// The base's URL and the app over it, migrated; a scratch base filled
    /// first.
    pub async fn open(
        &self,
        scratch: &Scratch,
        clock: &Clock,
        steps: &Steps,
    ) -> anyhow::Result<(String, App, Arc<dyn Database>)> {
        let url = match &self.database_url {
            Some(url) => url.clone(),
            None => scratch.database().await?,
        };
        let (app, db) = open_app_at(&url, clock).await?;
        if self.database_url.is_none() {
            steps.say(format!(
                "filling: {} demo customers and {} receipts",
                self.customers, self.receipts
            ));
            app.seed_demo(self.customers, &Silent).await?;
            app.seed_demo_receipts(self.receipts, &Silent).await?;
        }
        Ok((url, app, db))
    }
}
