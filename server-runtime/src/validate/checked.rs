//! Typed decoding that checks the rules on the way: a `serde::Deserializer` adapter that
//! sits between `serde_json` and a generated type's `Deserialize` and checks each value
//! against its rule as the type reads it. A valid request is then parsed once, not twice
//! (the walker, then the typed decode).
//!
//! The adapter sees only what the type reads, the way the type reads it. Whatever it
//! cannot check as it streams by (a union, a map of additional properties, a value a
//! custom decoder buffers, a shape chosen among several) marks the result incomplete,
//! and the caller runs the walker ([`super::check_json`]) too. So does any violation or
//! decoding error: the walker is what reports every problem of a request at once.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};

use super::{
    check_primitive, mismatch, target, At, Container, Field, Int, Primitive, Rule, Schema, Target,
    Violations,
};

/// What one decode found.
#[derive(Debug, Default)]
pub struct Found {
    pub violations: Violations,
    /// Something was not checked; only the walker can tell whether it is valid.
    pub incomplete: bool,
}

impl Found {
    /// Nothing wrong was seen and everything was seen.
    pub fn is_clean(&self) -> bool {
        self.violations.is_empty() && !self.incomplete
    }
}

/// Decodes `T` from a JSON document, checking `schema` on the way.
pub fn decode<'de, T: de::Deserialize<'de>>(
    schema: &Schema,
    json: &'de [u8],
) -> (serde_json::Result<T>, Found) {
    let mut found = Found::default();
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let result = T::deserialize(Checked {
        de: &mut deserializer,
        schema,
        at: &At::ROOT,
        found: &mut found,
    })
    .and_then(|value| deserializer.end().map(|()| value));
    (result, found)
}

/// No rule: what an unknown property is checked against.
static ANY: Schema = super::any();

/// A deserializer whose values are checked against `schema`.
struct Checked<'s, 'a, D> {
    de: D,
    schema: &'s Schema,
    at: &'a At<'a>,
    found: &'a mut Found,
}

impl<'s, 'a, D> Checked<'s, 'a, D> {
    fn split<V>(self, visitor: V) -> (D, Visit<'s, 'a, V>) {
        let visit = Visit {
            inner: visitor,
            schema: self.schema,
            at: self.at,
            found: self.found,
        };
        (self.de, visit)
    }
}

macro_rules! forward_deserialize {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            fn $method<V: Visitor<'de>>(
                self,
                $($arg: $ty,)*
                visitor: V,
            ) -> Result<V::Value, Self::Error> {
                let (de, visit) = self.split(visitor);
                de.$method($($arg,)* visit)
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Checked<'_, '_, D> {
    type Error = D::Error;

    forward_deserialize! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_identifier();
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.found.incomplete = true;
        self.de.deserialize_enum(name, variants, visitor)
    }

    /// A value the type skips: nothing to check when it has no rule; otherwise it is
    /// read (and checked) as any value.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        if matches!(self.schema.rule, Rule::Any) && self.schema.lenient.is_empty() {
            return self.de.deserialize_ignored_any(visitor);
        }
        let (de, visit) = self.split(visitor);
        de.deserialize_any(visit)
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

/// The visitor of a checked value: checks, then hands the value on.
struct Visit<'s, 'a, V> {
    inner: V,
    schema: &'s Schema,
    at: &'a At<'a>,
    found: &'a mut Found,
}

impl<V> Visit<'_, '_, V> {
    fn primitive(&mut self, value: Primitive<'_>) {
        check_primitive(self.schema, value, self.at, &mut self.found.violations);
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Visit<'_, '_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_bool<E: de::Error>(mut self, v: bool) -> Result<V::Value, E> {
        self.primitive(Primitive::Bool(v));
        self.inner.visit_bool(v)
    }

    fn visit_i64<E: de::Error>(mut self, v: i64) -> Result<V::Value, E> {
        self.primitive(Primitive::Int(Int::Signed(v)));
        self.inner.visit_i64(v)
    }

    fn visit_u64<E: de::Error>(mut self, v: u64) -> Result<V::Value, E> {
        self.primitive(Primitive::Int(Int::Unsigned(v)));
        self.inner.visit_u64(v)
    }

    fn visit_f64<E: de::Error>(mut self, v: f64) -> Result<V::Value, E> {
        self.primitive(Primitive::Float(v));
        self.inner.visit_f64(v)
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<V::Value, E> {
        self.found.incomplete = true;
        self.inner.visit_i128(v)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<V::Value, E> {
        self.found.incomplete = true;
        self.inner.visit_u128(v)
    }

    fn visit_char<E: de::Error>(mut self, v: char) -> Result<V::Value, E> {
        self.primitive(Primitive::Str(v.encode_utf8(&mut [0; 4])));
        self.inner.visit_char(v)
    }

    fn visit_str<E: de::Error>(mut self, v: &str) -> Result<V::Value, E> {
        self.primitive(Primitive::Str(v));
        self.inner.visit_str(v)
    }

    fn visit_borrowed_str<E: de::Error>(mut self, v: &'de str) -> Result<V::Value, E> {
        self.primitive(Primitive::Str(v));
        self.inner.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(mut self, v: String) -> Result<V::Value, E> {
        self.primitive(Primitive::Str(&v));
        self.inner.visit_string(v)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<V::Value, E> {
        self.found.incomplete = true;
        self.inner.visit_bytes(v)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<V::Value, E> {
        self.found.incomplete = true;
        self.inner.visit_borrowed_bytes(v)
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<V::Value, E> {
        self.found.incomplete = true;
        self.inner.visit_byte_buf(v)
    }

    fn visit_none<E: de::Error>(mut self) -> Result<V::Value, E> {
        self.primitive(Primitive::Null);
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(mut self) -> Result<V::Value, E> {
        self.primitive(Primitive::Null);
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(Checked {
            de: deserializer,
            schema: self.schema,
            at: self.at,
            found: self.found,
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.inner.visit_newtype_struct(Checked {
            de: deserializer,
            schema: self.schema,
            at: self.at,
            found: self.found,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        let Visit {
            inner,
            schema,
            at,
            found,
        } = self;
        match target(schema, Container::Array) {
            Target::One {
                rule: Rule::Array {
                    items, min, max, ..
                },
                alone,
            } => {
                let mark = found.violations.len();
                let mut count = 0;
                let value = inner.visit_seq(Items {
                    seq,
                    items,
                    at,
                    found: &mut *found,
                    count: &mut count,
                })?;
                if let Some(min) = min.filter(|min| count < *min) {
                    found
                        .violations
                        .insert(mark, at, format!("fewer than {min} items ({count})"));
                }
                if let Some(max) = max.filter(|max| count > *max) {
                    found
                        .violations
                        .insert(mark, at, format!("more than {max} items ({count})"));
                }
                if !alone {
                    one_of_several(schema, mark, at, found);
                }
                Ok(value)
            }
            Target::One {
                rule: Rule::Any,
                alone: true,
            } => inner.visit_seq(seq),
            Target::Nothing => {
                found.violations.push(at, mismatch(schema, "an array"));
                inner.visit_seq(seq)
            }
            _ => {
                found.incomplete = true;
                inner.visit_seq(seq)
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let Visit {
            inner,
            schema,
            at,
            found,
        } = self;
        match target(schema, Container::Object) {
            Target::One {
                rule:
                    Rule::Object {
                        fields,
                        additional: None,
                        min: None,
                        max: None,
                    },
                alone,
            } => {
                let mark = found.violations.len();
                let mut seen = super::Seen::new(fields.len());
                let value = inner.visit_map(Properties {
                    map,
                    fields,
                    at,
                    found: &mut *found,
                    seen: &mut seen,
                    current: None,
                })?;
                let mut own = mark;
                for (index, field) in fields.iter().enumerate() {
                    if field.required && !seen.get(index) {
                        found
                            .violations
                            .insert(own, &at.key(field.name), "required".to_string());
                        own += 1;
                    }
                }
                if !alone {
                    one_of_several(schema, mark, at, found);
                }
                Ok(value)
            }
            Target::One {
                rule: Rule::Any,
                alone: true,
            } => inner.visit_map(map),
            Target::Nothing => {
                found.violations.push(at, mismatch(schema, "an object"));
                inner.visit_map(map)
            }
            _ => {
                found.incomplete = true;
                inner.visit_map(map)
            }
        }
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.found.incomplete = true;
        self.inner.visit_enum(data)
    }
}

/// The value was walked with the one shape of several that takes its kind: that
/// shape's complaints become the schema's "matches none of the allowed shapes", as the
/// walker reports them.
fn one_of_several(schema: &Schema, mark: usize, at: &At<'_>, found: &mut Found) {
    if found.violations.len() > mark {
        found.violations.truncate(mark);
        found
            .violations
            .push(at, super::Shapes::of(schema).none_matches());
    }
}

/// The items of a checked array.
struct Items<'s, 'a, 'c, A> {
    seq: A,
    items: &'s Schema,
    at: &'a At<'a>,
    found: &'c mut Found,
    count: &'c mut usize,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Items<'_, '_, '_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        let at = self.at.index(*self.count);
        let value = self.seq.next_element_seed(Seed {
            inner: seed,
            schema: self.items,
            at: &at,
            found: &mut *self.found,
        })?;
        if value.is_some() {
            *self.count += 1;
        }
        Ok(value)
    }

    fn size_hint(&self) -> Option<usize> {
        self.seq.size_hint()
    }
}

/// The properties of a checked object.
struct Properties<'s, 'a, 'c, A> {
    map: A,
    fields: &'s [Field],
    at: &'a At<'a>,
    found: &'c mut Found,
    seen: &'c mut super::Seen,
    /// The field of the key just read, if it is one of the rule's.
    current: Option<usize>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Properties<'_, '_, '_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.current = None;
        self.map.next_key_seed(KeySeed {
            inner: seed,
            fields: self.fields,
            current: &mut self.current,
        })
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        match self.current.take() {
            Some(index) => {
                self.seen.set(index);
                let field = &self.fields[index];
                let at = self.at.key(field.name);
                self.map.next_value_seed(Seed {
                    inner: seed,
                    schema: &field.schema,
                    at: &at,
                    found: &mut *self.found,
                })
            }
            None => self.map.next_value_seed(Seed {
                inner: seed,
                schema: &ANY,
                at: self.at,
                found: &mut *self.found,
            }),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// A seed whose value is checked against `schema`.
struct Seed<'s, 'a, T> {
    inner: T,
    schema: &'s Schema,
    at: &'a At<'a>,
    found: &'a mut Found,
}

impl<'de, T: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<'_, '_, T> {
    type Value = T::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T::Value, D::Error> {
        self.inner.deserialize(Checked {
            de: deserializer,
            schema: self.schema,
            at: self.at,
            found: self.found,
        })
    }
}

/// A property name: notes which of the rule's fields it is, and hands it on.
struct KeySeed<'s, 'c, K> {
    inner: K,
    fields: &'s [Field],
    current: &'c mut Option<usize>,
}

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for KeySeed<'_, '_, K> {
    type Value = K::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<K::Value, D::Error> {
        self.inner.deserialize(Key {
            de: deserializer,
            fields: self.fields,
            current: self.current,
        })
    }
}

struct Key<'s, 'c, D> {
    de: D,
    fields: &'s [Field],
    current: &'c mut Option<usize>,
}

impl<'s, 'c, D> Key<'s, 'c, D> {
    fn split<V>(self, visitor: V) -> (D, KeyVisit<'s, 'c, V>) {
        let visit = KeyVisit {
            inner: visitor,
            fields: self.fields,
            current: self.current,
        };
        (self.de, visit)
    }
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Key<'_, '_, D> {
    type Error = D::Error;

    forward_deserialize! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
        deserialize_ignored_any();
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

struct KeyVisit<'s, 'c, V> {
    inner: V,
    fields: &'s [Field],
    current: &'c mut Option<usize>,
}

impl<V> KeyVisit<'_, '_, V> {
    fn note(&mut self, key: &str) {
        *self.current = self.fields.iter().position(|f| f.name == key);
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for KeyVisit<'_, '_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_str<E: de::Error>(mut self, v: &str) -> Result<V::Value, E> {
        self.note(v);
        self.inner.visit_str(v)
    }

    fn visit_borrowed_str<E: de::Error>(mut self, v: &'de str) -> Result<V::Value, E> {
        self.note(v);
        self.inner.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(mut self, v: String) -> Result<V::Value, E> {
        self.note(&v);
        self.inner.visit_string(v)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        self.inner.visit_bool(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        self.inner.visit_i64(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        self.inner.visit_u64(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        self.inner.visit_f64(v)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<V::Value, E> {
        self.inner.visit_bytes(v)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<V::Value, E> {
        self.inner.visit_borrowed_bytes(v)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }
}
