//! Merging two records of one person: the survivor keeps what it has and
//! takes what only the duplicate knew; the duplicate stays, archived.

use crate::customer::{CustomerProfile, CustomerStatus};

/// The survivor's and the duplicate's profiles after a merge. Unique values
/// (phone, e-mail, external id) that move to the survivor leave the
/// duplicate; those that stay keep finding it, and through it the survivor.
pub fn merge_profiles(
    survivor: &CustomerProfile,
    duplicate: &CustomerProfile,
) -> (CustomerProfile, CustomerProfile) {
    let mut kept = survivor.clone();
    let mut gone = duplicate.clone();
    if kept.phone.is_none() {
        kept.phone = gone.phone.take();
    }
    if kept.email.is_none() {
        kept.email = gone.email.take();
    }
    if kept.external_id.is_none() {
        kept.external_id = gone.external_id.take();
    }
    fill(&mut kept.gender, &duplicate.gender);
    fill(&mut kept.birth_date, &duplicate.birth_date);
    fill(&mut kept.address, &duplicate.address);
    fill(&mut kept.region, &duplicate.region);
    fill(&mut kept.city, &duplicate.city);
    fill(&mut kept.referrer_id, &duplicate.referrer_id);
    fill(&mut kept.store_id, &duplicate.store_id);
    kept.notes = match (&survivor.notes, &duplicate.notes) {
        (Some(a), Some(b)) if a != b => Some(format!("{a}\n{b}")),
        (None, Some(b)) => Some(b.clone()),
        (a, _) => a.clone(),
    };
    for document in &duplicate.documents {
        if !kept.documents.contains(document) {
            kept.documents.push(document.clone());
        }
    }
    kept.consents.fill_from(&duplicate.consents);
    for (name, value) in &duplicate.properties {
        kept.properties
            .entry(name.clone())
            .or_insert_with(|| value.clone());
    }
    gone.status = CustomerStatus::Archived;
    (kept, gone)
}

fn fill<T: Clone>(target: &mut Option<T>, source: &Option<T>) {
    if target.is_none() {
        target.clone_from(source);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customer::{CustomerInput, CustomerRules};
    use crate::ids::CustomerGroupId;
    use jiff::Timestamp;
    use jiff::civil::date;

    fn profile(input: CustomerInput) -> CustomerProfile {
        let rules = CustomerRules {
            properties: &[],
            default_group: CustomerGroupId(1),
            today: date(2026, 1, 1),
            now: Timestamp::UNIX_EPOCH,
            source: "test",
        };
        input.into_new(&rules).unwrap()
    }

    #[test]
    fn the_survivor_keeps_its_own_and_takes_the_rest() {
        let survivor = profile(CustomerInput {
            name: Some("Иванова".into()),
            email: Some(Some("a@x.ru".into())),
            city: Some(Some("Тула".into())),
            ..Default::default()
        });
        let duplicate = profile(CustomerInput {
            name: Some("Иванова М.".into()),
            phone: Some(Some("+79001234567".into())),
            email: Some(Some("b@x.ru".into())),
            city: Some(Some("Орёл".into())),
            birth_date: Some(Some("1990-01-01".into())),
            ..Default::default()
        });
        let (kept, gone) = merge_profiles(&survivor, &duplicate);
        assert_eq!(kept.name, "Иванова");
        assert_eq!(kept.email, survivor.email);
        assert_eq!(kept.city.as_deref(), Some("Тула"));
        assert_eq!(kept.phone, duplicate.phone);
        assert_eq!(kept.birth_date, duplicate.birth_date);
        assert_eq!(gone.phone, None, "the phone moved");
        assert_eq!(gone.email, duplicate.email, "the e-mail stayed");
        assert_eq!(gone.status, CustomerStatus::Archived);
    }
}
