//! RFC 6902 JSON Patch: applied (by the `json-patch` crate, one operation at a time, so an error
//! names the operation) and computed between two documents. Tests: `tests.rs`.

use serde_json::Value;

use super::json_equal;

/// `doc` after an RFC 6902 JSON Patch; the error names the operation that does not apply.
/// Operations go to the json-patch crate one at a time, but for `test`, checked here: RFC 6902
/// compares numbers by value (`2` is `2.0`), the crate does not.
pub fn json_patch_apply(doc: &Value, ops: &[Value]) -> Result<Value, String> {
    use json_patch::{PatchErrorKind, PatchOperation};
    let mut d = doc.clone();
    for (i, op) in ops.iter().enumerate() {
        let name = op["op"].as_str().unwrap_or("");
        let path = op["path"].as_str().unwrap_or("");
        let fail = |e: String| format!("operation {} ({name} {path}): {e}", i + 1);
        let parsed: PatchOperation = serde_json::from_value(op.clone()).map_err(|e| {
            fail(format!(
                "not an RFC 6902 operation with a JSON pointer path: {e}"
            ))
        })?;
        if let PatchOperation::Test(t) = &parsed {
            match d.pointer(t.path.as_str()) {
                Some(have) if json_equal(have, &t.value) => continue,
                Some(have) => return Err(fail(format!("the value is {have}, not {}", t.value))),
                None => return Err(fail("there is no value there".into())),
            }
        }
        json_patch::patch(&mut d, std::slice::from_ref(&parsed)).map_err(|e| {
            fail(match e.kind {
                PatchErrorKind::InvalidPointer => "the path leads nowhere: no such member, or an \
                     array index that is malformed or out of bounds"
                    .into(),
                PatchErrorKind::InvalidFromPointer => "there is no value at its from".into(),
                PatchErrorKind::CannotMoveInsideItself => {
                    "a value cannot be moved into itself".into()
                }
                other => other.to_string(),
            })
        })?;
    }
    Ok(d)
}

/// The JSON Patch operations that turn `before` into `after`.
pub fn json_diff_ops(before: &Value, after: &Value) -> Vec<Value> {
    json_patch::diff(before, after)
        .0
        .iter()
        .map(|op| serde_json::to_value(op).expect("a JSON Patch operation serializes"))
        .collect()
}
