//! Registering, reading, editing, archiving, merging and listing customers.

use std::collections::HashMap;

use clientele_domain::customer::CustomerRules;
use clientele_domain::merge::merge_profiles;
use clientele_domain::points::CustomerFigures;
use clientele_domain::{
    Customer, CustomerChanges, CustomerFilter, CustomerGroupId, CustomerId, CustomerInput,
    CustomerProfile, CustomerStatus, FieldError, NamedCustomer, NamedTier, PropertyDefinition,
    SearchQuery, SearchTerm, SortField, SortOrder, StoreId, TierId, UserId, ValidationErrors,
};
use clientele_store::{Cursor, CustomerQuery, DbError, NewCustomerRecord, Page};

use crate::audit::{ChangedBy, customer_entry, profile_change};
use crate::{App, AppError, AppResult, Clock};

/// The page size when none is asked for, and the most one page may hold.
pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 500;

/// List parameters as they arrive: paging and sorting apart from the filter.
#[derive(Debug, Clone, Default)]
pub struct ListParams {
    pub limit: Option<String>,
    pub cursor: Option<String>,
    pub sort: Option<String>,
    /// Every other `key=value`, read by [`CustomerFilter::parse`].
    pub filter: Vec<(String, String)>,
    /// The stores the caller is limited to (`None`: all customers).
    pub scope: Option<Vec<StoreId>>,
    /// The staff user asking: whose favourites `favourite=` means.
    pub user: Option<UserId>,
}

/// What the customer rules read from the store, loaded once per use case.
pub(crate) struct RuleContext {
    pub properties: std::sync::Arc<Vec<PropertyDefinition>>,
    pub default_group: CustomerGroupId,
}

impl RuleContext {
    /// The rules as of the clock's current time.
    pub fn rules<'a>(&'a self, clock: &Clock, source: &'a str) -> CustomerRules<'a> {
        CustomerRules {
            properties: &self.properties,
            default_group: self.default_group,
            today: clock.today(),
            now: clock.now(),
            source,
        }
    }
}

impl App {
    pub(crate) async fn rule_context(&self) -> AppResult<RuleContext> {
        Ok(RuleContext {
            properties: self.cached_definitions().await?,
            default_group: self.db().directory().default_customer_group().await?.id,
        })
    }

    pub async fn register_customer(
        &self,
        input: CustomerInput,
        source: &str,
        by: &ChangedBy,
    ) -> AppResult<Customer> {
        let context = self.rule_context().await?;
        let rules = context.rules(self.clock(), source);
        let profile = input.into_new(&rules)?;
        self.check_references(&profile, None).await?;
        let record = NewCustomerRecord {
            profile,
            created_at: rules.now,
        };
        let customer = self.db().create_customer(&record).await?;
        let change = profile_change(None, &customer.profile);
        self.record(customer_entry(
            by,
            rules.now,
            "customer.create",
            customer.id,
            change,
        ))
        .await?;
        Ok(customer)
    }

    /// A customer as `by` may see them: refused (and logged) when they were
    /// registered in a store outside the caller's reach.
    pub async fn customer_for(&self, id: CustomerId, by: &ChangedBy) -> AppResult<Customer> {
        let customer = self.customer(id).await?;
        self.ensure_within(&customer, by).await?;
        Ok(customer)
    }

    /// A customer as `by` may change them: within reach, and not merged
    /// into another (their record stays as it was; the survivor is the one
    /// to change). `field` names the customer in a refusal.
    pub async fn live_customer_for(
        &self,
        id: CustomerId,
        field: &'static str,
        by: &ChangedBy,
    ) -> AppResult<Customer> {
        let customer = self.customer_for(id, by).await?;
        match &customer.merged_into {
            Some(survivor) => Err(AppError::Conflict {
                message: format!(
                    "customer {id} was merged into customer {} «{}»; change that one instead",
                    survivor.id, survivor.name
                ),
                field: Some(field),
                existing_customer: Some(survivor.id),
            }),
            None => Ok(customer),
        }
    }

    pub(crate) async fn ensure_within(&self, customer: &Customer, by: &ChangedBy) -> AppResult<()> {
        let Some(scope) = &by.scope else {
            return Ok(());
        };
        if customer
            .profile
            .store_id
            .is_some_and(|store| scope.contains(&store))
        {
            return Ok(());
        }
        let entry = customer_entry(
            by,
            self.clock().now(),
            "access.out_of_scope",
            customer.id,
            (None, serde_json::json!({})),
        );
        self.record(entry).await?;
        Err(AppError::Forbidden(
            "this customer was registered outside the stores you work with".into(),
        ))
    }

    pub async fn customer(&self, id: CustomerId) -> AppResult<Customer> {
        self.db()
            .customer(id)
            .await?
            .ok_or(AppError::NotFound("customer"))
    }

    /// Applies changes to the current record. The changes say what to set,
    /// not what was seen, so a write that lost a race is simply redone on the
    /// fresh record.
    pub async fn update_customer(
        &self,
        id: CustomerId,
        changes: CustomerChanges,
        source: &str,
        by: &ChangedBy,
    ) -> AppResult<Customer> {
        self.change_customer(id, changes, source, by, "customer.update")
            .await
    }

    pub(crate) async fn change_customer(
        &self,
        id: CustomerId,
        changes: CustomerChanges,
        source: &str,
        by: &ChangedBy,
        action: &str,
    ) -> AppResult<Customer> {
        let context = self.rule_context().await?;
        let mut attempts = 0;
        loop {
            let mut customer = self.live_customer_for(id, "id", by).await?;
            let before = customer.profile.clone();
            let rules = context.rules(self.clock(), source);
            customer.profile = changes.clone().apply_to(customer.profile, &rules)?;
            self.check_references(&customer.profile, Some(id)).await?;
            match self.db().update_customer(&customer, rules.now).await {
                Err(DbError::StaleVersion) if attempts < 3 => attempts += 1,
                result => {
                    let saved = result?;
                    if saved.profile != before {
                        let change = profile_change(Some(&before), &saved.profile);
                        self.record(customer_entry(by, rules.now, action, id, change))
                            .await?;
                    }
                    return Ok(saved);
                }
            }
        }
    }

    pub async fn archive_customer(
        &self,
        id: CustomerId,
        source: &str,
        by: &ChangedBy,
    ) -> AppResult<Customer> {
        let changes = CustomerChanges {
            status: Some(CustomerStatus::Archived.as_str().into()),
            ..Default::default()
        };
        self.change_customer(id, changes, source, by, "customer.archive")
            .await
    }

    /// Merges `duplicate_id` into `survivor_id`; answers the survivor.
    pub async fn merge_customers(
        &self,
        survivor_id: CustomerId,
        duplicate_id: CustomerId,
        by: &ChangedBy,
    ) -> AppResult<Customer> {
        if survivor_id == duplicate_id {
            return Err(ValidationErrors::one(
                "duplicate_id",
                "same_customer",
                "a customer cannot be merged with itself",
            )
            .into());
        }
        let survivor = self.customer(survivor_id).await?;
        self.ensure_within(&survivor, by).await?;
        let duplicate = match self.db().customer(duplicate_id).await? {
            Some(customer) => customer,
            None => {
                return Err(ValidationErrors::one(
                    "duplicate_id",
                    "unknown_customer",
                    format!("there is no customer {duplicate_id}"),
                )
                .into());
            }
        };
        self.ensure_within(&duplicate, by).await?;
        for (customer, field) in [(&survivor, "id"), (&duplicate, "duplicate_id")] {
            if let Some(into) = &customer.merged_into {
                return Err(ValidationErrors::one(
                    field,
                    "already_merged",
                    format!(
                        "customer {} was already merged into {}",
                        customer.id, into.id
                    ),
                )
                .into());
            }
        }
        let (kept, gone) = merge_profiles(&survivor.profile, &duplicate.profile);
        let survivor_change = profile_change(Some(&survivor.profile), &kept);
        let mut duplicate_change = profile_change(Some(&duplicate.profile), &gone);
        duplicate_change.1["merged_into"] = serde_json::json!(survivor_id);
        let survivor_next = Customer {
            profile: kept,
            ..survivor
        };
        let duplicate_next = Customer {
            profile: gone,
            merged_into: Some(NamedCustomer {
                id: survivor_id,
                name: survivor_next.profile.name.clone(),
            }),
            ..duplicate
        };
        let at = self.clock().now();
        let merged = self
            .db()
            .merge_customers(&survivor_next, &duplicate_next, at)
            .await?;
        let first_purchase = async |id| {
            let loyalty = self.db().customer_loyalty(id, at).await?;
            AppResult::Ok(loyalty.first_purchase_at)
        };
        let firsts = (
            first_purchase(survivor_id).await?,
            first_purchase(duplicate_id).await?,
        );
        // Points, purchase figures and cards follow the customer.
        self.db()
            .merge_points(duplicate_id, survivor_id, at)
            .await?;
        // The survivor's first purchase moves to the duplicate's when that
        // was earlier: the whole chain's new customers change from its
        // month on.
        if let (kept, Some(moved)) = firsts
            && kept.is_none_or(|kept| moved < kept)
        {
            let month = moved.to_zoned(self.clock().zone().clone()).date();
            self.db().rollups().months_changed(month).await?;
        }
        self.record(customer_entry(
            by,
            at,
            "customer.merge",
            survivor_id,
            survivor_change,
        ))
        .await?;
        self.record(customer_entry(
            by,
            at,
            "customer.merged_into",
            duplicate_id,
            duplicate_change,
        ))
        .await?;
        Ok(merged)
    }

    /// Parses list parameters into a store query.
    pub async fn customer_query(&self, params: &ListParams) -> AppResult<CustomerQuery> {
        let properties = self.cached_definitions().await?;
        let mut errors = ValidationErrors::default();
        let filter = match CustomerFilter::parse(
            params.filter.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            &properties,
            self.clock().today(),
        ) {
            Ok(filter) => Some(filter),
            Err(mut e) => {
                errors.0.append(&mut e.0);
                None
            }
        };
        let order = match params.sort.as_deref() {
            // With no order asked for: the best matches of a name searched
            // first, otherwise the newest registrations, as the console's
            // list says it shows them.
            None | Some("") => Some(match filter.as_ref().and_then(|f| f.search.as_ref()) {
                Some(SearchQuery {
                    term: SearchTerm::Name(_),
                    ..
                }) => SortOrder {
                    field: SortField::Match,
                    descending: false,
                },
                _ => SortOrder {
                    field: SortField::CreatedAt,
                    descending: true,
                },
            }),
            Some(raw) => errors.take(SortOrder::parse(raw)),
        };
        let limit = match params.limit.as_deref() {
            None | Some("") => Some(DEFAULT_LIMIT),
            Some(raw) => errors.take(
                raw.parse::<u32>()
                    .ok()
                    .filter(|n| (1..=MAX_LIMIT).contains(n))
                    .ok_or_else(|| {
                        FieldError::new(
                            "limit",
                            "invalid_limit",
                            format!("limit is a whole number from 1 to {MAX_LIMIT}"),
                        )
                    }),
            ),
        };
        let after = match (params.cursor.as_deref(), order) {
            (None | Some(""), _) | (_, None) => None,
            (Some(raw), Some(order)) => match Cursor::decode(raw, order) {
                Ok(cursor) => Some(cursor),
                Err(mut e) => {
                    errors.0.append(&mut e.0);
                    None
                }
            },
        };
        Ok(errors.finish(|| CustomerQuery {
            filter: CustomerFilter {
                stores_within: params.scope.clone(),
                user: params.user,
                ..filter.expect("checked")
            },
            order: order.expect("checked"),
            limit: limit.expect("checked"),
            after,
        })?)
    }

    pub async fn list_customers(
        &self,
        params: &ListParams,
    ) -> AppResult<(Page<Customer>, SortOrder)> {
        let query = self.customer_query(params).await?;
        Ok((self.db().list_customers(&query).await?, query.order))
    }

    /// The figures a list shows beside each of these customers (a page the
    /// caller was given): points available and balance, spend, purchases,
    /// last purchase and tier.
    pub async fn customer_figures(
        &self,
        ids: &[CustomerId],
    ) -> AppResult<HashMap<CustomerId, CustomerFigures>> {
        let now = self.clock().now();
        let programs = self.cached_programs().await?;
        let tier = |id: TierId| {
            programs.iter().find_map(|p| p.tier(id)).map(|t| NamedTier {
                id,
                name: t.name.clone(),
            })
        };
        Ok(self
            .db()
            .customer_loyalties(ids, now)
            .await?
            .into_iter()
            .map(|(id, loyalty)| {
                let figures = CustomerFigures {
                    points_available: loyalty.account.available(now),
                    balance: loyalty.account.balance(),
                    spent_minor: loyalty.spent_minor,
                    purchases: loyalty.purchases,
                    last_purchase_at: loyalty.last_purchase_at,
                    tier: loyalty.tier_id.and_then(tier),
                };
                (id, figures)
            })
            .collect())
    }

    /// How many customers a list selects, counting no further than `up_to`.
    pub async fn count_customers(&self, params: &ListParams, up_to: Option<u64>) -> AppResult<u64> {
        let query = self.customer_query(params).await?;
        Ok(self.db().count_customers(&query, up_to).await?)
    }

    /// Group, store and referrer must exist, and nobody refers themselves.
    async fn check_references(
        &self,
        profile: &CustomerProfile,
        own: Option<CustomerId>,
    ) -> AppResult<()> {
        let mut errors = ValidationErrors::default();
        if self
            .db()
            .directory()
            .customer_group(profile.group_id)
            .await?
            .is_none()
        {
            errors.push(FieldError::new(
                "group_id",
                "unknown_group",
                format!("there is no customer group {}", profile.group_id),
            ));
        }
        if let Some(store_id) = profile.store_id
            && self.db().directory().store(store_id).await?.is_none()
        {
            errors.push(FieldError::new(
                "store_id",
                "unknown_store",
                format!("there is no store {store_id}"),
            ));
        }
        if let Some(referrer) = profile.referrer_id {
            if Some(referrer) == own {
                errors.push(FieldError::new(
                    "referrer_id",
                    "self_referral",
                    "a customer cannot refer themselves",
                ));
            } else if self.db().customer(referrer).await?.is_none() {
                errors.push(FieldError::new(
                    "referrer_id",
                    "unknown_customer",
                    format!("there is no customer {referrer}"),
                ));
            }
        }
        Ok(errors.finish(|| ())?)
    }
}
