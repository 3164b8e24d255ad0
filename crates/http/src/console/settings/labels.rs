//! How a role is shown on the staff lists and forms: a built-in role in the
//! reader's language, and its rights in words.

use clientele_app::Role;
use clientele_domain::Module;

use crate::console::kit::Words;

/// A built-in role in the reader's language; a role made here as named.
pub fn role_label(w: &Words, role: &Role) -> String {
    if role.built_in {
        w.find(&format!("settings-role-{}", role.name))
            .unwrap_or_else(|| role.name.clone())
    } else {
        role.name.clone()
    }
}

pub fn module_label(w: &Words, module: Module) -> String {
    w.t(&format!("settings-module-{}", module.as_str()))
}

/// «Customers: edit · Reports: view», or that the role may do nothing.
pub fn permissions_summary(w: &Words, role: &Role) -> String {
    let granted: Vec<String> = role
        .permissions
        .0
        .iter()
        .map(|(module, right)| {
            format!(
                "{}: {}",
                module_label(w, *module),
                w.t(&format!("settings-right-{}", right.as_str()))
            )
        })
        .collect();
    if granted.is_empty() {
        w.t("settings-role-nothing")
    } else {
        granted.join(" · ")
    }
}
