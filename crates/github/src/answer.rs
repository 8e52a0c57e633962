//! The answers GitHub sends, as typed structs: a GraphQL response, its
//! `repository` and `repositoryOwner` objects, and the REST repository,
//! user and error objects. A field of the wrong type makes the object
//! malformed (the lookup is `unknown`), never a panic.

use archmanual_github_snapshot::RepoMeta;
use serde::Deserialize;
use serde_json::{Map, Value};

/// A GraphQL response: `data` keyed by alias (`r0`, `u1`, …), the errors,
/// and the `message` of a non-200 answer.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct GraphqlAnswer {
    #[serde(default)]
    pub(crate) data: Option<Map<String, Value>>,
    #[serde(default)]
    pub(crate) errors: Vec<GraphqlError>,
    #[serde(default)]
    pub(crate) message: Option<String>,
}

/// One GraphQL error; without a `path` it concerns the whole request.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct GraphqlError {
    #[serde(rename = "type", default)]
    pub(crate) kind: Option<String>,
    #[serde(default)]
    pub(crate) message: Option<String>,
    /// Aliases and fields (strings) or list indices (numbers).
    #[serde(default)]
    pub(crate) path: Vec<PathSegment>,
}

/// One step of a GraphQL error's `path`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum PathSegment {
    /// An alias or a field.
    Name(String),
    /// A list index, or anything else the server sends (not used).
    Other(serde::de::IgnoredAny),
}

impl GraphqlError {
    /// The alias this error is about, if any.
    pub(crate) fn alias(&self) -> Option<&str> {
        match self.path.first()? {
            PathSegment::Name(name) => Some(name),
            PathSegment::Other(_) => None,
        }
    }
}

/// The fields of the `R` fragment on `Repository`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct GraphqlRepo {
    name_with_owner: String,
    #[serde(default)]
    url: Option<String>,
    stargazer_count: u64,
    #[serde(default)]
    is_archived: Option<bool>,
    #[serde(default)]
    is_disabled: Option<bool>,
    #[serde(default)]
    is_fork: Option<bool>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    license_info: Option<SpdxId>,
    #[serde(default)]
    primary_language: Option<Name>,
    #[serde(default)]
    pushed_at: Option<String>,
    #[serde(default)]
    latest_release: Option<TagName>,
    #[serde(default)]
    database_id: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpdxId {
    #[serde(default)]
    spdx_id: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Name {
    #[serde(default)]
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TagName {
    #[serde(default)]
    tag_name: Option<String>,
}

impl GraphqlRepo {
    pub(crate) fn into_meta(self, fetched_at: &str) -> RepoMeta {
        let name_with_owner = self.name_with_owner;
        RepoMeta {
            url: self
                .url
                .unwrap_or_else(|| format!("https://github.com/{name_with_owner}")),
            name_with_owner,
            stars: self.stargazer_count,
            archived: self.is_archived.unwrap_or(false),
            disabled: self.is_disabled.unwrap_or(false),
            fork: self.is_fork.unwrap_or(false),
            description: self.description.filter(|d| !d.is_empty()),
            license: self.license_info.and_then(|l| l.spdx_id),
            language: self.primary_language.and_then(|l| l.name),
            pushed_at: self.pushed_at,
            latest_release: self.latest_release.and_then(|r| r.tag_name),
            database_id: self.database_id,
            fetched_at: fetched_at.to_owned(),
        }
    }
}

/// A GraphQL `repositoryOwner`.
#[derive(Debug, Deserialize)]
pub(crate) struct GraphqlOwner {
    pub(crate) login: String,
    pub(crate) url: String,
}

/// A REST user (its `url` is the API's; the page is `html_url`).
#[derive(Debug, Deserialize)]
pub(crate) struct RestUser {
    pub(crate) login: String,
    pub(crate) html_url: String,
}

/// A REST repository.
#[derive(Debug, Deserialize)]
pub(crate) struct RestRepo {
    full_name: String,
    #[serde(default)]
    html_url: Option<String>,
    stargazers_count: u64,
    #[serde(default)]
    archived: Option<bool>,
    #[serde(default)]
    disabled: Option<bool>,
    #[serde(default)]
    fork: Option<bool>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    license: Option<RestLicense>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    pushed_at: Option<String>,
    #[serde(default)]
    id: Option<u64>,
}

#[derive(Debug, Deserialize)]
struct RestLicense {
    #[serde(default)]
    spdx_id: Option<String>,
}

impl RestRepo {
    pub(crate) fn into_meta(self, fetched_at: &str) -> RepoMeta {
        let name_with_owner = self.full_name;
        RepoMeta {
            url: self
                .html_url
                .unwrap_or_else(|| format!("https://github.com/{name_with_owner}")),
            name_with_owner,
            stars: self.stargazers_count,
            archived: self.archived.unwrap_or(false),
            disabled: self.disabled.unwrap_or(false),
            fork: self.fork.unwrap_or(false),
            description: self.description.filter(|d| !d.is_empty()),
            license: self.license.and_then(|l| l.spdx_id),
            language: self.language,
            pushed_at: self.pushed_at,
            latest_release: None,
            database_id: self.id,
            fetched_at: fetched_at.to_owned(),
        }
    }
}

/// The `message` of a REST error, and the reason of a 451 block.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct RestError {
    #[serde(default)]
    pub(crate) message: Option<String>,
    #[serde(default)]
    pub(crate) block: Option<Block>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Block {
    #[serde(default)]
    pub(crate) reason: Option<String>,
}

/// `value` read as `T`; `None` if it does not have `T`'s shape.
pub(crate) fn read<'a, T: Deserialize<'a>>(value: &'a Value) -> Option<T> {
    T::deserialize(value).ok()
}

#[cfg(test)]
mod tests {
    use super::GraphqlAnswer;

    #[test]
    fn error_paths_name_their_alias_whatever_follows() {
        let answer: GraphqlAnswer = serde_json::from_str(
            r#"{"data":{"r0":null},"errors":[
                {"type":"NOT_FOUND","path":["r0"],"message":"Could not resolve"},
                {"path":[3,"name"]},
                {"path":["u1",0,1.5,null]},
                {"message":"whole request"}]}"#,
        )
        .unwrap();
        let aliases: Vec<Option<&str>> = answer.errors.iter().map(|e| e.alias()).collect();
        assert_eq!(aliases, [Some("r0"), None, Some("u1"), None]);
        assert_eq!(answer.errors[0].kind.as_deref(), Some("NOT_FOUND"));
    }
}
