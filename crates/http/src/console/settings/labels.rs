//! How a role's rights are shown on the staff lists and forms, in words.

use clientele_app::Role;
use clientele_domain::Module;

use crate::console::kit::Words;

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
