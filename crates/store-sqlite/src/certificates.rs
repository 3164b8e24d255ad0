//! Gift certificate templates, certificates and their movements.

use clientele_domain::certificate::{Certificate, CertificateTemplate};
use clientele_store::{DbError, DbResult, NewCertificate};
use jiff::{SignedDuration, Timestamp};
use sqlx::SqlitePool;

use crate::errors::{backend, constraint};
use crate::rows::{json, micros};

type CertificateRow = crate::rows::Stored<Certificate>;

macro_rules! columns {
    () => {
        "id, code, template_id, customer_id, face_value_minor, balance_minor, partial_use, issued_at, valid_to"
    };
}

pub async fn issue(
    pool: &SqlitePool,
    template: &CertificateTemplate,
    certificates: &[NewCertificate],
    at: Timestamp,
) -> DbResult<Vec<Certificate>> {
    let valid_to = at
        .checked_add(SignedDuration::from_hours(24 * template.valid_days))
        .map_err(|e| DbError::Backend(e.to_string().into()))?;
    let rows: Vec<_> = certificates
        .iter()
        .map(|c| (&c.code, c.customer_id.map(|id| id.0)))
        .collect();
    let mut tx = pool.begin().await.map_err(backend)?;
    let issued: Vec<CertificateRow> = sqlx::query_as(concat!(
        "INSERT INTO certificates (code, template_id, customer_id, face_value_minor, balance_minor,
                                   partial_use, issued_at, valid_to)
         SELECT value->>0, ?2, value->>1, ?3, ?3, ?4, ?5, ?6 FROM json_each(?1)
         RETURNING ",
        columns!()
    ))
    .bind(json(&rows))
    .bind(template.id.0)
    .bind(template.face_value_minor)
    .bind(template.partial_use)
    .bind(micros(at))
    .bind(micros(valid_to))
    .fetch_all(&mut *tx)
    .await
    .map_err(|e| constraint(e, &[("certificates.code", "code")]))?;
    sqlx::query(
        "INSERT INTO certificate_movements (certificate_id, customer_id, kind, amount_minor, created_at)
         SELECT id, customer_id, 'issue', face_value_minor, ?2 FROM certificates
         WHERE id IN (SELECT value FROM json_each(?1))",
    )
    .bind(json(&issued.iter().map(|c| c.0.id).collect::<Vec<_>>()))
    .bind(micros(at))
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    tx.commit().await.map_err(backend)?;
    let mut issued: Vec<Certificate> = issued.into_iter().map(|row| row.0).collect();
    issued.sort_by_key(|c| c.id);
    Ok(issued)
}
