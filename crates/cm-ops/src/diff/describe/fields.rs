//! What no kind of change claims, compared field by field: each difference a [`Field`] named by
//! its path in the case, its values given only when they are plain and may be shown.

use serde_json::{Map, Value as Json};

use cm_base::path::{Step, dotted, keys_of};
use cm_case::privacy::may_show;

use super::changes::{Field, FieldChange};

/// Compares `old` and `new`, the values at path `at` (keys, and `[i]` for list items), field
/// by field, pushing what differs. A field missing on one side is compared as null.
pub(super) fn compare(
    old: &Json,
    new: &Json,
    within: &[&str],
    at: &mut Vec<Step>,
    include: &[String],
    out: &mut Vec<Field>,
) {
    if old == new {
        return;
    }
    match (old, new) {
        (Json::Object(_) | Json::Null, Json::Object(_)) | (Json::Object(_), Json::Null) => {
            let (a, b) = (object(old), object(new));
            let keys = b.keys().chain(a.keys().filter(|k| !b.contains_key(*k)));
            for key in keys.cloned().collect::<Vec<_>>() {
                let (x, y) = (a.get(&key), b.get(&key));
                at.push(Step::from(key));
                compare(
                    x.unwrap_or(&Json::Null),
                    y.unwrap_or(&Json::Null),
                    within,
                    at,
                    include,
                    out,
                );
                at.pop();
            }
        }
        (Json::Array(a), Json::Array(b)) => {
            for i in 0..a.len().max(b.len()) {
                at.push(Step::Index(i));
                match (a.get(i), b.get(i)) {
                    (Some(x), Some(y)) => compare(x, y, within, at, include, out),
                    (x, y) => out.push(field(within, at, x, y, include)),
                }
                at.pop();
            }
        }
        _ => out.push(field(within, at, Some(old), Some(new), include)),
    }
}

/// One changed field at `at` (within the place `within` of the case), with its values when they
/// are plain and may be shown.
fn field(
    within: &[&str],
    at: &[Step],
    old: Option<&Json>,
    new: Option<&Json>,
    include: &[String],
) -> Field {
    let keys: Vec<&str> = within.iter().copied().chain(keys_of(at)).collect();
    let shown = may_show(&keys, include);
    let old = old.filter(|v| !v.is_null());
    let new = new.filter(|v| !v.is_null());
    let plain = |v: Option<&Json>| {
        v.filter(|v| shown && !v.is_object() && !v.is_array())
            .cloned()
    };
    Field {
        // The root itself has no path here (`dotted` calls it "the case").
        path: if at.is_empty() {
            String::new()
        } else {
            dotted(at)
        },
        change: match (old, new) {
            (None, _) => FieldChange::Added,
            (_, None) => FieldChange::Removed,
            _ => FieldChange::Changed,
        },
        from: plain(old),
        to: plain(new),
    }
}

pub(super) fn object(value: &Json) -> Map<String, Json> {
    value.as_object().cloned().unwrap_or_default()
}
