//! The rule reference, `book/contributing/lint.md`, generated from the rules'
//! doc comments and the delegated codes' table (a test keeps the committed
//! page up to date).

use crate::{Severity, codes, rules};

/// How users steer lint: selectors, `lint.toml`, suppression comments.
const STEERING: &str = "\
## 选择规则、按文件忽略与抑制注释 {#steering}

和 ruff 一样，可以只运行一部分规则。代码可以写完整（`AM013`、`GH002`、`PD005`），也可以写前缀
（`AM`、`AM0`、`GH`、`PD`），`ALL` 表示全部；AM017、AM019 转报的 `GHnnn`、`PDnnn` 也能逐个选择。

- `--select AM013,AM005`：只报告这些代码（逗号分隔，可重复写）；`--ignore AM020`：不报告这些代码。
  同时匹配时更具体的一方胜出，一样具体时 `ignore` 胜出：`--select AM --ignore AM013` 报告除 AM013
  以外的 AM 代码，`--select AM013 --ignore AM0` 只报告 AM013。转报的代码算作其规则的下一级：
  `--ignore AM017 --select GH002` 只报告 GH002，`--select AM --ignore GH` 不报告任何 `GHnnn`。
  不认识的代码或前缀是用法错误（退出码 2），错误信息列出可用的前缀。`archmanual review` 接受同样的参数。
- 书的根目录（`book.toml` 旁边）可以放一个 `lint.toml`（mdBook 不接受 `book.toml` 里的未知表，
  `[preprocessor.*]` 又会让 mdBook 去运行命令，所以和 `linkrot.toml` 一样单独放）：

  ```toml
  select = [\"ALL\"]                  # 默认 ALL
  ignore = [\"AM020\"]

  [per-file-ignores]                # 相对 src 的 glob = 代码或前缀
  \"changelog/**\" = [\"AM013\"]
  \"diagrams.md\" = [\"PD\"]            # 不含 / 的模式匹配任何目录下的同名文件
  ```

  命令行的 `--select` 会替换文件里的 `select` 和 `ignore`（从头选择），只写 `--ignore` 则在文件的选择之上再关掉这些代码；
  `per-file-ignores` 总是生效。写错的键或代码会报告 `lint.toml:行:列` 以及应该怎么写。
- 页面里的抑制注释（读者看不到）：`<!-- archmanual-lint-disable AM013 -->` …… `<!-- archmanual-lint-enable AM013 -->`
  之间不报告 AM013（不写代码表示全部代码）；`<!-- archmanual-lint-disable-next-line AM013 -->` 只管下一个非空行。
  没有抑制任何问题的注释、写错的代码会被 [AM021](#am021) 报告。能修的问题请直接修；整类页面都不适用的检查写进 `lint.toml`。

每个代码的级别就是用户看到的级别：终端、JSON、SARIF（`level`）、rdjson 和 GitHub 注解都用本页写的级别。
";

/// The book page documenting every rule (Chinese, mdBook Markdown).
pub fn rules_page() -> String {
    let mut out = String::new();
    out.push_str("# 检查规则（archmanual lint）\n\n");
    out.push_str(
        "<!-- 本页由 crates/lint/src/docs.rs 根据各规则的文档注释生成，请勿手工编辑。\n     \
         更新：UPDATE_LINT_DOCS=1 cargo test -p archmanual-lint --test docs -->\n\n",
    );
    out.push_str(
        "提交前在仓库根目录运行 `cargo run --release -- lint`，它会检查 `book/` 下的全部页面，\
         按 rustc 的格式给出文件、行、列、原文片段和修改建议。带 `--fix` 运行会自动应用能精确修复的问题\
         （改名的仓库、`http://`、已知的错拼等），只改动出问题的那几个字符，不会重排其他内容。\n\n",
    );
    out.push_str(
        "- `--format human|json|sarif|github|rdjson|markdown`：分别用于终端、脚本、GitHub 代码扫描、\
         GitHub Actions 注解、reviewdog 和 `$GITHUB_STEP_SUMMARY`；\n\
         - 退出码：没有错误为 0，有错误（error）为 1，用法或内部错误为 2；警告（warning）不影响退出码；\n\
         - `--lang zh|en`：问题说明、建议和修复行用哪种语言，默认跟随 book.toml 的 `[book] language`\
         （`zh`、`zh-CN`、`zh-TW` 等为中文，其他为英文），`archmanual review` 也接受这个参数。\
         修复行写成“原文 → 替换后”，例如 `` `Kakfa` → `Kafka` ``。JSON 和 SARIF 的 `message` 始终是英文，\
         便于脚本比对；语言不是英文时，JSON 另给 `message_localized` 和 `help_localized`，\
         SARIF 把译文放在结果的 `properties.messageLocalized` 和 `properties.helpLocalized` 里。\
         中文取自 `crates/lint/src/i18n/zh.txt`：每条英文信息对应一个模板，新增或修改规则的信息时要在那里加上译文，\
         否则 `cargo test -p archmanual-lint --test i18n` 会失败；\n\
         - `archmanual review --base <提交>` 报告当前分支**新增**的问题：它分别检查基准提交和当前工作区，\
         只有基准上没有的问题才算新增（按代码、文件、信息和所在行的文字匹配，所以只是挪了位置的旧问题不算）。\
         新增问题在改动过的行上时成为行内评论（能自动修复的附带修改建议）；不在改动行上的——例如改了标题，\
         别的页面里指向它的链接断了——在评论正文里逐条列出位置；基准上已有的问题只给出数量。有新增问题时退出码为 1。\
         本地运行可用 `--format human`（终端）或 `--format markdown`；CI 用默认的 `github-review` 格式加 `--post` \
         在拉取请求上留下一条评审。\n\n",
    );
    out.push_str(STEERING);
    out.push('\n');
    out.push_str("| 代码 | 名称 | 级别 | 检查什么 |\n| --- | --- | --- | --- |\n");
    for r in rules() {
        let m = r.meta();
        out.push_str(&format!(
            "| [{}](#{}) | `{}` | {} | {} |\n",
            m.code,
            m.code.to_ascii_lowercase(),
            m.name,
            rule_severity(m),
            escape(&m.summary()).replace('|', "\\|")
        ));
    }
    for r in rules() {
        let m = r.meta();
        out.push_str(&format!(
            "\n## {} {} {{#{}}}\n\n级别：{}。{}\n",
            m.code,
            m.name,
            m.code.to_ascii_lowercase(),
            rule_severity(m),
            escape(&m.summary())
        ));
        let doc = m.doc_text();
        let body = doc.split_once('\n').map_or("", |(_, b)| b);
        for line in body.lines() {
            // The rule's `##` sections become `###` on the page.
            if line.starts_with("## ") {
                out.push('#');
            }
            out.push_str(&escape(line));
            out.push('\n');
        }
        let mut delegated = codes::delegated_by(m.code).peekable();
        if delegated.peek().is_some() {
            out.push_str(&format!(
                "\n### 代码与级别\n\n{} 转报的代码各有自己的级别，`--select`、`--ignore`、`lint.toml` 和抑制注释都可以逐个指定它们：\n\n\
                 | 代码 | 名称 | 级别 | 说明 |\n| --- | --- | --- | --- |\n",
                m.code
            ));
            for d in delegated {
                out.push_str(&format!(
                    "| {} | `{}` | {} | {} |\n",
                    d.code,
                    d.name,
                    severity_zh(d.severity),
                    escape(d.summary).replace('|', "\\|")
                ));
            }
        }
    }
    out.push_str(BUILD_CODES);
    out
}

/// The codes only the build prints (the catalog preprocessor's `CATnnn`),
/// so a contributor who meets one in `mdbook build` output finds it here.
/// `GHnnn` and `PDnnn` are in the tables of AM017 and AM019 above; a test
/// in `mdbook-catalog` keeps this list equal to its codes.
const BUILD_CODES: &str = "
## 构建时的代码（CATnnn） {#build-codes}

下面这些代码只在构建（`archmanual build`、`mdbook build`）时由目录预处理器 `mdbook-catalog` 给出；
其中条目格式的问题 `archmanual lint` 会用 AM 代码更早地报告。构建时的 `GHnnn`、`PDnnn` 与上面
AM017、AM019 表中的同名代码相同；`GH000`（没有仓库快照）在构建时是警告，在 lint 中是一条提示。

| 代码 | 级别 | 说明 | lint 中对应 |
| --- | --- | --- | --- |
| CAT001 | 错误 | 条目格式不对（缺链接、缺说明、嵌套条目、未知字段、普通列表项混在条目列表里）；由输入法打出的全角括号造成时，信息与 AM015 相同 | AM006、AM008、AM009、AM015 |
| CAT002 | 警告 | 生成的索引页下面没有任何分类或条目 | — |
| CAT003 | 错误 | `\\{{#catalog …}}` 带了不认识的参数（只接受空或 `map`） | — |
| CAT004 | 警告 | `order = \"stars\"` 但找不到仓库快照，条目按书写顺序排列 | — |
| CAT005 | 错误 | `\\{{#catalog}}` 没有独占一行，或者一页里写了不止一个 | — |
";

/// The rule's severity, or for rules that report delegated codes a pointer
/// to their table (the rule's own code is never reported).
fn rule_severity(m: &crate::RuleMeta) -> &'static str {
    if codes::delegated_by(m.code).next().is_some() {
        "按代码（见“代码与级别”）"
    } else {
        severity_zh(m.severity)
    }
}

fn severity_zh(s: Severity) -> &'static str {
    match s {
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Note => "提示",
    }
}

/// Escapes `{{#` so mdBook's `links` preprocessor leaves the text alone.
fn escape(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(i) = rest.find("{{#") {
        out.push_str(&rest[..i]);
        if !out.ends_with('\\') {
            out.push('\\');
        }
        out.push_str("{{#");
        rest = &rest[i + 3..];
    }
    out.push_str(rest);
    out
}
