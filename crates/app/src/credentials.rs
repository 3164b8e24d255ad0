//! Recently checked bearer credentials, so a busy till does not cost a
//! database read per request. An entry lives one second at most, and every
//! change to staff, roles, tokens or tills made through this process empties
//! the cache at once; another process sharing the database sees a revocation
//! within that second.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clientele_store::Principal;

const FRESH_FOR: Duration = Duration::from_secs(1);
/// Past this many live credentials the cache starts over.
const CAPACITY: usize = 10_000;

#[derive(Clone, Default)]
pub struct CredentialCache(Arc<Mutex<Entries>>);

#[derive(Default)]
struct Entries {
    by_hash: HashMap<[u8; 32], (Principal, Instant)>,
    /// Counts the clearings, so a look-up that began before one does not
    /// put back what it cleared.
    generation: u64,
}

impl CredentialCache {
    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The principal of a fresh entry, or the generation to hand to
    /// [`CredentialCache::put`] after reading the database.
    pub fn get(&self, hash: &[u8; 32]) -> Result<Principal, u64> {
        let entries = self.entries();
        entries
            .by_hash
            .get(hash)
            .filter(|(_, checked)| checked.elapsed() < FRESH_FOR)
            .map(|(principal, _)| principal.clone())
            .ok_or(entries.generation)
    }

    /// Keeps a principal read from the database, unless the cache was
    /// cleared since `generation`.
    pub fn put(&self, generation: u64, hash: [u8; 32], principal: Principal) {
        let mut entries = self.entries();
        if entries.generation != generation {
            return;
        }
        if entries.by_hash.len() >= CAPACITY {
            entries.by_hash.clear();
        }
        entries.by_hash.insert(hash, (principal, Instant::now()));
    }

    pub fn clear(&self) {
        let mut entries = self.entries();
        entries.by_hash.clear();
        entries.generation += 1;
    }
}

#[cfg(test)]
mod tests {
    use clientele_domain::{StoreId, TillId};
    use clientele_store::Till;

    use super::*;

    fn till() -> Principal {
        let at = jiff::Timestamp::from_second(1_795_000_000).unwrap();
        Principal::Till(Till {
            id: TillId(1),
            store_id: StoreId(1),
            name: "Касса".into(),
            created_at: at,
            key_issued_at: at,
            revoked_at: None,
        })
    }

    #[test]
    fn a_clearing_wins_over_a_look_up_that_began_before_it() {
        let cache = CredentialCache::default();
        let generation = cache.get(&[1; 32]).unwrap_err();
        cache.put(generation, [1; 32], till());
        assert_eq!(cache.get(&[1; 32]), Ok(till()));

        let before = cache.get(&[2; 32]).unwrap_err();
        cache.clear();
        assert!(cache.get(&[1; 32]).is_err(), "cleared");
        cache.put(before, [2; 32], till());
        assert!(
            cache.get(&[2; 32]).is_err(),
            "read before the clearing, so not kept"
        );
    }
}
