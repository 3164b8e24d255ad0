//! Clientele's use cases. Handlers and commands call these; these call the
//! domain's rules and the store.

pub mod demo;
pub mod import;
