//! The serde impls of generated objects and untagged unions, written as declarative
//! macros (`json_object!`, `json_union!`) so that the generated crates need no procedural
//! macro: no `serde_derive`, `syn`, `quote` or `proc-macro2` in their builds.
//!
//! The impls behave as `#[derive(Serialize, Deserialize)]` with the attributes the
//! generator used to write (`rename`, `default`, `skip_serializing_if = "Option::is_none"`,
//! `deserialize_with`, `flatten` of a map, `untagged`): the same JSON out, the same values
//! in, the same error messages (`missing field`, `duplicate field`, `invalid type: …,
//! expected struct Name`, `data did not match any variant of untagged enum Name`). Two
//! differences, both refusals of what no JSON schema object allows: an object is not read
//! from an array of its values in field order, and a property name must be text.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, Error, Visitor};

/// A property name as read, borrowed from the input when the input allows it.
#[doc(hidden)]
pub struct Key<'de>(Cow<'de, str>);

impl<'de> Key<'de> {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_borrowed_str<E: Error>(self, value: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(value)))
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E: Error>(self, value: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(value)))
    }

    fn visit_borrowed_bytes<E: Error>(self, value: &'de [u8]) -> Result<Key<'de>, E> {
        std::str::from_utf8(value)
            .map(|text| Key(Cow::Borrowed(text)))
            .map_err(|_| E::invalid_value(serde::de::Unexpected::Bytes(value), &self))
    }

    fn visit_bytes<E: Error>(self, value: &[u8]) -> Result<Key<'de>, E> {
        std::str::from_utf8(value)
            .map(|text| Key(Cow::Owned(text.to_owned())))
            .map_err(|_| E::invalid_value(serde::de::Unexpected::Bytes(value), &self))
    }
}

/// What `json_object!` writes for a struct besides its serde impls: its name, its wire
/// names, and how it is read from a map's entries. Kept out of the struct's own scope, so
/// that no name the macro needs can collide with a generated one.
#[doc(hidden)]
pub trait ReadObject: Sized {
    const NAME: &'static str;
    const FIELDS: &'static [&'static str];

    fn read<'de, A: serde::de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Reads a `T` as derive does for a struct: `deserialize_struct` with its name and fields.
#[doc(hidden)]
pub fn deserialize_struct<'de, T: ReadObject, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, ObjectVisitor(PhantomData))
}

/// Reads a `T` as derive does for a struct with a flattened map: `deserialize_map`.
#[doc(hidden)]
pub fn deserialize_map<'de, T: ReadObject, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: ReadObject> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(map)
    }
}

/// Implements `Serialize` and `Deserialize` for a generated struct, from its fields' wire
/// names and kinds:
///
/// ```text
/// json_object!(
///     Name,                       // or `Name + extra`: a `BTreeMap` field that takes
///                                 // every property the struct does not declare
///     field => "wire" required,   // always written; missing is an error
///     field => "wire" nullable,   // an `Option`, always written (`null` for `None`); missing is `None`
///     field => "wire" optional,   // an `Option`, left out when `None`; missing is `None`
///     field => "wire" optional(option_boolean),  // read by `lenient::option_boolean`
/// );
/// ```
///
/// Properties the struct does not declare are skipped, or kept in the additional map.
/// The crate that invokes it must depend on `serde`.
#[doc(hidden)]
#[macro_export]
macro_rules! json_object {
    (
        $name:ident $(, $field:ident => $wire:literal $kind:ident $(($decoder:ident))?)* $(,)?
    ) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeStruct as _;
                let written = 0 $(+ $crate::json_object!(@written $kind, &self.$field))*;
                #[allow(unused_mut, reason = "an object without properties writes none")]
                let mut object = serializer.serialize_struct(stringify!($name), written)?;
                $($crate::json_object!(@write_field object, $kind, $wire, &self.$field);)*
                object.end()
            }
        }

        $crate::json_object!(@deserialize $name, deserialize_struct, {
            $($field : $wire $kind $(($decoder))?),*
        });
    };
    (
        $name:ident + $extra:ident $(, $field:ident => $wire:literal $kind:ident $(($decoder:ident))?)* $(,)?
    ) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut object = serializer.serialize_map(::std::option::Option::None)?;
                $($crate::json_object!(@write_entry object, $kind, $wire, &self.$field);)*
                for (key, value) in &self.$extra {
                    object.serialize_entry(key, value)?;
                }
                object.end()
            }
        }

        $crate::json_object!(@deserialize $name, deserialize_map, {
            $($field : $wire $kind $(($decoder))?),*
        } $extra);
    };

    (@deserialize $name:ident, $how:ident, {
        $($field:ident : $wire:literal $kind:ident $(($decoder:ident))?),*
    } $($extra:ident)?) => {
        impl $crate::object::ReadObject for $name {
            const NAME: &'static str = stringify!($name);
            const FIELDS: &'static [&'static str] = &[$($wire),*];

            fn read<'de, A: ::serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> ::std::result::Result<Self, A::Error> {
                $(let mut $field = ::std::option::Option::None;)*
                $(let mut $extra = ::std::collections::BTreeMap::new();)?
                while let ::std::option::Option::Some(key) =
                    map.next_key::<$crate::object::Key<'de>>()?
                {
                    match key.as_str() {
                        $($wire => {
                            if $field.is_some() {
                                return ::std::result::Result::Err(
                                    <A::Error as ::serde::de::Error>::duplicate_field($wire),
                                );
                            }
                            $field = ::std::option::Option::Some(
                                $crate::json_object!(@read map $(, $decoder)?),
                            );
                        })*
                        _ => {
                            $crate::json_object!(@other map, key $(, $extra)?);
                        }
                    }
                }
                ::std::result::Result::Ok($name {
                    $($field: $crate::json_object!(@finish A, $kind, $field, $wire),)*
                    $($extra,)?
                })
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::object::$how(deserializer)
            }
        }
    };

    (@written optional, $value:expr) => {
        usize::from($value.is_some())
    };
    (@written $kind:ident, $value:expr) => {
        1
    };

    (@write_field $object:ident, optional, $wire:literal, $value:expr) => {
        if $value.is_some() {
            $object.serialize_field($wire, $value)?;
        } else {
            $object.skip_field($wire)?;
        }
    };
    (@write_field $object:ident, $kind:ident, $wire:literal, $value:expr) => {
        $object.serialize_field($wire, $value)?;
    };

    (@write_entry $object:ident, optional, $wire:literal, $value:expr) => {
        if $value.is_some() {
            $object.serialize_entry($wire, $value)?;
        }
    };
    (@write_entry $object:ident, $kind:ident, $wire:literal, $value:expr) => {
        $object.serialize_entry($wire, $value)?;
    };

    (@read $map:ident) => {
        $map.next_value()?
    };
    (@read $map:ident, $decoder:ident) => {
        $map.next_value_seed($crate::lenient::Via::<$crate::lenient::by::$decoder, _>::new())?
    };

    (@other $map:ident, $key:ident) => {{
        let _ = $key;
        $map.next_value::<::serde::de::IgnoredAny>()?;
    }};
    (@other $map:ident, $key:ident, $extra:ident) => {
        $extra.insert($key.into_string(), $map.next_value()?);
    };

    (@finish $error:ident, required, $field:ident, $wire:literal) => {
        $field.ok_or_else(|| <$error::Error as ::serde::de::Error>::missing_field($wire))?
    };
    (@finish $error:ident, $kind:ident, $field:ident, $wire:literal) => {
        $field.unwrap_or(::std::option::Option::None)
    };
}

/// Implements `Serialize` and `Deserialize` for a generated untagged union: a value is
/// written as its variant's value, and read as the first variant, in order, that reads
/// it. The crate that invokes it must depend on `serde` and `serde_json`.
///
/// ```text
/// json_union!(Name { First, Second });
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! json_union {
    ($name:ident { $($variant:ident),* $(,)? }) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(inner) => ::serde::Serialize::serialize(inner, serializer),)*
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                $(
                    if let ::std::result::Result::Ok(inner) = ::serde::Deserialize::deserialize(&value) {
                        return ::std::result::Result::Ok(Self::$variant(inner));
                    }
                )*
                ::std::result::Result::Err(<D::Error as ::serde::de::Error>::custom(concat!(
                    "data did not match any variant of untagged enum ",
                    stringify!($name)
                )))
            }
        }
    };
}
