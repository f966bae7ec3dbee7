//! Media types: which of an operation's declared media types a `Content-Type` is, and
//! which of the media types an answer can be sent as an `Accept` header prefers. Both
//! runtimes use these, so that the client and the server read the spec's media types the
//! same way.

/// The media type without its parameters, trimmed (`text/plain; charset=utf-8` →
/// `text/plain`).
pub fn essence(media_type: &str) -> &str {
    media_type.split(';').next().unwrap_or("").trim()
}

/// Whether a media type is JSON: a subtype `json` or one ending in `+json`, parameters
/// aside (`application/json`, `application/problem+json`, `text/json`).
pub fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    let Some((_, subtype)) = essence.split_once('/') else {
        return false;
    };
    let suffix = subtype.len().saturating_sub(5);
    subtype.eq_ignore_ascii_case("json")
        || (subtype.is_char_boundary(suffix) && subtype[suffix..].eq_ignore_ascii_case("+json"))
}

/// Whether the media range `range` (`*/*`, `text/*` or a media type, parameters aside)
/// covers `media_type`.
pub fn covers(range: &str, media_type: &str) -> bool {
    let (range, media_type) = (essence(range), essence(media_type));
    if range == "*/*" || range == "*" {
        return true;
    }
    match (range.split_once('/'), media_type.split_once('/')) {
        (Some((range_type, "*")), Some((media_type, _))) => {
            range_type.eq_ignore_ascii_case(media_type)
        }
        _ => range.eq_ignore_ascii_case(media_type),
    }
}

/// Which of the `declared` media types (or ranges) a received `Content-Type` is: the
/// first declared with the same essence, else the first range that covers it, else, for
/// a JSON body, the first JSON type declared (so `application/json` takes
/// `application/merge-patch+json` too).
pub fn pick(declared: &[&str], content_type: &str) -> Option<usize> {
    let received = essence(content_type);
    if received.is_empty() {
        return None;
    }
    declared
        .iter()
        .position(|d| essence(d).eq_ignore_ascii_case(received))
        .or_else(|| {
            declared
                .iter()
                .position(|d| essence(d).contains('*') && covers(d, received))
        })
        .or_else(|| {
            is_json(received)
                .then(|| declared.iter().position(|d| is_json(d)))
                .flatten()
        })
}

/// Which of the `offered` media types an `Accept` header prefers: the one with the
/// highest quality, the earlier offered on a tie; `None` when it accepts none of them.
/// Without an `Accept` header (`None`) the first is preferred.
pub fn negotiate(accept: Option<&str>, offered: &[&str]) -> Option<usize> {
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return (!offered.is_empty()).then_some(0);
    };
    let ranges: Vec<(&str, f32)> = accept
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let range = parts.next()?.trim();
            if range.is_empty() {
                return None;
            }
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            Some((range, quality))
        })
        .collect();
    let mut best: Option<(usize, f32)> = None;
    for (index, offer) in offered.iter().enumerate() {
        // The most specific range that covers the offer decides its quality.
        let quality = ranges
            .iter()
            .filter(|(range, _)| covers(range, offer))
            .max_by_key(|(range, _)| specificity(range))
            .map(|(_, q)| *q);
        if let Some(q) = quality.filter(|q| *q > 0.0) {
            if best.is_none_or(|(_, b)| q > b) {
                best = Some((index, q));
            }
        }
    }
    best.map(|(index, _)| index)
}

/// `*/*` < `type/*` < `type/subtype`.
fn specificity(range: &str) -> u8 {
    match essence(range) {
        "*/*" | "*" => 0,
        r if r.ends_with("/*") => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_types_are_recognised_by_subtype() {
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json("application/problem+JSON"));
        assert!(is_json("text/json"));
        assert!(!is_json("application/jsonl"));
        assert!(!is_json("text/plain"));
        assert!(!is_json("json"));
    }

    #[test]
    fn content_types_pick_exact_types_first_then_ranges_then_json() {
        let declared = ["text/*", "text/csv", "application/json", "*/*"];
        assert_eq!(pick(&declared, "text/csv; charset=utf-8"), Some(1));
        assert_eq!(pick(&declared, "text/html"), Some(0));
        assert_eq!(pick(&declared, "image/png"), Some(3));
        assert_eq!(
            pick(&["application/json"], "application/merge-patch+json"),
            Some(0)
        );
        assert_eq!(pick(&["application/json"], "text/plain"), None);
        assert_eq!(pick(&["application/json"], ""), None);
    }

    #[test]
    fn accept_prefers_quality_then_specificity_then_offer_order() {
        let offered = ["application/json", "text/csv"];
        assert_eq!(negotiate(None, &offered), Some(0));
        assert_eq!(negotiate(Some("text/csv"), &offered), Some(1));
        assert_eq!(
            negotiate(Some("text/*, application/json;q=0.5"), &offered),
            Some(1)
        );
        assert_eq!(negotiate(Some("*/*"), &offered), Some(0));
        assert_eq!(
            negotiate(Some("*/*;q=0.1, text/csv;q=0"), &offered),
            Some(0)
        );
        assert_eq!(negotiate(Some("image/png"), &offered), None);
    }
}
