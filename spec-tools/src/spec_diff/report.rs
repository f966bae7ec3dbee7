//! Rendering a list of changes as Markdown for a pull request, or as JSON for machines.

use super::model::{Change, Impact};
use super::schema::code;

/// Counts for the summary line.
struct Counts {
    breaking_clients: usize,
    breaking_servers: usize,
    compatible: usize,
}

fn counts(changes: &[Change]) -> Counts {
    Counts {
        breaking_clients: changes
            .iter()
            .filter(|c| c.client == Impact::Breaking)
            .count(),
        breaking_servers: changes
            .iter()
            .filter(|c| c.server == Impact::Breaking)
            .count(),
        compatible: changes.iter().filter(|c| !c.is_breaking()).count(),
    }
}

/// The summary line: `N breaking for clients, M breaking for servers, K compatible`.
pub fn summary(changes: &[Change]) -> String {
    let counts = counts(changes);
    format!(
        "{} breaking for clients, {} breaking for servers, {} compatible",
        counts.breaking_clients, counts.breaking_servers, counts.compatible
    )
}

fn badge(side: &str, impact: Impact) -> String {
    match impact {
        Impact::Breaking => format!("**{side}: breaking**"),
        Impact::Compatible => format!("{side}: compatible"),
    }
}

fn line(change: &Change) -> String {
    // The empty pointer names the whole document; an empty code span would not render.
    let pointer = if change.pointer.is_empty() {
        "(document root)".to_owned()
    } else {
        code(&change.pointer)
    };
    format!(
        "- {} · {} · {pointer} · {}\n",
        badge("client", change.client),
        badge("server", change.server),
        change.message
    )
}

/// A Markdown report: a title, the summary, breaking changes, then compatible ones.
///
/// `changes` must already be in report order (as [`super::diff`] returns them).
pub fn markdown(changes: &[Change], base_label: &str, head_label: &str) -> String {
    let mut out = format!(
        "## API changes from {} to {}\n\n**{}.**\n",
        code(base_label),
        code(head_label),
        summary(changes)
    );
    if changes.is_empty() {
        out.push_str("\nNo changes to the API.\n");
        return out;
    }
    let (breaking, compatible): (Vec<&Change>, Vec<&Change>) =
        changes.iter().partition(|change| change.is_breaking());
    for (title, group) in [
        ("Breaking changes", breaking),
        ("Compatible changes", compatible),
    ] {
        if group.is_empty() {
            continue;
        }
        out.push_str(&format!("\n### {title}\n\n"));
        for change in group {
            out.push_str(&line(change));
        }
    }
    out.push_str(
        "\nPointers locate each change in the new spec, or in the old one for removals.\n",
    );
    out
}

/// A JSON array of `{pointer, kind, message, client, server}` objects, pretty-printed.
pub fn json(changes: &[Change]) -> String {
    let mut text = serde_json::to_string_pretty(changes)
        .expect("a list of changes is plain strings and always serializes");
    text.push('\n');
    text
}
