//! The mdBook 0.5 preprocessor JSON contract, pinned.
//!
//! **CAUTION**: the input below is what mdBook 0.5.4 sends (captured from a
//! real run); do not edit it unless mdBook's wire format changes (0.6).

use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::workspace_bin;

const INPUT: &str = r##"[{"root":"/book","config":{"book":{"title":"Contract","authors":[],"description":null,"language":"zh-CN","text-direction":null},"preprocessor":{"catalog":{"command":"mdbook-catalog"}}},"renderer":"html","mdbook_version":"0.5.4"},{"items":[{"Chapter":{"name":"简介","content":"# 简介\n\n正文。\n","number":null,"sub_items":[],"path":"index.md","source_path":"README.md","parent_names":[]}},"Separator",{"PartTitle":"技术主题"},{"Chapter":{"name":"后端主题","content":"","number":[1],"sub_items":[{"Chapter":{"name":"消息队列","content":"# 消息队列\n\n消息队列解耦服务。\n\n- [Kafka](https://github.com/apache/kafka) - 分布式日志。\n","number":[1,1],"sub_items":[],"path":"backend/mq/index.md","source_path":"backend/mq/index.md","parent_names":["后端主题"]}}],"path":null,"source_path":null,"parent_names":[]}}]}]"##;

fn run_preprocessor(name: &str) -> serde_json::Value {
    let mut child = Command::new(workspace_bin(name))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(INPUT.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is exactly the Book JSON")
}

#[test]
fn catalog_speaks_the_05_protocol() {
    let book = run_preprocessor("mdbook-catalog");
    let items = book["items"].as_array().expect("items");
    // Every item kind survives untouched, in order.
    assert_eq!(items[0]["Chapter"]["source_path"], "README.md");
    assert_eq!(items[1], "Separator");
    assert_eq!(items[2]["PartTitle"], "技术主题");
    // The draft became a page at a virtual path, its children kept.
    let theme = &items[3]["Chapter"];
    assert_eq!(theme["path"], "backend/index.md");
    assert_eq!(theme["source_path"], serde_json::Value::Null);
    assert_eq!(theme["number"], serde_json::json!([1]));
    assert!(
        theme["content"]
            .as_str()
            .unwrap()
            .contains("[消息队列](mq/index.md)")
    );
    assert_eq!(
        theme["sub_items"][0]["Chapter"]["parent_names"],
        serde_json::json!(["后端主题"])
    );
    // The Chapter object has exactly mdBook 0.5's fields.
    let mut keys: Vec<&str> = theme
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "content",
            "name",
            "number",
            "parent_names",
            "path",
            "source_path",
            "sub_items"
        ]
    );
}

#[test]
fn supports_every_renderer() {
    for renderer in ["html", "markdown", "test"] {
        let status = Command::new(workspace_bin("mdbook-catalog"))
            .args(["supports", renderer])
            .status()
            .expect("runs");
        assert!(status.success(), "catalog must support {renderer}");
    }
}

#[test]
fn github_and_protocol_keep_the_book_shape() {
    for name in ["mdbook-github", "mdbook-protocol"] {
        let book = run_preprocessor(name);
        let items = book["items"].as_array().expect("items");
        assert_eq!(items.len(), 4, "{name} keeps every item");
        assert_eq!(items[1], "Separator", "{name}");
        assert_eq!(items[2]["PartTitle"], "技术主题", "{name}");
        // Neither turns the draft into a page: that is the catalog's job.
        assert_eq!(
            items[3]["Chapter"]["path"],
            serde_json::Value::Null,
            "{name}"
        );
        let mq = &items[3]["Chapter"]["sub_items"][0]["Chapter"];
        assert!(
            mq["content"]
                .as_str()
                .unwrap()
                .contains("https://github.com/apache/kafka"),
            "{name}"
        );
    }
}
