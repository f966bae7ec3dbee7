//! The impls every generated string enum has, written once as a macro so that a spec
//! with hundreds of enums generates one line per enum.

/// Implements what every generated string enum has: the wire text of each value,
/// conversions from and to text, and serde. A value the spec does not list is kept in the
/// catch-all variant, so decoding never fails on a new value. Generated code invokes it
/// as `crate::runtime::string_enum!(Name, Other, Variant => "wire", ...)`; the crate
/// that invokes it must depend on `serde`.
#[doc(hidden)]
#[macro_export]
macro_rules! string_enum {
    ($name:ident, $other:ident, $($variant:ident => $wire:literal),* $(,)?) => {
        impl $name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$other(value) => value,
                }
            }

            /// Whether the value is one the spec lists.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::$other(_))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::$other(other.to_string()),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            // Not `Self::Err`: a value `Err` makes a variant of that name.
            fn from_str(
                value: &str,
            ) -> ::std::result::Result<Self, <Self as ::std::str::FromStr>::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value =
                    <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    };
}
