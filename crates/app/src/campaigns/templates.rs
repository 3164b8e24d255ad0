//! Message templates: kept, edited, previewed for a real customer.

use clientele_domain::template::{Personal, Rendered, TemplateInput, TemplateTerms};
use clientele_domain::{CustomerId, TemplateId};
use clientele_store::{KeptTemplate, NewAuditEntry, TemplateRecord};
use serde_json::json;

use crate::audit::{ChangedBy, entry};
use crate::{App, AppError, AppResult};

/// What a template says to one customer (or to a made-up one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// The customer it was filled for; None: the made-up example.
    pub customer_id: Option<CustomerId>,
    pub rendered: Rendered,
}

fn record(terms: &TemplateTerms) -> TemplateRecord {
    TemplateRecord {
        name: terms.name.clone(),
        locale: terms.locale,
        subject: terms.subject.as_ref().map(|s| s.raw().to_owned()),
        body: terms.body.raw().to_owned(),
        html: terms.html.as_ref().map(|h| h.raw().to_owned()),
    }
}

/// A kept template's words, checked again (they were when kept).
pub(crate) fn terms_of(record: &TemplateRecord) -> AppResult<TemplateTerms> {
    TemplateInput {
        name: record.name.clone(),
        locale: record.locale.as_str().to_owned(),
        subject: record.subject.clone(),
        body: record.body.clone(),
        html: record.html.clone(),
    }
    .validate()
    .map_err(AppError::Validation)
}

impl App {
    pub async fn templates(&self) -> AppResult<Vec<KeptTemplate>> {
        Ok(self.db().campaigns().templates().await?)
    }

    pub async fn template(&self, id: TemplateId) -> AppResult<KeptTemplate> {
        self.db()
            .campaigns()
            .template(id)
            .await?
            .ok_or(AppError::NotFound("template"))
    }

    #[tracing::instrument(skip(self, input, by))]
    pub async fn create_template(
        &self,
        input: TemplateInput,
        by: &ChangedBy,
    ) -> AppResult<KeptTemplate> {
        let terms = input.validate()?;
        let now = self.clock().now();
        let kept = self
            .db()
            .campaigns()
            .create_template(&record(&terms), now)
            .await?;
        self.record(NewAuditEntry {
            after: Some(json!({"name": kept.record.name})),
            ..entry(by, now, "template.create", "template", kept.id.0)
        })
        .await?;
        Ok(kept)
    }

    /// Replaces a template's words if it is still at `version`; campaigns
    /// made from it keep the words they were made with.
    #[tracing::instrument(skip(self, input, by))]
    pub async fn edit_template(
        &self,
        id: TemplateId,
        input: TemplateInput,
        version: i64,
        by: &ChangedBy,
    ) -> AppResult<KeptTemplate> {
        let before = self.template(id).await?;
        let terms = input.validate()?;
        let now = self.clock().now();
        let kept = self
            .db()
            .campaigns()
            .update_template(id, &record(&terms), version, now)
            .await?
            .ok_or_else(|| AppError::Conflict {
                message: "the template was changed by someone else meanwhile; reload it".into(),
                field: None,
                existing_customer: None,
            })?;
        self.record(NewAuditEntry {
            before: Some(json!({"name": before.record.name, "body": before.record.body})),
            after: Some(json!({"name": kept.record.name, "body": kept.record.body})),
            ..entry(by, now, "template.update", "template", id.0)
        })
        .await?;
        Ok(kept)
    }

    /// What `input` says to a customer as they are now (one `by` may see),
    /// or to a made-up one; nothing is kept or sent.
    pub async fn preview_template(
        &self,
        input: TemplateInput,
        customer: Option<CustomerId>,
        by: &ChangedBy,
    ) -> AppResult<Preview> {
        let terms = input.validate()?;
        let who = match customer {
            Some(id) => {
                let customer = self.customer(id).await?;
                self.ensure_within(&customer, by).await?;
                self.personalised(&[id], None)
                    .await?
                    .remove(&id)
                    .ok_or(AppError::NotFound("customer"))?
            }
            None => Personal::example(terms.locale),
        };
        Ok(Preview {
            customer_id: customer,
            rendered: terms.render(&who),
        })
    }
}
