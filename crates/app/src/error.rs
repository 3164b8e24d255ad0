use clientele_domain::{CustomerId, ValidationErrors};
use clientele_store::DbError;

pub type AppResult<T> = Result<T, AppError>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Validation(#[from] ValidationErrors),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request clashes with what is stored: a taken phone, a stale edit,
    /// a group still in use.
    #[error("{message}")]
    Conflict {
        message: String,
        field: Option<&'static str>,
        existing_customer: Option<CustomerId>,
    },
    /// No credential, or one that is wrong, expired or revoked.
    #[error("{0}")]
    Unauthenticated(&'static str),
    /// The credential is good but does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// Locked out after repeated failures, for this long yet.
    #[error("too many failed attempts")]
    TooManyAttempts { retry_after: std::time::Duration },
    /// The customer's usable points no longer cover a payment.
    #[error("only {available} points are usable now")]
    InsufficientPoints { available: i64 },
    /// Something the request needs cannot serve it now: the database (a
    /// schema too new or too old), a provider out of reach, the machine.
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Store(DbError),
}

impl AppError {
    /// One field's error as a validation failure.
    pub fn from_field(error: clientele_domain::FieldError) -> AppError {
        AppError::Validation(ValidationErrors(vec![error]))
    }
}

impl From<DbError> for AppError {
    fn from(error: DbError) -> AppError {
        match error {
            DbError::Conflict {
                field,
                existing_customer,
            } => AppError::Conflict {
                message: match existing_customer {
                    Some(id) => format!("{field} already belongs to customer {id}"),
                    None => format!("{field} is already taken"),
                },
                field: Some(field),
                existing_customer,
            },
            DbError::StaleVersion => AppError::Conflict {
                message:
                    "the record was changed by someone else meanwhile; reload it and try again"
                        .into(),
                field: None,
                existing_customer: None,
            },
            DbError::MissingReference { field } => AppError::Validation(ValidationErrors::one(
                field,
                "unknown_reference",
                "refers to a record that does not exist",
            )),
            DbError::NulCharacter => AppError::Validation(ValidationErrors::one(
                "text",
                "nul_character",
                "the text cannot hold the NUL character",
            )),
            DbError::InUse(message) => AppError::Conflict {
                message: message.into(),
                field: None,
                existing_customer: None,
            },
            error @ (DbError::SchemaTooNew { .. }
            | DbError::SchemaTooOld { .. }
            | DbError::Open(_)
            | DbError::Unreachable(_)
            | DbError::Backup(_)) => AppError::Unavailable(error.to_string()),
            error @ DbError::Backend(_) => AppError::Store(error),
        }
    }
}
