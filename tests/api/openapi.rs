/// The committed `frontend/openapi.json` is what the SPA's types are generated from: it must match
/// the API the server really has. Regenerate with
/// `cargo run -- export-openapi -o frontend/openapi.json`.
#[test]
fn committed_openapi_document_is_current() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/frontend/openapi.json"))
        .expect("frontend/openapi.json is committed");
    let current = skillmark::openapi::document();
    assert!(
        committed == current,
        "frontend/openapi.json is out of date: run `cargo run -- export-openapi -o frontend/openapi.json` and commit it"
    );
}

#[test]
fn every_operation_documents_its_errors_as_problem_json() {
    let doc: serde_json::Value = serde_json::from_str(&skillmark::openapi::document()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, response) in op["responses"].as_object().unwrap() {
                if status.starts_with('4') || status.starts_with('5') {
                    let content = response["content"].as_object();
                    assert!(
                        content.is_some_and(|c| c.contains_key("application/problem+json")),
                        "{method} {path} {status} should be application/problem+json"
                    );
                }
            }
        }
    }
}
