//! How server functions send their results: JSON, read in the browser from text.
//!
//! Leptos' default result encoding reads JSON from bytes (`serde_json::from_slice`) while resources read their
//! hydration data from text (`serde_json::from_str`): every result type then had its JSON reader compiled twice into
//! the WASM. Reading both from text keeps one copy (BENCHMARKS.md, « Weight »). The wire format is unchanged.

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// JSON decoded from text: see the module's documentation.
pub struct JsonTextEncoding;

impl ContentType for JsonTextEncoding {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonTextEncoding {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonTextEncoding {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonTextEncoding {
    type Error = serde_json::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(<serde_json::Error as serde::de::Error>::custom)?;
        serde_json::from_str(text)
    }
}

/// The result encoding of every CERES server function (`#[server(…, output = JsonText)]`).
pub type JsonText = Post<JsonTextEncoding>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_round_trip_and_bad_text_is_an_error() {
        let bytes = <JsonTextEncoding as Encodes<Vec<String>>>::encode(&vec!["Floirac".to_owned()]).expect("encodes");
        let back: Vec<String> = <JsonTextEncoding as Decodes<Vec<String>>>::decode(bytes).expect("decodes");
        assert_eq!(back, vec!["Floirac".to_owned()]);
        let invalid_utf8 = Bytes::from_static(b"[\"\xff\"]");
        assert!(<JsonTextEncoding as Decodes<Vec<String>>>::decode(invalid_utf8).is_err());
        assert!(<JsonTextEncoding as Decodes<Vec<String>>>::decode(Bytes::from_static(b"[1]")).is_err());
    }
}
