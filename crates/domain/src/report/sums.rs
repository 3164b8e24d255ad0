//! Figures that are sums, each named once: an engine keeps each under its
//! name, and adding two sets of figures adds each.

/// A struct of `i64` sums with `NAMES` (the fields' names, in order),
/// `values` and `from_values` in that order, and `+=`.
macro_rules! sums {
    ($(#[$meta:meta])* $name:ident { $($(#[$field_meta:meta])* $field:ident,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name {
            $($(#[$field_meta])* pub $field: i64,)+
        }

        impl $name {
            /// The figures' names, in the order of `values`: an engine
            /// keeps each under its name.
            pub const NAMES: [&'static str; [$(stringify!($field)),+].len()] =
                [$(stringify!($field)),+];

            pub fn values(&self) -> [i64; $name::NAMES.len()] {
                [$(self.$field),+]
            }

            pub fn from_values(values: [i64; $name::NAMES.len()]) -> $name {
                let [$($field),+] = values;
                $name { $($field),+ }
            }
        }

        impl std::ops::AddAssign for $name {
            fn add_assign(&mut self, more: $name) {
                $(self.$field += more.$field;)+
            }
        }
    };
}

pub(super) use sums;
