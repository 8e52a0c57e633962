//! `POST /graphql`: aliased `repository` / `repositoryOwner` selections,
//! parsed just far enough to answer what the client sends.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::State;
use crate::http::{Answer, answer, now_secs};

/// Answers a GraphQL request: 401 without a valid token, else data and
/// per-alias errors.
pub(crate) fn graphql(state: &State, authorization: Option<&str>, body: &[u8]) -> Answer {
    let token = authorization.and_then(|a| {
        a.strip_prefix("bearer ")
            .or_else(|| a.strip_prefix("Bearer "))
            .or_else(|| a.strip_prefix("token "))
    });
    let authorized = match (&state.config.token, token) {
        (_, None) => false,
        (None, Some(t)) => !t.is_empty(),
        (Some(want), Some(t)) => want == t,
    };
    if !authorized {
        let message = if token.is_none() {
            "This endpoint requires you to be authenticated."
        } else {
            "Bad credentials"
        };
        return answer(
            401,
            &[],
            &json!({ "message": message, "documentation_url": "https://docs.github.com/graphql" }),
        );
    }
    let limits = [
        ("x-ratelimit-limit", "5000".to_owned()),
        ("x-ratelimit-remaining", "4990".to_owned()),
        ("x-ratelimit-reset", (now_secs() + 3600).to_string()),
        ("x-ratelimit-resource", "graphql".to_owned()),
    ];
    let request: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let query = request.get("query").and_then(Value::as_str).unwrap_or("");
    let variables = request.get("variables").cloned().unwrap_or(Value::Null);
    let Some(selections) = parse_selections(query, &variables) else {
        return answer(
            200,
            &limits,
            &json!({ "errors": [{ "message": "Parse error on the query" }] }),
        );
    };
    let world = match state.world.lock() {
        Ok(w) => w.clone(),
        Err(_) => return answer(500, &[], &json!({ "message": "poisoned" })),
    };
    let mut data = serde_json::Map::new();
    let mut errors = Vec::new();
    for s in selections {
        let value = match s.field.as_str() {
            "repository" => {
                let owner = s.args.get("owner").cloned().unwrap_or_default();
                let name = s.args.get("name").cloned().unwrap_or_default();
                let key = format!("{owner}/{name}");
                if world.blocked.contains(&key.to_ascii_lowercase()) {
                    errors.push(json!({
                        "type": "FORBIDDEN", "path": [s.alias],
                        "message": "Repository access blocked"
                    }));
                    Value::Null
                } else if let Some(repo) = world.resolve(&key) {
                    repo.graphql()
                } else {
                    errors.push(json!({
                        "type": "NOT_FOUND", "path": [s.alias],
                        "locations": [{ "line": 1, "column": 1 }],
                        "message": format!("Could not resolve to a Repository with the name '{key}'.")
                    }));
                    Value::Null
                }
            }
            "repositoryOwner" => {
                let login = s.args.get("login").cloned().unwrap_or_default();
                if world.owners.contains(&login.to_ascii_lowercase()) {
                    json!({ "login": login, "url": format!("https://github.com/{login}") })
                } else {
                    errors.push(json!({
                        "type": "NOT_FOUND", "path": [s.alias],
                        "message": format!("Could not resolve to a RepositoryOwner with the login of '{login}'.")
                    }));
                    Value::Null
                }
            }
            _ => Value::Null,
        };
        data.insert(s.alias, value);
    }
    let mut out = json!({ "data": data });
    if !errors.is_empty() {
        out["errors"] = Value::Array(errors);
    }
    answer(200, &limits, &out)
}

/// One top-level field of a query: `alias: field(arg: value, …)`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Selection {
    alias: String,
    field: String,
    args: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Name(String),
    Var(String),
    Str(String),
    Punct(char),
}

/// Just enough of GraphQL's lexer for the queries clients send; `None` on
/// an unterminated string.
fn tokenize(query: &str) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    let mut chars = query.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() || c == ',' {
            chars.next();
        } else if c == '#' {
            while chars.next().is_some_and(|c| c != '\n') {}
        } else if c == '$' || c == '_' || c.is_ascii_alphabetic() {
            chars.next();
            let mut name = String::new();
            if c != '$' {
                name.push(c);
            }
            while let Some(&d) = chars.peek() {
                if d == '_' || d.is_ascii_alphanumeric() {
                    name.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(if c == '$' {
                Tok::Var(name)
            } else {
                Tok::Name(name)
            });
        } else if c == '"' {
            chars.next();
            let mut s = String::new();
            loop {
                match chars.next()? {
                    '"' => break,
                    '\\' => s.push(chars.next()?),
                    d => s.push(d),
                }
            }
            out.push(Tok::Str(s));
        } else {
            chars.next();
            out.push(Tok::Punct(c));
        }
    }
    Some(out)
}

/// Finds `alias: repository(…)` / `alias: repositoryOwner(…)` selections
/// (aliases are required, as the client always sends them) and resolves
/// their arguments from literals or variables.
fn parse_selections(query: &str, variables: &Value) -> Option<Vec<Selection>> {
    let toks = tokenize(query)?;
    let mut out = Vec::new();
    let mut i = 0;
    while i + 3 < toks.len() {
        let is_field = matches!(
            (&toks[i], &toks[i + 1], &toks[i + 2], &toks[i + 3]),
            (Tok::Name(_), Tok::Punct(':'), Tok::Name(f), Tok::Punct('('))
                if f == "repository" || f == "repositoryOwner"
        );
        if !is_field {
            i += 1;
            continue;
        }
        let (Tok::Name(alias), Tok::Name(field)) = (&toks[i], &toks[i + 2]) else {
            unreachable!("checked above")
        };
        let mut args = BTreeMap::new();
        let mut j = i + 4;
        while j + 2 < toks.len() && toks[j] != Tok::Punct(')') {
            let (Tok::Name(key), Tok::Punct(':')) = (&toks[j], &toks[j + 1]) else {
                return None;
            };
            let value = match &toks[j + 2] {
                Tok::Str(s) => s.clone(),
                Tok::Var(v) => variables.get(v)?.as_str()?.to_owned(),
                _ => return None,
            };
            args.insert(key.clone(), value);
            j += 3;
        }
        out.push(Selection {
            alias: alias.clone(),
            field: field.clone(),
            args,
        });
        i = j + 1;
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selections_resolve_variables_and_literals() {
        let q = "query Q($o: String!, $n: String!) { a0: repository(owner: $o, name: $n) { ...R } \
                 b1: repositoryOwner(login: \"etcd-io\") { login } } fragment R on Repository { url }";
        let s = parse_selections(q, &json!({ "o": "apache", "n": "kafka" })).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].alias, "a0");
        assert_eq!(s[0].args["owner"], "apache");
        assert_eq!(s[0].args["name"], "kafka");
        assert_eq!(s[1].field, "repositoryOwner");
        assert_eq!(s[1].args["login"], "etcd-io");
        assert!(parse_selections("{ viewer { login } }", &Value::Null).is_none());
        assert!(parse_selections("{ a: repository(owner: $x) { url } }", &json!({})).is_none());
    }
}
