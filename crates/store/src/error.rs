use clientele_domain::CustomerId;

pub type DbResult<T> = Result<T, DbError>;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A unique value (phone, e-mail, code, name) already belongs to another record.
    #[error("{field} is already taken")]
    Conflict {
        field: &'static str,
        /// The customer who holds it, when the record is a customer.
        existing_customer: Option<CustomerId>,
    },
    /// The record changed since it was read; read it again and retry.
    #[error("the record was changed by someone else meanwhile")]
    StaleVersion,
    /// A referenced record (group, store, referrer, parent) does not exist.
    #[error("{field} refers to a record that does not exist")]
    MissingReference { field: &'static str },
    /// A record that others depend on cannot be removed.
    #[error("{0}")]
    InUse(&'static str),
    /// A text holds the NUL character, which PostgreSQL cannot keep.
    #[error("a text holds the NUL character")]
    NulCharacter,
    #[error(
        "the database schema is at version {database}, newer than this binary knows ({binary}); run a newer clientele"
    )]
    SchemaTooNew { database: i64, binary: i64 },
    #[error(
        "the database schema is at version {database}, older than this binary needs ({binary}); run `clientele migrate`"
    )]
    SchemaTooOld { database: i64, binary: i64 },
    #[error("cannot open the database: {0}")]
    Open(String),
    /// The database stopped answering (its server went down, or it is a
    /// standby now): the request may be sent again.
    #[error("the database cannot be reached now: {0}")]
    Unreachable(String),
    /// A backup could not be written, or a file cannot be restored; says why.
    #[error("{0}")]
    Backup(String),
    /// Anything else the engine reports; logged, never shown to a user.
    #[error("database error: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl DbError {
    pub fn backend(error: impl std::error::Error + Send + Sync + 'static) -> DbError {
        DbError::Backend(Box::new(error))
    }
}
