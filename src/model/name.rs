//! [`Name`]: a shared, immutable string for what spans repeat by the thousand (service and
//! operation names, tag keys and most tag values), and the per-response [`intern`]er the trace
//! decoders fill it from (issue 19).
//!
//! A search answer of a million spans names a few dozen services and operations and a few hundred
//! distinct tag values: one `String` per span and tag was most of the decode's time (~2 µs a span
//! in allocation) and of the traces' memory. A `Name` is an `Arc<str>`: one allocation per distinct
//! text per response, a pointer copy per use, and it reads as `&str` (`Deref`, comparisons with
//! `str`/`String`, `Borrow<str>` for map lookups) so the analyses read it as they read a `String`.
//! Not here: the spans themselves (`super::trace`). Tests: below.

use std::borrow::Borrow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An immutable string, cheap to clone (a reference count), equal and ordered as its text.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name(Arc<str>);

impl Name {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Name {
    /// The empty name; one shared allocation-free value would need a static `Arc`, and an empty
    /// `Arc<str>` allocates only its counts, so this is only used for defaults.
    fn default() -> Name {
        Name(Arc::from(""))
    }
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Name {
        Name(Arc::from(s))
    }
}

impl From<String> for Name {
    fn from(s: String) -> Name {
        Name(Arc::from(s))
    }
}

impl From<&String> for Name {
    fn from(s: &String) -> Name {
        Name(Arc::from(s.as_str()))
    }
}

impl From<Name> for String {
    fn from(n: Name) -> String {
        n.0.to_string()
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        *self == *other.0
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        **self == *other.0
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        **self == *other.0
    }
}

impl Serialize for Name {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Name, D::Error> {
        // Not interned: a saved report or bundle is read once, not span by span.
        String::deserialize(d).map(Name::from)
    }
}

/// The table's hasher: foldhash, keyed with a random per-process seed. Not `std`'s SipHash:
/// hashing a short name with it cost about what the allocation interning saves (benches/README.md,
/// "Compact spans"), and there are ~7 lookups per span. Not an unkeyed hash (FxHash) either: tag
/// values (`http.url`, `db.statement`, ...) are written by the traced services' own callers, who
/// could choose texts that collide under a known function and make each lookup walk them all.
type Hasher = foldhash::fast::RandomState;

thread_local! {
    /// The names seen while decoding the current response (see [`InternScope`]). Per thread: a
    /// response is decoded synchronously, start to end, on one thread.
    static NAMES: RefCell<HashSet<Name, Hasher>> = RefCell::new(HashSet::default());
}

/// The one `Name` for `s` in the current response: the same allocation every time the text
/// repeats. Outside an [`InternScope`] it still interns, into the thread's table, which the next
/// scope's end clears.
pub fn intern(s: &str) -> Name {
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        if let Some(n) = names.get(s) {
            return n.clone();
        }
        let n = Name::from(s);
        names.insert(n.clone());
        n
    })
}

/// While alive, [`intern`] shares names within one response; dropped, it empties the table, so
/// the names live only as long as the spans that hold them (a long `watch` or MCP session does
/// not accumulate every name it ever saw).
pub struct InternScope(());

impl InternScope {
    pub fn new() -> InternScope {
        InternScope(())
    }
}

impl Default for InternScope {
    fn default() -> InternScope {
        InternScope::new()
    }
}

impl Drop for InternScope {
    fn drop(&mut self) {
        NAMES.with(|names| {
            let mut names = names.borrow_mut();
            names.clear();
            // A huge response's table is not kept for the thread's lifetime.
            if names.capacity() > 4096 {
                names.shrink_to(0);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_reads_and_compares_as_its_text() {
        let n = Name::from("checkout");
        assert_eq!(n, "checkout");
        assert_eq!("checkout", n);
        assert_eq!(n, "checkout".to_string());
        assert_eq!(n.len(), 8);
        assert_eq!(format!("{n}/{n:?}"), "checkout/\"checkout\"");
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"checkout\"");
        let back: Name = serde_json::from_str("\"checkout\"").unwrap();
        assert_eq!(back, n);
        let (a, b) = (Name::from("a"), Name::from("b"));
        assert!(a < b);
    }

    #[test]
    fn interning_shares_one_allocation_per_text_within_a_scope() {
        let _scope = InternScope::new();
        let a = intern("GET /cart");
        let b = intern(&String::from("GET /cart"));
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert!(!Arc::ptr_eq(&a.0, &intern("GET /cart/").0));
    }

    #[test]
    fn a_scope_ending_forgets_its_names_but_not_the_values_held() {
        let kept = {
            let _scope = InternScope::new();
            intern("payments")
        };
        assert_eq!(NAMES.with(|n| n.borrow().len()), 0);
        assert_eq!(kept, "payments");
        assert!(!Arc::ptr_eq(&kept.0, &intern("payments").0));
        drop(InternScope::new());
    }
}
