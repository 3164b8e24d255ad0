//! Loyalty programs, tiers, card groups and cards: the marketer's settings
//! and the cards' life (print runs, binding, blocking, replacement).

use std::sync::Arc;

use clientele_domain::card::{Barcode, Card, Symbology};
use clientele_domain::program::validate_tiers;
use clientele_domain::{
    CardGroupId, CardId, CustomerId, FieldError, Program, ProgramId, ProgramRules, Tier, TierId,
    ValidationErrors,
};
use clientele_store::{
    CardGroup, CardPick, CardQuery, NewAuditEntry, NewCard, NewProgram, NewTier,
};
use jiff::Timestamp;
use serde_json::json;

use crate::audit::{ChangedBy, entry};
use crate::{App, AppError, AppResult};

/// The most cards one print run makes.
pub const MAX_PRINT_RUN: u32 = 100_000;

/// A card to issue: a barcode given, or the next EAN-13 of the group.
#[derive(Debug, Clone)]
pub struct CardInput {
    pub barcode: Option<String>,
    pub symbology: Option<String>,
    pub group_id: CardGroupId,
    pub customer_id: Option<CustomerId>,
    pub valid_from: Option<Timestamp>,
    pub valid_to: Option<Timestamp>,
}

/// The card the desk gives a customer (REGOS's card form).
#[derive(Debug, Clone)]
pub enum CardToGive {
    /// The group's next blank card.
    FreeOf(CardGroupId),
    /// A scanned card: a blank one of any group, or, if no card has this
    /// barcode, a new card of the group in this symbology.
    Scanned {
        barcode: String,
        symbology: Option<String>,
        group_id: CardGroupId,
    },
}

fn name_of(raw: &str, field: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    if name.is_empty() || raw.chars().count() > 200 {
        return Err(FieldError::new(
            field,
            "required",
            "a name of 1 to 200 characters is needed",
        ));
    }
    Ok(name.to_owned())
}

/// A program's name and rules checked together, so a form hears of every
/// mistake at once.
fn checked(name: Result<String, FieldError>, rules: &ProgramRules) -> AppResult<String> {
    let mut errors = rules.validate().err().unwrap_or_default();
    match name {
        Ok(name) if errors.is_empty() => Ok(name),
        Ok(_) => Err(errors.into()),
        Err(error) => {
            errors.0.insert(0, error);
            Err(errors.into())
        }
    }
}

impl App {
    /// The programs with their tiers, at most a few seconds old.
    pub async fn cached_programs(&self) -> AppResult<Arc<Vec<Program>>> {
        if let Some(programs) = self.programs.get() {
            return Ok(programs);
        }
        let programs = Arc::new(self.db().programs().list_programs().await?);
        self.programs.keep(programs.clone());
        Ok(programs)
    }

    /// The terms of points given now rather than earned, by the default
    /// program's expiry (none without a default program).
    pub(crate) async fn given_lot(
        &self,
        now: Timestamp,
    ) -> AppResult<clientele_domain::posting::LotTerms> {
        let programs = self.cached_programs().await?;
        let default = programs.iter().find(|p| p.is_default);
        Ok(clientele_domain::posting::LotTerms {
            usable_from: now,
            expires_at: default.and_then(|p| p.given_lot_times(now)),
        })
    }

    pub async fn programs(&self) -> AppResult<Vec<Program>> {
        Ok(self.db().programs().list_programs().await?)
    }

    pub async fn program(&self, id: ProgramId) -> AppResult<Program> {
        self.db()
            .programs()
            .program(id)
            .await?
            .ok_or(AppError::NotFound("program"))
    }

    async fn log(
        &self,
        by: &ChangedBy,
        action: &str,
        entity: &str,
        id: i64,
        after: serde_json::Value,
    ) -> AppResult<()> {
        self.record(NewAuditEntry {
            after: Some(after),
            ..entry(by, self.clock().now(), action, entity, id)
        })
        .await
    }

    pub async fn create_program(
        &self,
        name: &str,
        rules: ProgramRules,
        is_default: bool,
        by: &ChangedBy,
    ) -> AppResult<Program> {
        let name = checked(name_of(name, "name"), &rules)?;
        let program = NewProgram {
            name,
            rules,
            is_default,
        };
        let created = self
            .db()
            .programs()
            .create_program(&program, self.clock().now())
            .await?;
        self.programs.forget();
        self.log(
            by,
            "program.create",
            "program",
            created.id.0,
            json!(created),
        )
        .await?;
        Ok(created)
    }

    pub async fn update_program(
        &self,
        id: ProgramId,
        name: Option<&str>,
        rules: Option<ProgramRules>,
        is_default: Option<bool>,
        by: &ChangedBy,
    ) -> AppResult<Program> {
        let before = self.program(id).await?;
        let rules = rules.unwrap_or_else(|| before.rules.clone());
        let name = match name {
            Some(name) => checked(name_of(name, "name"), &rules)?,
            None => checked(Ok(before.name.clone()), &rules)?,
        };
        let program = NewProgram {
            name,
            rules,
            is_default: is_default.unwrap_or(before.is_default),
        };
        let after = self
            .db()
            .programs()
            .update_program(id, &program, self.clock().now())
            .await?
            .ok_or(AppError::NotFound("program"))?;
        self.programs.forget();
        self.record(NewAuditEntry {
            before: Some(json!(before)),
            after: Some(json!(after)),
            ..entry(by, self.clock().now(), "program.update", "program", id.0)
        })
        .await?;
        Ok(after)
    }

    pub async fn create_tier(
        &self,
        program_id: ProgramId,
        tier: NewTier,
        by: &ChangedBy,
    ) -> AppResult<Tier> {
        let name = name_of(&tier.name, "name").map_err(AppError::from_field)?;
        let program = self.program(program_id).await?;
        let candidate = Tier {
            id: TierId(0),
            name: name.clone(),
            threshold_minor: tier.threshold_minor,
            earn_rate_bp: tier.earn_rate_bp,
            discount_bp: tier.discount_bp,
        };
        let mut all = program.tiers.clone();
        all.push(candidate);
        validate_tiers(&all).map_err(|errors| {
            // Report the new tier's errors under its own field names.
            let prefix = format!("tiers[{}].", all.len() - 1);
            ValidationErrors(
                errors
                    .0
                    .into_iter()
                    .map(|e| {
                        let field = e.field.strip_prefix(&prefix).unwrap_or(&e.field).to_owned();
                        e.at(field)
                    })
                    .collect(),
            )
        })?;
        let created = self
            .db()
            .programs()
            .create_tier(program_id, &NewTier { name, ..tier }, self.clock().now())
            .await?;
        self.programs.forget();
        self.log(by, "tier.create", "tier", created.id.0, json!(created))
            .await?;
        Ok(created)
    }

    /// A tier's name, threshold and rate changed; the program's ladder must
    /// still climb. Customers move to their new tier at their next receipt
    /// or the next recount.
    pub async fn update_tier(&self, id: TierId, tier: NewTier, by: &ChangedBy) -> AppResult<Tier> {
        let name = name_of(&tier.name, "name").map_err(AppError::from_field)?;
        let program = self
            .programs()
            .await?
            .into_iter()
            .find(|p| p.tier(id).is_some())
            .ok_or(AppError::NotFound("tier"))?;
        let before = program
            .tier(id)
            .cloned()
            .ok_or(AppError::NotFound("tier"))?;
        let after = Tier {
            id,
            name: name.clone(),
            threshold_minor: tier.threshold_minor,
            earn_rate_bp: tier.earn_rate_bp,
            discount_bp: tier.discount_bp,
        };
        let position = program
            .tiers
            .iter()
            .position(|t| t.id == id)
            .ok_or(AppError::NotFound("tier"))?;
        let mut all = program.tiers.clone();
        all[position] = after;
        validate_tiers(&all).map_err(|errors| {
            // The ladder was sound before: whichever tier an error names, the
            // edit caused it; said under the edited tier's own field names.
            ValidationErrors(
                errors
                    .0
                    .into_iter()
                    .map(|e| {
                        let field = e
                            .field
                            .split_once("].")
                            .map_or(e.field.as_str(), |(_, field)| field)
                            .to_owned();
                        e.at(field)
                    })
                    .collect(),
            )
        })?;
        let updated = self
            .db()
            .programs()
            .update_tier(id, &NewTier { name, ..tier })
            .await?
            .ok_or(AppError::NotFound("tier"))?;
        self.programs.forget();
        self.record(NewAuditEntry {
            before: Some(json!(before)),
            after: Some(json!(updated)),
            ..entry(by, self.clock().now(), "tier.update", "tier", id.0)
        })
        .await?;
        Ok(updated)
    }

    pub async fn card_groups(&self) -> AppResult<Vec<CardGroup>> {
        Ok(self.db().programs().card_groups().await?)
    }

    pub async fn create_card_group(
        &self,
        name: &str,
        program_id: ProgramId,
        by: &ChangedBy,
    ) -> AppResult<CardGroup> {
        let name = name_of(name, "name").map_err(AppError::from_field)?;
        self.program(program_id).await.map_err(|_| {
            AppError::from_field(FieldError::new(
                "program_id",
                "unknown_reference",
                "no such program",
            ))
        })?;
        let group = self
            .db()
            .programs()
            .create_card_group(&name, program_id, self.clock().now())
            .await?;
        self.log(
            by,
            "card_group.create",
            "card_group",
            group.id.0,
            json!(group),
        )
        .await?;
        Ok(group)
    }

    /// A card group renamed or moved to another program: its cards earn by
    /// that program from their next receipt.
    pub async fn update_card_group(
        &self,
        id: CardGroupId,
        name: &str,
        program_id: ProgramId,
        by: &ChangedBy,
    ) -> AppResult<CardGroup> {
        let name = name_of(name, "name").map_err(AppError::from_field)?;
        self.program(program_id).await.map_err(|_| {
            AppError::from_field(FieldError::new(
                "program_id",
                "unknown_reference",
                "no such program",
            ))
        })?;
        let before = self
            .db()
            .programs()
            .card_groups()
            .await?
            .into_iter()
            .find(|g| g.id == id)
            .ok_or(AppError::NotFound("card group"))?;
        let after = self
            .db()
            .programs()
            .update_card_group(id, &name, program_id)
            .await?
            .ok_or(AppError::NotFound("card group"))?;
        self.record(NewAuditEntry {
            before: Some(json!(before)),
            after: Some(json!(after)),
            ..entry(
                by,
                self.clock().now(),
                "card_group.update",
                "card_group",
                id.0,
            )
        })
        .await?;
        Ok(after)
    }

    /// Issues one card, blank or bound to a customer.
    pub async fn issue_card(&self, input: CardInput, by: &ChangedBy) -> AppResult<Card> {
        if let Some(customer) = input.customer_id {
            self.live_customer_for(customer, "customer_id", by).await?;
        }
        let card = self.new_card(&input).await?;
        let mut created = self.db().create_cards(&[card], self.clock().now()).await?;
        let card = created.pop().ok_or(AppError::NotFound("card"))?;
        self.log_card(by, "card.issue", &card).await?;
        Ok(card)
    }

    /// A print run: `count` blank EAN-13 cards of a group, numbered after
    /// the group's last card.
    pub async fn print_run(
        &self,
        group_id: CardGroupId,
        count: u32,
        by: &ChangedBy,
    ) -> AppResult<Vec<Card>> {
        if count == 0 || count > MAX_PRINT_RUN {
            return Err(AppError::from_field(FieldError::new(
                "count",
                "out_of_range",
                format!("a print run makes 1 to {MAX_PRINT_RUN} cards"),
            )));
        }
        self.card_group(group_id).await?;
        let first = self.next_card_number().await?;
        let cards: Vec<NewCard> = (0..u64::from(count))
            .map(|n| NewCard {
                barcode: Barcode::ean13(first + n),
                symbology: Symbology::Ean13,
                group_id,
                customer_id: None,
                valid_from: None,
                valid_to: None,
            })
            .collect();
        let created = self.db().create_cards(&cards, self.clock().now()).await?;
        self.record(NewAuditEntry {
            after: Some(json!({"group_id": group_id, "count": count,
                "first": created.first().map(|c| c.barcode.as_str()),
                "last": created.last().map(|c| c.barcode.as_str())})),
            ..entry(
                by,
                self.clock().now(),
                "card.print_run",
                "card_group",
                group_id.0,
            )
        })
        .await?;
        Ok(created)
    }

    async fn card_group(&self, id: CardGroupId) -> AppResult<CardGroup> {
        self.db()
            .programs()
            .card_groups()
            .await?
            .into_iter()
            .find(|g| g.id == id)
            .ok_or_else(|| {
                AppError::from_field(FieldError::new(
                    "group_id",
                    "unknown_reference",
                    "no such card group",
                ))
            })
    }

    /// Clientele's own EAN-13 numbers start with the in-store prefix 2 and
    /// follow the highest card issued so far.
    pub(crate) async fn next_card_number(&self) -> AppResult<u64> {
        const FIRST: u64 = 200_000_000_001;
        let highest = self.db().card_reads().last_in_store_ean13().await?;
        let next = highest
            .and_then(|code| code.get(..12)?.parse::<u64>().ok())
            .map_or(FIRST, |n| n + 1);
        Ok(next.max(FIRST))
    }

    async fn new_card(&self, input: &CardInput) -> AppResult<NewCard> {
        let mut errors = ValidationErrors::default();
        let symbology = match input.symbology.as_deref() {
            Some(raw) => errors.take(Symbology::parse(raw)),
            None => Some(Symbology::Ean13),
        };
        let barcode = match (&input.barcode, symbology) {
            (Some(raw), Some(symbology)) => errors.take(Barcode::parse(raw, symbology)),
            (None, Some(Symbology::Ean13)) => Some(Barcode::ean13(self.next_card_number().await?)),
            (None, _) => {
                errors.push(FieldError::new(
                    "barcode",
                    "required",
                    "a Code 128 or QR card needs its barcode",
                ));
                None
            }
            _ => None,
        };
        if let (Some(from), Some(to)) = (input.valid_from, input.valid_to)
            && to <= from
        {
            errors.push(FieldError::new(
                "valid_to",
                "before_start",
                "the card must be valid to after valid from",
            ));
        }
        if self.card_group(input.group_id).await.is_err() {
            errors.push(FieldError::new(
                "group_id",
                "unknown_reference",
                "no such card group",
            ));
        }
        let (Some(barcode), Some(symbology)) = (barcode, symbology) else {
            return Err(errors.into());
        };
        errors
            .finish(|| NewCard {
                barcode,
                symbology,
                group_id: input.group_id,
                customer_id: input.customer_id,
                valid_from: input.valid_from,
                valid_to: input.valid_to,
            })
            .map_err(AppError::from)
    }

    async fn log_card(&self, by: &ChangedBy, action: &str, card: &Card) -> AppResult<()> {
        self.record(NewAuditEntry {
            customer_id: card.customer_id,
            after: Some(
                json!({"barcode": card.barcode.masked(), "active": card.active,
                "blocked": card.blocked, "withdrawn_reason": card.withdrawn_reason}),
            ),
            ..entry(by, self.clock().now(), action, "card", card.id.0)
        })
        .await
    }

    pub async fn card(&self, id: CardId, by: &ChangedBy) -> AppResult<Card> {
        let card = self
            .db()
            .card_reads()
            .card(id)
            .await?
            .ok_or(AppError::NotFound("card"))?;
        if let Some(customer) = card.customer_id {
            self.customer_for(customer, by).await?;
        }
        Ok(card)
    }

    pub async fn cards(&self, query: &CardQuery) -> AppResult<Vec<Card>> {
        Ok(self.db().card_reads().cards(query).await?)
    }

    pub async fn set_card_blocked(
        &self,
        id: CardId,
        blocked: bool,
        by: &ChangedBy,
    ) -> AppResult<Card> {
        self.card(id, by).await?;
        let card = self
            .db()
            .set_card_blocked(id, blocked)
            .await?
            .ok_or(AppError::NotFound("card"))?;
        self.log_card(
            by,
            if blocked {
                "card.block"
            } else {
                "card.unblock"
            },
            &card,
        )
        .await?;
        Ok(card)
    }

    /// Binds a blank card to a customer (activation at the till or the desk).
    pub async fn bind_card(
        &self,
        id: CardId,
        customer: CustomerId,
        by: &ChangedBy,
    ) -> AppResult<Card> {
        let card = self
            .db()
            .bind_card(id, customer)
            .await?
            .ok_or_else(|| AppError::Conflict {
                message: "the card is not blank: it already belongs to a customer or was withdrawn"
                    .into(),
                field: Some("card"),
                existing_customer: None,
            })?;
        self.log_card(by, "card.bind", &card).await?;
        Ok(card)
    }

    /// Gives a customer a card at the desk, active, valid from and to the
    /// days given: the group's next blank card, a scanned blank card, or a
    /// new card with the scanned barcode. A card someone else holds, or a
    /// withdrawn or blocked one, is refused beside the barcode.
    pub async fn give_card(
        &self,
        customer: CustomerId,
        card: CardToGive,
        (valid_from, valid_to): (Option<Timestamp>, Option<Timestamp>),
        by: &ChangedBy,
    ) -> AppResult<Card> {
        self.live_customer_for(customer, "customer_id", by).await?;
        if let (Some(from), Some(to)) = (valid_from, valid_to)
            && to <= from
        {
            return Err(AppError::from_field(FieldError::new(
                "valid_to",
                "before_start",
                "the card must be valid to after valid from",
            )));
        }
        let (pick, taken) = match card {
            CardToGive::FreeOf(group) => {
                self.card_group(group).await?;
                (
                    CardPick::FreeOf(group),
                    FieldError::new(
                        "group_id",
                        "no_free_card",
                        "the group has no blank card left",
                    ),
                )
            }
            CardToGive::Scanned {
                barcode,
                symbology,
                group_id,
            } => {
                let barcode = barcode.trim().to_owned();
                let Some(found) = self.scanned_card(&barcode, customer).await? else {
                    let input = CardInput {
                        barcode: Some(barcode),
                        symbology,
                        group_id,
                        customer_id: Some(customer),
                        valid_from,
                        valid_to,
                    };
                    return self.issue_card(input, by).await;
                };
                (
                    CardPick::Card(found),
                    // Another desk gave it a moment ago.
                    FieldError::new(
                        "barcode",
                        "card_bound",
                        "the card belongs to another customer",
                    ),
                )
            }
        };
        let given = self
            .db()
            .give_card(pick, customer, valid_from, valid_to)
            .await?
            .ok_or_else(|| AppError::from_field(taken))?;
        self.log_card(by, "card.bind", &given).await?;
        Ok(given)
    }

    /// The blank card a desk scanned for `customer`, or none when no card has
    /// the barcode (a new one is issued); a card held, withdrawn or blocked is
    /// refused beside the barcode.
    async fn scanned_card(&self, barcode: &str, customer: CustomerId) -> AppResult<Option<CardId>> {
        let refused = |error: FieldError| Err(AppError::from_field(error));
        if barcode.is_empty() {
            return refused(FieldError::new(
                "barcode",
                "required",
                "scan or type the card's barcode",
            ));
        }
        let Some(found) = self.db().card_reads().card_by_barcode(barcode).await? else {
            return Ok(None);
        };
        match found.customer_id {
            Some(holder) if holder == customer => refused(FieldError::new(
                "barcode",
                "card_theirs",
                "the customer already has this card",
            )),
            Some(_) => refused(FieldError::new(
                "barcode",
                "card_bound",
                "the card belongs to another customer",
            )),
            None if found.withdrawn_at.is_some() => refused(FieldError::new(
                "barcode",
                "card_withdrawn",
                "the card was withdrawn",
            )),
            None if found.blocked => refused(FieldError::new(
                "barcode",
                "card_blocked",
                "the card is blocked",
            )),
            None => Ok(Some(found.id)),
        }
    }

    /// Withdraws a card with a reason and gives its owner a new one; the
    /// points stay with the customer, who owns them, not the card.
    pub async fn replace_card(
        &self,
        id: CardId,
        reason: &str,
        barcode: Option<String>,
        symbology: Option<String>,
        by: &ChangedBy,
    ) -> AppResult<Card> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::from_field(FieldError::new(
                "reason",
                "required",
                "say why the card is replaced",
            )));
        }
        let old = self.card(id, by).await?;
        if old.withdrawn_at.is_some() {
            return Err(AppError::Conflict {
                message: "the card was already withdrawn".into(),
                field: Some("card"),
                existing_customer: None,
            });
        }
        let Some(customer_id) = old.customer_id else {
            return Err(AppError::Conflict {
                message: "a blank card has nobody to give a new one to".into(),
                field: Some("card"),
                existing_customer: None,
            });
        };
        let new = self
            .new_card(&CardInput {
                barcode,
                symbology,
                group_id: old.group_id,
                customer_id: Some(customer_id),
                valid_from: None,
                valid_to: old.valid_to,
            })
            .await?;
        let card = self
            .db()
            .replace_card(id, &new, reason, self.clock().now())
            .await?;
        self.record(NewAuditEntry {
            customer_id: Some(customer_id),
            before: Some(json!({"card": old.barcode.masked()})),
            after: Some(json!({"card": card.barcode.masked(), "reason": reason})),
            ..entry(by, self.clock().now(), "card.replace", "card", id.0)
        })
        .await?;
        Ok(card)
    }
}

/// The most customers one tier assignment reaches.
pub const MAX_TIER_CUSTOMERS: usize = 10_000;

impl App {
    /// Sets (or with `None` clears) the tier of customers by hand, until a
    /// date or for good; a purchase reaching a higher tier still raises it.
    pub async fn set_tier(
        &self,
        customer_ids: &[CustomerId],
        tier_id: Option<TierId>,
        until: Option<Timestamp>,
        by: &ChangedBy,
    ) -> AppResult<usize> {
        let mut ids = customer_ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut errors = ValidationErrors::default();
        if ids.is_empty() || ids.len() > MAX_TIER_CUSTOMERS {
            errors.push(FieldError::new(
                "customer_ids",
                "out_of_range",
                format!("name 1 to {MAX_TIER_CUSTOMERS} customers"),
            ));
        }
        let now = self.clock().now();
        if until.is_some_and(|until| until <= now) {
            errors.push(FieldError::new(
                "until",
                "in_past",
                "a tier set by hand holds until a later time",
            ));
        }
        if let Some(tier) = tier_id {
            let programs = self.cached_programs().await?;
            if !programs.iter().any(|p| p.tier(tier).is_some()) {
                errors.push(FieldError::new(
                    "tier_id",
                    "unknown_reference",
                    "no such tier",
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        for &customer in &ids {
            self.live_customer_for(customer, "customer_ids", by).await?;
        }
        self.db().set_tier(&ids, tier_id, until).await?;
        for &customer in &ids {
            let change = (
                None,
                json!({"tier_id": tier_id, "until": until.map(|u| u.to_string())}),
            );
            self.record(crate::audit::customer_entry(
                by, now, "tier.set", customer, change,
            ))
            .await?;
        }
        Ok(ids.len())
    }
}

/// A print run of blank cards, as the audit log keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintRun {
    pub at: Timestamp,
    /// Who issued it: a staff user, or the job or command.
    pub by: clientele_store::Actor,
    pub group_id: CardGroupId,
    pub count: u64,
    pub first: Option<String>,
    pub last: Option<String>,
}

impl App {
    /// The newest print runs of cards, from the audit log each run writes.
    pub async fn print_runs(&self, limit: u32) -> AppResult<Vec<PrintRun>> {
        let entries = self
            .audit_entries(&clientele_store::AuditQuery {
                action: Some("card.print_run".into()),
                limit,
                ..Default::default()
            })
            .await?;
        Ok(entries
            .into_iter()
            .filter_map(|e| {
                let after = e.entry.after.as_ref()?;
                let text = |key: &str| after.get(key)?.as_str().map(str::to_owned);
                Some(PrintRun {
                    at: e.entry.at,
                    by: e.entry.actor.clone(),
                    group_id: CardGroupId(after.get("group_id")?.as_i64()?),
                    count: after.get("count")?.as_u64()?,
                    first: text("first"),
                    last: text("last"),
                })
            })
            .collect())
    }
}
