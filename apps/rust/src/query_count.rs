//! The `queries` parameter of /queries and /updates, clamped to 1...500 (docs/app-api.md).

const LOWEST: u64 = 1;
const HIGHEST: u64 = 500;

/// The count a query string asks for: missing, empty, zero, negative or non-numeric means 1; a number
/// above 500, however many digits, means 500. The first `queries` parameter counts; its value is
/// form-decoded (`%32` is `2`, `+` is a space).
pub fn query_count(query: Option<&str>) -> usize {
    let value = query.and_then(|query| {
        query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (form_decode(key) == "queries").then(|| form_decode(value))
        })
    });
    clamp(value.as_deref().unwrap_or("")) as usize
}

fn clamp(text: &str) -> u64 {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) || negative {
        return LOWEST;
    }
    // A run of digits too long for u64 is still a number above 500.
    digits.parse::<u64>().unwrap_or(u64::MAX).clamp(LOWEST, HIGHEST)
}

fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match bytes[i] {
            b'%' if i + 2 < bytes.len() => hex(bytes[i + 1]).zip(hex(bytes[i + 2])).map(|(high, low)| high << 4 | low),
            _ => None,
        };
        match (escaped, bytes[i]) {
            (Some(byte), _) => {
                out.push(byte);
                i += 3;
            }
            (None, b'+') => {
                out.push(b' ');
                i += 1;
            }
            (None, byte) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(byte: u8) -> Option<u8> {
    (byte as char).to_digit(16).map(|digit| digit as u8)
}

#[cfg(test)]
mod tests {
    use super::query_count;

    #[test]
    fn clamps_like_techempower() {
        for (query, expected) in [
            (None, 1),
            (Some("queries="), 1),
            (Some("queries=0"), 1),
            (Some("queries=-3"), 1),
            (Some("queries=foo"), 1),
            (Some("queries=5abc"), 1),
            (Some("queries=2"), 2),
            (Some("queries=%32"), 2),
            (Some("other=7&queries=20"), 20),
            (Some("queries=500"), 500),
            (Some("queries=501"), 500),
            (Some("queries=1000"), 500),
            (Some("queries=99999999999999999999999"), 500),
        ] {
            assert_eq!(query_count(query), expected, "{query:?}");
        }
    }
}
