//! JSON views of parameters, shared by the vector tests.

use ratelimit_headers::sf::{BareItem, Params};
use serde_json::{Map, Value, json};

/// A parameter value in the vectors' notation.
pub fn param_json(v: BareItem<'_>) -> Value {
    match v {
        BareItem::Integer(i) => json!(i),
        BareItem::Decimal(d) => json!(d.milli() as f64 / 1000.0),
        BareItem::String(s) => json!(s.to_string()),
        BareItem::Token(t) => json!({ "token": t }),
        BareItem::ByteSequence(b) => json!({ "binary_b64": b.base64() }),
        BareItem::Boolean(b) => json!(b),
    }
}

/// The distinct parameters of a view as a JSON object.
pub fn params_json(p: Params<'_>) -> Value {
    Value::Object(
        p.iter()
            .map(|(k, v)| (k.to_string(), param_json(v)))
            .collect::<Map<_, _>>(),
    )
}
