//! Prints the model of a Markdown file as JSON (debugging aid).
#![allow(clippy::print_stdout, reason = "example binary")]
fn main() {
    let path = std::env::args().nth(1).expect("usage: dump FILE");
    let bytes = std::fs::read(&path).expect("readable file");
    let doc = archmanual_model::Document::parse(
        String::from_utf8_lossy(&bytes).into_owned(),
        &archmanual_model::ParseOptions::default(),
    );
    println!(
        "{}",
        serde_json::to_string_pretty(&doc).expect("serializable")
    );
}
