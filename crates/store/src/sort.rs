//! Sort keys of the lists the store pages: one declaration gives the enum,
//! the names `?sort=` takes, and the SQL column each orders by.

/// Declares a sort key enum: each variant with its `?sort=` name and the
/// SQL expression it orders by. The enum gets `ALL` (name, key),
/// `from_name` and the private `column`.
macro_rules! sort_keys {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = ($key:literal, $column:literal),)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every key with its name in `?sort=`.
            pub const ALL: [(&'static str, Self); [$($key),+].len()] =
                [$(($key, Self::$variant)),+];

            /// The key named `name`.
            pub fn from_name(name: &str) -> Option<Self> {
                Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
            }

            fn column(self) -> &'static str {
                match self {
                    $(Self::$variant => $column,)+
                }
            }
        }
    };
}
