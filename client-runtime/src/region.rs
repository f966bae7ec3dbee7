//! Base URLs from the spec's servers: the server whose variable `enum`s allow the values
//! set (the region catalogue), region overrides from the environment and the regions
//! file as the official SDK reads them, and close matches for an unknown value.
//!
//! Precedence, for a service with no explicit endpoint, when the `region` variable is
//! set: `HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION}` (the service's name and the region
//! id upper-cased, `-` as `_`; the first of comma-separated URLs), then the regions file
//! (`HUAWEICLOUD_SDK_REGIONS_FILE`, else `~/.huaweicloud/regions.yaml`), then the
//! catalogue. This is the order of the SDK's `RegionProviderChain` before its static
//! regions.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::config::{Config, Lookup};
use super::BuildError;

/// A server URL template from the spec and its variables.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerTemplate {
    pub url: &'static str,
    pub variables: &'static [ServerVariable],
}

/// A variable of a server URL template: its default and, when the spec lists them
/// (`enum`), the values this server takes.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerVariable {
    pub name: &'static str,
    pub default: &'static str,
    /// Empty: any value.
    pub allowed: &'static [&'static str],
}

/// The server variable that region overrides apply to.
const REGION: &str = "region";
const ENV_REGION_PREFIX: &str = "HUAWEICLOUD_SDK_REGION";
const ENV_REGIONS_FILE: &str = "HUAWEICLOUD_SDK_REGIONS_FILE";

/// The region overrides of the environment and the regions file, read once per client.
pub(crate) struct RegionOverrides {
    lookup: Lookup,
    /// `None` until first needed; then the file's endpoints by `SERVICE` + region id.
    file: Option<BTreeMap<String, String>>,
}

impl RegionOverrides {
    pub(crate) fn new(lookup: Lookup) -> Self {
        RegionOverrides { lookup, file: None }
    }

    /// The endpoint that overrides `region` for `service`, if any.
    fn get(&mut self, service: &str, region: &str) -> Result<Option<String>, BuildError> {
        let service = service.to_ascii_uppercase();
        let name = format!(
            "{ENV_REGION_PREFIX}_{service}_{}",
            region.replace('-', "_").to_ascii_uppercase()
        );
        if let Some(value) = (self.lookup)(&name) {
            if let Some(url) = first_endpoint(&value) {
                return Ok(Some(url));
            }
        }
        if self.file.is_none() {
            self.file = Some(self.read_file()?);
        }
        Ok(self
            .file
            .as_ref()
            .and_then(|file| file.get(&format!("{service}{region}")).cloned()))
    }

    fn file_path(&self) -> Option<PathBuf> {
        if let Some(path) = (self.lookup)(ENV_REGIONS_FILE).filter(|v| !v.is_empty()) {
            return Some(PathBuf::from(path));
        }
        super::credentials::home_dir(&*self.lookup)
            .map(|home| home.join(".huaweicloud").join("regions.yaml"))
    }

    /// Reads the regions file (`regions_file`: a map from service name to a list of
    /// `{id, endpoint}` or `{id, endpoints: [..]}`); a missing file is no override.
    fn read_file(&self) -> Result<BTreeMap<String, String>, BuildError> {
        let mut out = BTreeMap::new();
        let Some(path) = self.file_path() else {
            return Ok(out);
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(out),
            Err(err) => {
                return Err(BuildError::Environment(format!(
                    "cannot read the regions file {}: {err}",
                    path.display()
                )))
            }
        };
        let parsed = super::regions_file::parse(&text).map_err(|err| {
            BuildError::Environment(format!("the regions file {}: {err}", path.display()))
        })?;
        for (service, regions) in parsed {
            for region in regions {
                let Some(id) = region.id.filter(|id| !id.is_empty()) else {
                    continue;
                };
                let mut endpoints = region.endpoints.unwrap_or_default();
                endpoints.extend(region.endpoint);
                if let Some(url) = endpoints.iter().find_map(|e| first_endpoint(e)) {
                    out.insert(format!("{}{id}", service.to_ascii_uppercase()), url);
                }
            }
        }
        Ok(out)
    }
}

/// The first of comma-separated endpoints (the SDK fails over between them; this
/// client uses the first).
fn first_endpoint(value: &str) -> Option<String> {
    value
        .split(',')
        .map(str::trim)
        .find(|url| !url.is_empty())
        .map(str::to_string)
}

/// The base URL of `service` whose servers are `candidates`: its explicit endpoint, a
/// region override, or the first server that takes every variable set.
pub(crate) fn base_url(
    config: &Config,
    overrides: &mut RegionOverrides,
    service: &str,
    candidates: &[ServerTemplate],
) -> Result<String, BuildError> {
    if let Some(url) = config.endpoints.get(service) {
        return Ok(url.trim_end_matches('/').to_string());
    }
    let Some(first) = candidates.first() else {
        return Err(BuildError::Missing(format!(
            "service `{service}` has no server in the spec: set one with ClientBuilder::endpoint"
        )));
    };
    let takes_region = candidates
        .iter()
        .any(|c| c.variables.iter().any(|v| v.name == REGION));
    if let Some(region) = config.variables.get(REGION).filter(|_| takes_region) {
        if let Some(url) = overrides.get(service, region)? {
            return Ok(url.trim_end_matches('/').to_string());
        }
    }
    let takes = |candidate: &ServerTemplate| {
        candidate.variables.iter().all(|variable| {
            variable.allowed.is_empty()
                || config
                    .variables
                    .get(variable.name)
                    .is_none_or(|value| variable.allowed.contains(&value.as_str()))
        })
    };
    let Some(server) = candidates.iter().find(|c| takes(c)) else {
        return Err(unknown_value(config, service, candidates, first));
    };
    let mut url = server.url.to_string();
    for variable in server.variables {
        let value = config
            .variables
            .get(variable.name)
            .map(String::as_str)
            .unwrap_or(variable.default);
        url = url.replace(&format!("{{{}}}", variable.name), value);
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// The error for a variable value no server takes, with the closest allowed values.
fn unknown_value(
    config: &Config,
    service: &str,
    candidates: &[ServerTemplate],
    first: &ServerTemplate,
) -> BuildError {
    // The first variable set whose value no server's `enum` lists.
    let mut allowed_by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for variable in candidates.iter().flat_map(|c| c.variables) {
        allowed_by_name
            .entry(variable.name)
            .or_default()
            .extend(variable.allowed.iter().copied());
    }
    let culprit = first
        .variables
        .iter()
        .chain(candidates.iter().flat_map(|c| c.variables))
        .find_map(|variable| {
            let value = config.variables.get(variable.name)?;
            let allowed = allowed_by_name.get(variable.name)?;
            (!allowed.is_empty() && !allowed.contains(&value.as_str()))
                .then(|| (variable.name, value.clone(), allowed.clone()))
        });
    let (variable, value, allowed) = culprit.unwrap_or_else(|| {
        // Each value is allowed by some server, but no server takes them together.
        let set: Vec<String> = config
            .variables
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        (REGION, set.join(", "), Vec::new())
    });
    let mut known: Vec<&str> = allowed.clone();
    known.sort_unstable();
    known.dedup();
    BuildError::UnknownServerVariable {
        service: service.to_string(),
        variable: variable.to_string(),
        close: close_matches(&value, &known),
        known: known.len(),
        value,
    }
}

/// Up to three allowed values nearest to `value` by edit distance, nearest first.
pub(crate) fn close_matches(value: &str, allowed: &[&str]) -> Vec<String> {
    let limit = (value.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = allowed
        .iter()
        .map(|candidate| (edit_distance(value, candidate), *candidate))
        .filter(|(distance, _)| *distance <= limit)
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const COM: ServerTemplate = ServerTemplate {
        url: "https://svc.{region}.example.com",
        variables: &[ServerVariable {
            name: "region",
            default: "r-north-4",
            allowed: &["r-north-1", "r-north-4", "r-east-3"],
        }],
    };
    const EU: ServerTemplate = ServerTemplate {
        url: "https://svc.{region}.example.eu",
        variables: &[ServerVariable {
            name: "region",
            default: "eu-west-101",
            allowed: &["eu-west-101"],
        }],
    };

    fn config(region: Option<&str>, env: &'static [(&'static str, &'static str)]) -> Config {
        let config = Config::default().environment(move |name| {
            env.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        });
        match region {
            Some(region) => config.server_variable("region", region),
            None => config,
        }
    }

    fn resolve(config: &Config) -> Result<String, BuildError> {
        let mut overrides = RegionOverrides::new(config.lookup.clone());
        base_url(config, &mut overrides, "Svc", &[COM, EU])
    }

    #[test]
    fn the_server_whose_enum_lists_the_region_is_chosen() {
        assert_eq!(
            resolve(&config(Some("r-east-3"), &[])).unwrap(),
            "https://svc.r-east-3.example.com"
        );
        assert_eq!(
            resolve(&config(Some("eu-west-101"), &[])).unwrap(),
            "https://svc.eu-west-101.example.eu"
        );
        assert_eq!(
            resolve(&config(None, &[])).unwrap(),
            "https://svc.r-north-4.example.com"
        );
    }

    #[test]
    fn an_unknown_region_lists_close_matches() {
        let err = resolve(&config(Some("r-nort-4"), &[])).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("unknown region `r-nort-4` for service `Svc`"),
            "{text}"
        );
        assert!(text.contains("did you mean `r-north-4`"), "{text}");
        match err {
            BuildError::UnknownServerVariable { close, known, .. } => {
                assert_eq!(close[0], "r-north-4");
                assert_eq!(known, 4);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn an_explicit_endpoint_wins_over_an_unknown_region() {
        let config = config(Some("nowhere"), &[]).endpoint("Svc", "http://127.0.0.1:9/");
        assert_eq!(resolve(&config).unwrap(), "http://127.0.0.1:9");
    }

    #[test]
    fn the_environment_overrides_and_adds_regions() {
        let env = &[(
            "HUAWEICLOUD_SDK_REGION_SVC_R_NEW_1",
            "https://a.test, https://b.test",
        )];
        assert_eq!(
            resolve(&config(Some("r-new-1"), env)).unwrap(),
            "https://a.test"
        );
    }

    #[test]
    fn the_regions_file_overrides_after_the_environment() {
        let dir = std::env::temp_dir().join(format!("regions-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("regions.yaml");
        std::fs::write(
            &file,
            "SVC:\n  - id: r-file-1\n    endpoint: https://file.test\n  - id: r-east-3\n    endpoints: [https://e1.test, https://e2.test]\n",
        )
        .unwrap();
        let path: &'static str = Box::leak(file.display().to_string().into_boxed_str());
        let env: &'static [(&'static str, &'static str)] =
            Box::leak(Box::new([("HUAWEICLOUD_SDK_REGIONS_FILE", path)]));
        assert_eq!(
            resolve(&config(Some("r-file-1"), env)).unwrap(),
            "https://file.test"
        );
        assert_eq!(
            resolve(&config(Some("r-east-3"), env)).unwrap(),
            "https://e1.test"
        );
        let both: &'static [(&'static str, &'static str)] = Box::leak(Box::new([
            ("HUAWEICLOUD_SDK_REGIONS_FILE", path),
            ("HUAWEICLOUD_SDK_REGION_SVC_R_FILE_1", "https://env.test"),
        ]));
        assert_eq!(
            resolve(&config(Some("r-file-1"), both)).unwrap(),
            "https://env.test"
        );
        std::fs::write(&file, "SVC: [not, a, region]\n").unwrap();
        let err = resolve(&config(Some("r-file-1"), env))
            .unwrap_err()
            .to_string();
        assert!(err.contains("regions file"), "{err}");
        assert!(
            err.contains(&format!("{path}: line 1: service `SVC`")),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn any_variable_with_an_enum_picks_the_server() {
        const STAGES: [ServerTemplate; 2] = [
            ServerTemplate {
                url: "https://{stage}.example.com/{version}",
                variables: &[
                    ServerVariable {
                        name: "stage",
                        default: "prod",
                        allowed: &["prod", "staging"],
                    },
                    ServerVariable {
                        name: "version",
                        default: "v1",
                        allowed: &[],
                    },
                ],
            },
            ServerTemplate {
                url: "http://{stage}.internal",
                variables: &[ServerVariable {
                    name: "stage",
                    default: "dev",
                    allowed: &["dev"],
                }],
            },
        ];
        let resolve = |config: Config| {
            let mut overrides = RegionOverrides::new(config.lookup.clone());
            base_url(&config, &mut overrides, "Api", &STAGES)
        };
        let config = || Config::default().environment(|_| None);
        assert_eq!(resolve(config()).unwrap(), "https://prod.example.com/v1");
        assert_eq!(
            resolve(config().server_variable("version", "v2")).unwrap(),
            "https://prod.example.com/v2"
        );
        assert_eq!(
            resolve(config().server_variable("stage", "dev")).unwrap(),
            "http://dev.internal"
        );
        let err = resolve(config().server_variable("stage", "stagin"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "unknown stage `stagin` for service `Api`; did you mean `staging`? The spec lists 3 values of `stage` for it. Set an explicit endpoint with ClientBuilder::endpoint"
        );
    }

    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("cn-north-4", "cn-north-4"), 0);
        assert!(close_matches("zz-zzzz-99", &["cn-north-4"]).is_empty());
    }
}
