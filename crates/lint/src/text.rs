//! Text helpers shared by rules: hosts, edit distance, encodings. GitHub
//! URLs are read by `archmanual_github_url::classify`, nowhere else.

/// The host of an `http(s)://` URL, lower-cased, without port or userinfo.
pub(crate) fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let host = authority.split(':').next().unwrap_or(authority);
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Restricted Damerau–Levenshtein (optimal string alignment) distance over
/// characters, stopping early once it exceeds `max`.
pub(crate) fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(b.len() + 1) {
        *cell = j;
    }
    for i in 1..=a.len() {
        let mut row_min = usize::MAX;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
    }
    let v = d[a.len() * w + b.len()];
    (v <= max).then_some(v)
}

/// The cp1252 byte a character came from when UTF-8 was decoded as
/// cp1252 (or Latin-1: the C1 controls map to themselves).
pub(crate) fn cp1252_byte(c: char) -> Option<u8> {
    let b = match c {
        '\u{80}'..='\u{ff}' => c as u32 as u8,
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '\u{201C}' => 0x93,
        '\u{201D}' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    };
    Some(b)
}

/// A stretch of `text` that is UTF-8 read as cp1252, with its repair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mojibake {
    /// Byte range in the text.
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// The text as it was meant to be.
    pub(crate) repaired: String,
}

/// Finds runs of characters that, re-encoded as cp1252, decode as UTF-8
/// multi-byte characters. A lone `é` or `—` does not qualify: the bytes must
/// form a complete UTF-8 sequence of at least two bytes.
pub(crate) fn find_mojibake(text: &str) -> Vec<Mojibake> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        // Extend over consecutive complete sequences.
        let start = chars[i].0;
        let mut j = i;
        let mut bytes = Vec::new();
        while let Some(seq) = sequence_at(&chars, j) {
            j += seq.len();
            bytes.extend_from_slice(&seq);
        }
        if j == i {
            i += 1;
            continue;
        }
        let end = chars.get(j).map_or(text.len(), |c| c.0);
        if let Ok(repaired) = String::from_utf8(bytes) {
            out.push(Mojibake {
                start,
                end,
                repaired,
            });
        }
        i = j;
    }
    out
}

/// True if `text`, outside the `found` runs, still has a cp1252 lead
/// character followed by another cp1252 high character: a sequence that lost
/// a byte (cp1252 cannot show 0x81, 0x8D, 0x8F, 0x90, 0x9D) and cannot be
/// repaired.
pub(crate) fn has_lossy_leftover(text: &str, found: &[Mojibake]) -> bool {
    let high = |c: char| cp1252_byte(c).is_some_and(|b| b >= 0x80);
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if found.iter().any(|m| m.start <= i && i < m.end) {
            continue;
        }
        let lead = cp1252_byte(c).is_some_and(|b| (0xC2..=0xF4).contains(&b));
        if lead && chars.peek().is_some_and(|&(_, n)| high(n)) {
            return true;
        }
    }
    false
}

/// The bytes of one complete UTF-8 multi-byte sequence spelled by the
/// cp1252 characters starting at `chars[i]`.
fn sequence_at(chars: &[(usize, char)], i: usize) -> Option<Vec<u8>> {
    let lead = cp1252_byte(chars.get(i)?.1)?;
    let len = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let mut bytes = vec![lead];
    for k in 1..len {
        let b = cp1252_byte(chars.get(i + k)?.1)?;
        if !(0x80..=0xBF).contains(&b) {
            return None;
        }
        bytes.push(b);
    }
    std::str::from_utf8(&bytes).ok()?;
    Some(bytes)
}

/// Byte ranges of `%XX%XX…` runs in `text` whose bytes are not UTF-8 but
/// read as GBK double-byte characters.
pub(crate) fn find_percent_gbk(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'%' {
            i += 1;
            continue;
        }
        let start = i;
        let mut bytes = Vec::new();
        while i + 2 < b.len() && b[i] == b'%' {
            let Some(v) = std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            else {
                break;
            };
            bytes.push(v);
            i += 3;
        }
        if i == start {
            i += 1;
            continue;
        }
        if bytes.len() >= 2 && std::str::from_utf8(&bytes).is_err() && looks_like_gbk(&bytes) {
            out.push((start, i));
        }
    }
    out
}

fn looks_like_gbk(bytes: &[u8]) -> bool {
    let mut i = 0;
    let mut pairs = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        if !(0x81..=0xFE).contains(&b) {
            return false;
        }
        match bytes.get(i + 1) {
            Some(t) if (0x40..=0xFE).contains(t) && *t != 0x7F => {
                pairs += 1;
                i += 2;
            }
            _ => return false,
        }
    }
    pairs > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(edit_distance("MTTQ", "MQTT", 2), Some(2));
        assert_eq!(edit_distance("Kafak", "Kafka", 2), Some(1));
        assert_eq!(edit_distance("ShardingSpere", "ShardingSphere", 2), Some(1));
        assert_eq!(edit_distance("abc", "xyzw", 2), None);
    }

    /// `text` encoded as UTF-8 and read as cp1252 (undefined bytes as Latin-1).
    pub(crate) fn garble(text: &str) -> String {
        text.bytes()
            .map(|b| {
                (0x80u32..=0x2122)
                    .filter_map(char::from_u32)
                    .find(|c| {
                        cp1252_byte(*c) == Some(b)
                            && (b >= 0xA0 || !('\u{80}'..='\u{9f}').contains(c))
                    })
                    .or_else(|| char::from_u32(u32::from(b)))
                    .unwrap_or('?')
            })
            .collect()
    }

    #[test]
    fn finds_and_repairs_mojibake() {
        let garbled = garble("分布式系统");
        assert_eq!(garbled, "åˆ†å¸ƒå¼\u{8f}ç³»ç»Ÿ");
        let bad = format!("intro {garbled} ok café — naïve fine");
        let found = find_mojibake(&bad);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].repaired, "分布式系统");
        assert_eq!(&bad[found[0].start..found[0].end], garbled);
    }

    #[test]
    fn notices_bytes_lost_on_the_way() {
        let lost = "åˆ†å¸ƒå¼ ok"; // 式 lost its 0x8F
        assert!(has_lossy_leftover(lost, &find_mojibake(lost)));
        let fine = "åˆ†å¸ƒ café — naïve";
        assert!(!has_lossy_leftover(fine, &find_mojibake(fine)));
    }

    #[test]
    fn finds_percent_encoded_gbk_but_not_utf8() {
        // 中文 in GBK is D6 D0 CE C4; in UTF-8 E4 B8 AD E6 96 87.
        let t = "a.html#%D6%D0%CE%C4 b.html#%E4%B8%AD%E6%96%87";
        assert_eq!(find_percent_gbk(t), vec![(7, 19)]);
    }
}
