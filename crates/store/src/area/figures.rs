//! The figures an owner looks at first.

use async_trait::async_trait;

use crate::DbResult;

#[async_trait]
pub trait Figures: Send + Sync {
    /// The home page's figures: a few scans, for a cache to keep.
    async fn business_figures(
        &self,
        query: &crate::FiguresQuery,
    ) -> DbResult<crate::BusinessFigures>;
}
