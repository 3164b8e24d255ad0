//! Gift certificates: templates, issuing to customers or to the bearer,
//! and what one certificate holds and went through.

use clientele_domain::certificate::{
    Certificate, CertificateTemplate, NewCertificateTemplate, certificate_code, normalize_code,
};
use clientele_domain::{CertificateTemplateId, CustomerId, FieldError, ValidationErrors};
use clientele_store::{CertificateMovement, NewAuditEntry, NewCertificate};
use serde_json::json;

use crate::audit::{ChangedBy, customer_entry, entry};
use crate::{App, AppError, AppResult};

/// The most certificates one request issues.
pub const MAX_ISSUE: usize = 10_000;

/// Who gets the certificates of one issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holders {
    /// One each.
    Customers(Vec<CustomerId>),
    /// This many, to whoever brings them.
    Bearer(u32),
}

fn new_code() -> String {
    let mut random = [0u8; 12];
    getrandom::fill(&mut random).expect("the operating system gives random bytes");
    certificate_code(random)
}

impl App {
    pub async fn create_certificate_template(
        &self,
        template: NewCertificateTemplate,
        by: &ChangedBy,
    ) -> AppResult<CertificateTemplate> {
        let template = template.validate()?;
        let created = self
            .db()
            .programs()
            .create_certificate_template(&template, self.clock().now())
            .await?;
        self.record(NewAuditEntry {
            after: Some(json!(created)),
            ..entry(
                by,
                self.clock().now(),
                "certificate_template.create",
                "certificate_template",
                created.id,
            )
        })
        .await?;
        Ok(created)
    }

    /// A template's terms changed for the certificates issued from now on;
    /// those already issued keep the terms they were issued with.
    pub async fn update_certificate_template(
        &self,
        id: CertificateTemplateId,
        template: NewCertificateTemplate,
        by: &ChangedBy,
    ) -> AppResult<CertificateTemplate> {
        let template = template.validate()?;
        let before = self
            .db()
            .programs()
            .certificate_templates()
            .await?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or(AppError::NotFound("certificate template"))?;
        let after = self
            .db()
            .programs()
            .update_certificate_template(id, &template)
            .await?
            .ok_or(AppError::NotFound("certificate template"))?;
        self.record(NewAuditEntry {
            before: Some(json!(before)),
            after: Some(json!(after)),
            ..entry(
                by,
                self.clock().now(),
                "certificate_template.update",
                "certificate_template",
                id,
            )
        })
        .await?;
        Ok(after)
    }

    pub async fn certificate_templates(&self) -> AppResult<Vec<CertificateTemplate>> {
        Ok(self.db().programs().certificate_templates().await?)
    }

    pub async fn issue_certificates(
        &self,
        template_id: CertificateTemplateId,
        holders: Holders,
        by: &ChangedBy,
    ) -> AppResult<Vec<Certificate>> {
        let template = self
            .db()
            .programs()
            .certificate_templates()
            .await?
            .into_iter()
            .find(|t| t.id == template_id)
            .ok_or_else(|| {
                AppError::from_field(FieldError::new(
                    "template_id",
                    "unknown_reference",
                    "no such template",
                ))
            })?;
        let owners: Vec<Option<CustomerId>> = match &holders {
            Holders::Customers(ids) => {
                let mut ids = ids.clone();
                ids.sort_unstable();
                ids.dedup();
                ids.into_iter().map(Some).collect()
            }
            Holders::Bearer(count) => vec![None; *count as usize],
        };
        if owners.is_empty() || owners.len() > MAX_ISSUE {
            return Err(ValidationErrors::one(
                "customer_ids",
                "out_of_range",
                format!("issue 1 to {MAX_ISSUE} certificates: name the customers or give a count"),
            )
            .into());
        }
        for customer in owners.iter().flatten() {
            self.customer_for(*customer, by).await?;
        }
        let certificates: Vec<NewCertificate> = owners
            .into_iter()
            .map(|customer_id| NewCertificate {
                code: new_code(),
                customer_id,
            })
            .collect();
        let now = self.clock().now();
        let issued = self
            .db()
            .issue_certificates(&template, &certificates, now)
            .await?;
        for certificate in &issued {
            let after = json!({"template_id": template.id, "face_value_minor": certificate.face_value_minor});
            let logged = match certificate.customer_id {
                Some(customer) => {
                    customer_entry(by, now, "certificate.issue", customer, (None, after))
                }
                None => NewAuditEntry {
                    after: Some(after),
                    ..entry(by, now, "certificate.issue", "certificate", certificate.id)
                },
            };
            self.record(logged).await?;
        }
        Ok(issued)
    }

    /// A certificate by its code (however typed), with its movements.
    pub async fn certificate(
        &self,
        code: &str,
        by: &ChangedBy,
    ) -> AppResult<(Certificate, Vec<CertificateMovement>)> {
        let certificate = self
            .db()
            .card_reads()
            .certificate_by_code(&normalize_code(code))
            .await?
            .ok_or(AppError::NotFound("certificate"))?;
        if let Some(customer) = certificate.customer_id {
            self.customer_for(customer, by).await?;
        }
        let movements = self
            .db()
            .card_reads()
            .certificate_movements(certificate.id)
            .await?;
        Ok((certificate, movements))
    }

    pub async fn certificates_of(
        &self,
        customer: CustomerId,
        by: &ChangedBy,
    ) -> AppResult<Vec<Certificate>> {
        self.customer_for(customer, by).await?;
        Ok(self
            .db()
            .card_reads()
            .certificates_of(customer, 100)
            .await?)
    }
}
