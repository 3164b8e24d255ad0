//! Gift certificate templates, certificates and their movements.

use clientele_domain::certificate::{Certificate, CertificateTemplate};
use clientele_store::{DbError, DbResult, NewCertificate};
use jiff::{SignedDuration, Timestamp};
use sqlx::PgPool;

use crate::errors::constraint;
use crate::programs::check_customers;
use crate::rows::{column, time};

type CertificateRow = crate::rows::Stored<Certificate>;

macro_rules! columns {
    () => {
        "id, code, template_id, customer_id, face_value_minor, balance_minor, partial_use, issued_at, valid_to"
    };
}

/// Certificates and their `issue` movements, one statement.
pub async fn issue(
    pool: &PgPool,
    template: &CertificateTemplate,
    certificates: &[NewCertificate],
    at: Timestamp,
) -> DbResult<Vec<Certificate>> {
    let valid_to = at
        .checked_add(SignedDuration::from_hours(24 * template.valid_days))
        .map_err(|e| DbError::Backend(e.to_string().into()))?;
    check_customers(pool, certificates.iter().filter_map(|c| c.customer_id)).await?;
    let issued: Vec<CertificateRow> = sqlx::query_as(concat!(
        "WITH issued AS (
             INSERT INTO certificates (code, template_id, customer_id, face_value_minor, balance_minor,
                                       partial_use, issued_at, valid_to)
             SELECT c.code, $3, c.customer_id, $4, $4, $5, $6, $7
             FROM UNNEST($1::text[], $2::bigint[]) AS c (code, customer_id)
             RETURNING ",
        columns!(),
        "
         ), codes AS (
             INSERT INTO certificate_codes (code, certificate_id) SELECT code, id FROM issued
         ), movements AS (
             INSERT INTO certificate_movements (certificate_id, customer_id, kind, amount_minor, created_at)
             SELECT id, customer_id, 'issue', face_value_minor, $6 FROM issued
         )
         SELECT ",
        columns!(),
        " FROM issued"
    ))
    .bind(column(certificates, |c| c.code.as_str()))
    .bind(column(certificates, |c| c.customer_id.map(|id| id.0)))
    .bind(template.id.0)
    .bind(template.face_value_minor)
    .bind(template.partial_use)
    .bind(time(at))
    .bind(time(valid_to))
    .fetch_all(pool)
    .await
    .map_err(constraint)?;
    let mut issued: Vec<Certificate> = issued.into_iter().map(|row| row.0).collect();
    issued.sort_by_key(|c| c.id);
    Ok(issued)
}
