//! Where reads take their connection: a pool, or a set an engine keeps of
//! its own.

use std::future::Future;
use std::ops::DerefMut;

use sqlx::pool::PoolConnection;
use sqlx::{Database, Pool};

/// The connections reads take, each given back as its holder drops it.
pub trait Readers<Db: Database>: Clone + Send + Sync + 'static {
    type Reader: DerefMut<Target = Db::Connection> + Send;

    fn take(&self) -> impl Future<Output = Result<Self::Reader, sqlx::Error>> + Send;
}

/// A pool checks a connection as it comes back, as a server's must be.
impl<Db: Database> Readers<Db> for Pool<Db> {
    type Reader = PoolConnection<Db>;

    fn take(&self) -> impl Future<Output = Result<Self::Reader, sqlx::Error>> + Send {
        self.acquire()
    }
}
