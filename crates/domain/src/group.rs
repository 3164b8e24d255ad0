//! Customer groups (покупательские группы). Every customer belongs to one.

use jiff::Timestamp;

use crate::ids::CustomerGroupId;
use crate::validation::{FieldError, ValidationErrors};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CustomerGroup {
    pub id: CustomerGroupId,
    pub name: String,
    /// New customers land here when no group is given; a fresh database has one.
    pub is_default: bool,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Default)]
pub struct CustomerGroupInput {
    pub name: String,
}

impl CustomerGroupInput {
    /// The group's name, cleaned.
    pub fn validate(self) -> Result<String, ValidationErrors> {
        crate::text::clean_name(&self.name, 200).ok_or_else(|| {
            ValidationErrors(vec![FieldError::new(
                "name",
                "required",
                "a group name is required (up to 200 characters)",
            )])
        })
    }
}
