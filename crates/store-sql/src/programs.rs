//! Programs with their tiers, card groups and certificate templates.

use async_trait::async_trait;
use clientele_domain::certificate::{CertificateTemplate, NewCertificateTemplate};
use clientele_domain::{CardGroupId, CertificateTemplateId, Program, ProgramId, Tier, TierId};
use clientele_store::area::Programs;
use clientele_store::{CardGroup, DbError, DbResult, NewProgram, NewTier};
use jiff::Timestamp;

use crate::engine::Conn;
use crate::sql::{self, commit, unanswered};
use crate::{Engine, FromColumns, Got, Sql, Statement, Value};

const TIER: &str = "id, program_id, name, threshold_minor, earn_rate_bp, discount_bp";
const TEMPLATE: &str = "id, name, face_value_minor, valid_days, partial_use, created_at";
const CARD_GROUP: &str = "id, name, program_id, created_at";

const PROGRAM_FIELDS: &[(&str, &str)] = &[
    ("programs.name", "name"),
    ("programs.is_default", "is_default"),
];
const TIER_FIELDS: &[(&str, &str)] = &[("tiers.program_id", "threshold_minor")];
const TEMPLATE_FIELDS: &[(&str, &str)] = &[("certificate_templates.name", "name")];
const CARD_GROUP_FIELDS: &[(&str, &str)] = &[("card_groups.name", "name")];

fn tier<E: Engine>(row: &Got<'_, E>) -> DbResult<(ProgramId, Tier)> {
    Ok((
        ProgramId(row.int("program_id")?),
        Tier {
            id: TierId(row.int("id")?),
            name: row.text("name")?,
            threshold_minor: row.int("threshold_minor")?,
            earn_rate_bp: row.int_or_null("earn_rate_bp")?,
            discount_bp: row.int_or_null("discount_bp")?,
        },
    ))
}

impl FromColumns for CertificateTemplate {
    fn from_columns<E: Engine>(row: &Got<'_, E>) -> DbResult<CertificateTemplate> {
        Ok(CertificateTemplate {
            id: CertificateTemplateId(row.int("id")?),
            name: row.text("name")?,
            face_value_minor: row.int("face_value_minor")?,
            valid_days: row.int("valid_days")?,
            partial_use: row.flag("partial_use")?,
            created_at: row.time("created_at")?,
        })
    }
}

impl FromColumns for CardGroup {
    fn from_columns<E: Engine>(row: &Got<'_, E>) -> DbResult<CardGroup> {
        Ok(CardGroup {
            id: CardGroupId(row.int("id")?),
            name: row.text("name")?,
            program_id: ProgramId(row.int("program_id")?),
            created_at: row.time("created_at")?,
        })
    }
}

/// A tier or a card group points at its program.
fn no_program(error: DbError) -> DbError {
    match error {
        DbError::MissingReference { .. } => DbError::MissingReference {
            field: "program_id",
        },
        other => other,
    }
}

/// The program with this id, or all of them, with their tiers.
async fn load<E: Engine>(conn: &mut Conn<E>, id: Option<ProgramId>) -> DbResult<Vec<Program>> {
    let mut programs = Statement::new("SELECT id, name, rules, is_default FROM programs");
    let tiers_sql = format!("SELECT {TIER} FROM tiers");
    let mut tiers = Statement::new(&tiers_sql);
    if let Some(id) = id {
        programs.push(" WHERE id = ").push_bind(id.0);
        tiers.push(" WHERE program_id = ").push_bind(id.0);
    }
    programs.push(" ORDER BY id");
    tiers.push(" ORDER BY program_id, threshold_minor");
    let mut programs = sql::all::<E, _>(&mut *conn, programs, |row| {
        Ok(Program {
            id: ProgramId(row.int("id")?),
            name: row.text("name")?,
            rules: row.json("rules")?,
            is_default: row.flag("is_default")?,
            tiers: Vec::new(),
        })
    })
    .await?;
    for (program_id, tier) in sql::all::<E, _>(conn, tiers, tier).await? {
        if let Some(program) = programs.iter_mut().find(|p| p.id == program_id) {
            program.tiers.push(tier);
        }
    }
    Ok(programs)
}

/// A new default program takes the flag from the old one, in the same
/// transaction (the partial unique index refuses a second one meanwhile).
async fn clear_default<E: Engine>(conn: &mut Conn<E>, except: i64) -> DbResult<()> {
    let statement =
        Statement::new("UPDATE programs SET is_default = false WHERE is_default AND id <> $1")
            .bind(except);
    sql::execute::<E>(conn, statement).await?;
    Ok(())
}

#[async_trait]
impl<E: Engine> Programs for Sql<E> {
    async fn list_programs(&self) -> DbResult<Vec<Program>> {
        let mut conn = self.reader().await?;
        load::<E>(&mut conn, None).await
    }

    async fn program(&self, id: ProgramId) -> DbResult<Option<Program>> {
        let mut conn = self.reader().await?;
        Ok(load::<E>(&mut conn, Some(id)).await?.pop())
    }

    async fn create_program(&self, program: &NewProgram, at: Timestamp) -> DbResult<Program> {
        let mut tx = self.begin().await?;
        if program.is_default {
            clear_default::<E>(&mut tx, 0).await?;
        }
        let statement = Statement::new(
            "INSERT INTO programs (name, rules, is_default, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $4) RETURNING id",
        )
        .bind(&program.name)
        .bind(Value::json(&program.rules))
        .bind(program.is_default)
        .bind(at);
        let id = sql::written::<E, _>(&mut *tx, statement, PROGRAM_FIELDS, |row| row.int("id"))
            .await?
            .ok_or_else(unanswered)?;
        commit::<E>(tx).await?;
        Ok(Program {
            id: ProgramId(id),
            name: program.name.clone(),
            rules: program.rules.clone(),
            is_default: program.is_default,
            tiers: Vec::new(),
        })
    }

    async fn update_program(
        &self,
        id: ProgramId,
        program: &NewProgram,
        at: Timestamp,
    ) -> DbResult<Option<Program>> {
        let mut tx = self.begin().await?;
        if program.is_default {
            clear_default::<E>(&mut tx, id.0).await?;
        }
        let statement = Statement::new(
            "UPDATE programs SET name = $2, rules = $3, is_default = $4, updated_at = $5
             WHERE id = $1",
        )
        .bind(id.0)
        .bind(&program.name)
        .bind(Value::json(&program.rules))
        .bind(program.is_default)
        .bind(at);
        let updated = E::execute(&mut tx, statement)
            .await
            .map_err(|e| E::refused(e, PROGRAM_FIELDS))?;
        // No such program: the default stays where it was (the transaction
        // is dropped, so rolled back).
        if updated != 1 {
            return Ok(None);
        }
        let program = load::<E>(&mut tx, Some(id)).await?.pop();
        commit::<E>(tx).await?;
        Ok(program)
    }

    async fn create_tier(
        &self,
        program_id: ProgramId,
        new: &NewTier,
        at: Timestamp,
    ) -> DbResult<Tier> {
        let sql = format!(
            "INSERT INTO tiers (program_id, name, threshold_minor, earn_rate_bp, discount_bp, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             RETURNING {TIER}"
        );
        let statement = Statement::new(&sql)
            .bind(program_id.0)
            .bind(&new.name)
            .bind(new.threshold_minor)
            .bind(new.earn_rate_bp)
            .bind(new.discount_bp)
            .bind(at);
        let (_, tier) = self
            .written(statement, TIER_FIELDS, tier)
            .await
            .map_err(no_program)?
            .ok_or_else(unanswered)?;
        Ok(tier)
    }

    async fn update_tier(&self, id: TierId, new: &NewTier) -> DbResult<Option<Tier>> {
        let sql = format!(
            "UPDATE tiers SET name = $2, threshold_minor = $3, earn_rate_bp = $4, discount_bp = $5
             WHERE id = $1
             RETURNING {TIER}"
        );
        let statement = Statement::new(&sql)
            .bind(id.0)
            .bind(&new.name)
            .bind(new.threshold_minor)
            .bind(new.earn_rate_bp)
            .bind(new.discount_bp);
        let updated = self.written(statement, TIER_FIELDS, tier).await?;
        Ok(updated.map(|(_, tier)| tier))
    }

    async fn create_certificate_template(
        &self,
        new: &NewCertificateTemplate,
        at: Timestamp,
    ) -> DbResult<CertificateTemplate> {
        let sql = format!(
            "INSERT INTO certificate_templates (name, face_value_minor, valid_days, partial_use, created_at)
             VALUES ($1, $2, $3, $4, $5)
             RETURNING {TEMPLATE}"
        );
        let statement = Statement::new(&sql)
            .bind(&new.name)
            .bind(new.face_value_minor)
            .bind(new.valid_days)
            .bind(new.partial_use)
            .bind(at);
        self.written(
            statement,
            TEMPLATE_FIELDS,
            CertificateTemplate::from_columns,
        )
        .await?
        .ok_or_else(unanswered)
    }

    async fn certificate_templates(&self) -> DbResult<Vec<CertificateTemplate>> {
        let sql = format!("SELECT {TEMPLATE} FROM certificate_templates ORDER BY id");
        self.all(Statement::new(&sql), CertificateTemplate::from_columns)
            .await
    }

    async fn update_certificate_template(
        &self,
        id: CertificateTemplateId,
        new: &NewCertificateTemplate,
    ) -> DbResult<Option<CertificateTemplate>> {
        let sql = format!(
            "UPDATE certificate_templates
             SET name = $2, face_value_minor = $3, valid_days = $4, partial_use = $5
             WHERE id = $1
             RETURNING {TEMPLATE}"
        );
        let statement = Statement::new(&sql)
            .bind(id.0)
            .bind(&new.name)
            .bind(new.face_value_minor)
            .bind(new.valid_days)
            .bind(new.partial_use);
        self.written(
            statement,
            TEMPLATE_FIELDS,
            CertificateTemplate::from_columns,
        )
        .await
    }

    async fn card_groups(&self) -> DbResult<Vec<CardGroup>> {
        let sql = format!("SELECT {CARD_GROUP} FROM card_groups ORDER BY id");
        self.all(Statement::new(&sql), CardGroup::from_columns)
            .await
    }

    async fn create_card_group(
        &self,
        name: &str,
        program_id: ProgramId,
        at: Timestamp,
    ) -> DbResult<CardGroup> {
        let sql = format!(
            "INSERT INTO card_groups (name, program_id, created_at) VALUES ($1, $2, $3)
             RETURNING {CARD_GROUP}"
        );
        let statement = Statement::new(&sql).bind(name).bind(program_id.0).bind(at);
        self.written(statement, CARD_GROUP_FIELDS, CardGroup::from_columns)
            .await
            .map_err(no_program)?
            .ok_or_else(unanswered)
    }

    async fn update_card_group(
        &self,
        id: CardGroupId,
        name: &str,
        program_id: ProgramId,
    ) -> DbResult<Option<CardGroup>> {
        let sql = format!(
            "UPDATE card_groups SET name = $2, program_id = $3 WHERE id = $1
             RETURNING {CARD_GROUP}"
        );
        let statement = Statement::new(&sql)
            .bind(id.0)
            .bind(name)
            .bind(program_id.0);
        self.written(statement, CARD_GROUP_FIELDS, CardGroup::from_columns)
            .await
            .map_err(no_program)
    }
}
