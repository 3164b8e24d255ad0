//! Who may do what: the modules of Clientele, a view or edit right on each,
//! the built-in roles of the people in the seeds, and staff logins.

use std::collections::BTreeMap;
use std::fmt;

use crate::validation::FieldError;

/// A part of Clientele a role grants rights on.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Module {
    Customers,
    /// Cards, loyalty programs, tiers and certificates.
    Programs,
    /// Points accrued or written off by hand.
    Points,
    Segments,
    Campaigns,
    Reports,
    /// Groups, stores, custom properties and other settings.
    Settings,
    /// Staff users, roles, API tokens, tills and the audit log.
    Staff,
    Pos,
}

impl Module {
    pub const ALL: [Module; 9] = [
        Module::Customers,
        Module::Programs,
        Module::Points,
        Module::Segments,
        Module::Campaigns,
        Module::Reports,
        Module::Settings,
        Module::Staff,
        Module::Pos,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Module::Customers => "customers",
            Module::Programs => "programs",
            Module::Points => "points",
            Module::Segments => "segments",
            Module::Campaigns => "campaigns",
            Module::Reports => "reports",
            Module::Settings => "settings",
            Module::Staff => "staff",
            Module::Pos => "pos",
        }
    }

    pub fn parse(raw: &str) -> Result<Module, FieldError> {
        Module::ALL
            .into_iter()
            .find(|module| module.as_str() == raw)
            .ok_or_else(|| {
                FieldError::new(
                    "permissions",
                    "unknown_module",
                    format!(
                        "unknown module «{raw}»; known: customers, programs, points, segments, campaigns, reports, settings, staff, pos"
                    ),
                )
            })
    }
}

impl fmt::Display for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a role may do in a module; `Edit` includes `View`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Right {
    View,
    Edit,
}

impl Right {
    pub fn as_str(self) -> &'static str {
        match self {
            Right::View => "view",
            Right::Edit => "edit",
        }
    }
}

/// The rights of a role, module by module; a module left out is closed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Permissions(pub BTreeMap<Module, Right>);

impl Permissions {
    pub fn of(grants: &[(Module, Right)]) -> Permissions {
        Permissions(grants.iter().copied().collect())
    }

    pub fn allows(&self, module: Module, right: Right) -> bool {
        self.0.get(&module).is_some_and(|granted| *granted >= right)
    }

    /// `{"customers": "edit", "reports": "view"}` as a marketer writes it.
    pub fn parse(raw: &BTreeMap<String, String>) -> Result<Permissions, FieldError> {
        let mut permissions = BTreeMap::new();
        for (module, right) in raw {
            let module = Module::parse(module)?;
            let right = match right.as_str() {
                "view" => Right::View,
                "edit" => Right::Edit,
                other => {
                    return Err(FieldError::new(
                        "permissions",
                        "unknown_right",
                        format!("unknown right «{other}» for {module}; known: view, edit"),
                    ));
                }
            };
            permissions.insert(module, right);
        }
        Ok(Permissions(permissions))
    }
}

/// The roles every database starts with, for the people of the seeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltInRole {
    Owner,
    Marketer,
    /// Reports, limited to the regions or stores the user is given.
    Manager,
    RegistrationDesk,
    Support,
    Cashier,
}

impl BuiltInRole {
    pub const ALL: [BuiltInRole; 6] = [
        BuiltInRole::Owner,
        BuiltInRole::Marketer,
        BuiltInRole::Manager,
        BuiltInRole::RegistrationDesk,
        BuiltInRole::Support,
        BuiltInRole::Cashier,
    ];

    pub fn name(self) -> &'static str {
        match self {
            BuiltInRole::Owner => "owner",
            BuiltInRole::Marketer => "marketer",
            BuiltInRole::Manager => "manager",
            BuiltInRole::RegistrationDesk => "registration_desk",
            BuiltInRole::Support => "support",
            BuiltInRole::Cashier => "cashier",
        }
    }

    pub fn permissions(self) -> Permissions {
        use Module::*;
        use Right::*;
        match self {
            BuiltInRole::Owner => Permissions(Module::ALL.iter().map(|m| (*m, Edit)).collect()),
            BuiltInRole::Marketer => Permissions::of(&[
                (Customers, Edit),
                (Programs, Edit),
                (Segments, Edit),
                (Campaigns, Edit),
                (Reports, View),
                (Settings, View),
            ]),
            BuiltInRole::Manager => Permissions::of(&[(Customers, View), (Reports, View)]),
            BuiltInRole::RegistrationDesk => {
                Permissions::of(&[(Customers, Edit), (Programs, View), (Settings, View)])
            }
            BuiltInRole::Support => Permissions::of(&[
                (Customers, Edit),
                (Programs, View),
                (Points, Edit),
                (Settings, View),
            ]),
            BuiltInRole::Cashier => Permissions::of(&[(Customers, View), (Pos, Edit)]),
        }
    }
}

/// A staff user's login: 2–64 of latin letters, digits, `.`, `_`, `-`, `@`,
/// compared without case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Login(String);

impl Login {
    pub fn parse(raw: &str) -> Result<Login, FieldError> {
        let login = raw.trim().to_lowercase();
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@');
        if !(2..=64).contains(&login.len()) || !login.chars().all(allowed) {
            return Err(FieldError::new(
                "login",
                "invalid_login",
                "a login is 2 to 64 latin letters, digits, «.», «_», «-» or «@»",
            ));
        }
        Ok(Login(login))
    }

    pub fn from_stored(login: String) -> Login {
        Login(login)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The shortest password a staff user may choose.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// A password a staff user may choose: long enough, and not their login.
pub fn check_new_password(password: &str, login: &Login) -> Result<(), FieldError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(FieldError::new(
            "password",
            "password_too_short",
            format!("a password has at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if password.to_lowercase().contains(login.as_str()) {
        return Err(FieldError::new(
            "password",
            "password_has_login",
            "a password may not contain the login",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_includes_view_and_missing_modules_are_closed() {
        let marketer = BuiltInRole::Marketer.permissions();
        assert!(marketer.allows(Module::Customers, Right::View));
        assert!(marketer.allows(Module::Customers, Right::Edit));
        assert!(marketer.allows(Module::Reports, Right::View));
        assert!(!marketer.allows(Module::Reports, Right::Edit));
        assert!(!marketer.allows(Module::Staff, Right::View));
        assert!(!marketer.allows(Module::Points, Right::Edit));
    }

    #[test]
    fn the_owner_may_do_everything_and_the_cashier_little() {
        let owner = BuiltInRole::Owner.permissions();
        let cashier = BuiltInRole::Cashier.permissions();
        for module in Module::ALL {
            assert!(owner.allows(module, Right::Edit));
        }
        assert!(cashier.allows(Module::Pos, Right::Edit));
        assert!(!cashier.allows(Module::Customers, Right::Edit));
        assert!(!cashier.allows(Module::Staff, Right::View));
    }

    #[test]
    fn permissions_parse_from_names() {
        let raw: BTreeMap<String, String> = [
            ("customers".to_owned(), "edit".to_owned()),
            ("reports".to_owned(), "view".to_owned()),
        ]
        .into();
        let parsed = Permissions::parse(&raw).unwrap();
        assert_eq!(
            parsed,
            Permissions::of(&[
                (Module::Customers, Right::Edit),
                (Module::Reports, Right::View)
            ])
        );
        let bad: BTreeMap<String, String> = [("bank".to_owned(), "edit".to_owned())].into();
        assert_eq!(Permissions::parse(&bad).unwrap_err().code, "unknown_module");
        let bad: BTreeMap<String, String> = [("customers".to_owned(), "all".to_owned())].into();
        assert_eq!(Permissions::parse(&bad).unwrap_err().code, "unknown_right");
    }

    #[test]
    fn logins_and_passwords() {
        assert_eq!(Login::parse(" Anna.K ").unwrap().as_str(), "anna.k");
        assert!(Login::parse("a").is_err());
        assert!(Login::parse("анна").is_err());
        assert!(Login::parse("anna k").is_err());
        let login = Login::parse("anna").unwrap();
        assert!(check_new_password("short", &login).is_err());
        assert!(check_new_password("my-ANNA-password", &login).is_err());
        assert!(check_new_password("correct horse battery", &login).is_ok());
    }
}
