//! The seeded mutator: hostile values, byte damage, text and structure-aware JSON edits.

use inkling_data::Rng;
use serde_json::Value;

/// Integers that break careless size arithmetic: zero, one, sign and width boundaries.
pub const HOSTILE_U32: [u32; 14] = [
    0,
    1,
    2,
    3,
    0x7f,
    0x80,
    0xff,
    0x100,
    0xffff,
    0x1_0000,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_fffe,
    0xffff_ffff,
];

/// 64-bit counterparts of [`HOSTILE_U32`].
pub const HOSTILE_U64: [u64; 8] = [
    0,
    1,
    0xffff_ffff,
    0x1_0000_0000,
    0x7fff_ffff_ffff_ffff,
    0x8000_0000_0000_0000,
    u64::MAX - 1,
    u64::MAX,
];

/// JSON number literals a `serde_json::Value` cannot hold (NaN, overflowing exponents, integers
/// past `u64`) plus the boundaries it can: spliced into documents as raw text.
pub const HOSTILE_NUMBERS: [&str; 24] = [
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999",
    "-1e999",
    "1e308",
    "-1e308",
    "1.7976931348623157e308",
    "5e-324",
    "1e-400",
    "-0",
    "-0.0",
    "0",
    "-1",
    "0.5",
    "1.5",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "9007199254740993",
    "4294967296",
    "0x10",
    "01",
    "1.",
];

/// Text that breaks careless parsing: empty, blanks, signs, special floats, digits from other
/// scripts, control and direction characters, and numbers just past every limit.
pub const HOSTILE_TEXT: [&str; 40] = [
    "",
    " ",
    "\t\n",
    "NaN",
    "nan",
    "-NaN",
    "inf",
    "-inf",
    "+inf",
    "Infinity",
    "infinity",
    "-0",
    "+0",
    "-0.0",
    "0",
    "-1",
    "1e308",
    "-1e308",
    "1e-320",
    "5e-324",
    "1e999",
    "18446744073709551615",
    "18446744073709551616",
    "340282366920938463463374607431768211456",
    "0x10",
    "1_000",
    "1,5",
    ".5",
    "5.",
    "1e",
    "--1",
    "\u{0}",
    "\u{202e}01",
    "\u{661}\u{662}",
    "\u{ff11}\u{ff12}",
    "4\u{301}",
    "🔥",
    "数字",
    "<script>alert(1)</script>",
    "%00%ff",
];

/// A seeded source of damaged inputs.
pub struct Mutator {
    rng: Rng,
}

/// One step into a JSON document.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

impl Mutator {
    /// A mutator whose whole output is determined by `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            rng: Rng::new(seed),
        }
    }

    /// A uniform integer in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { self.rng.below(n) }
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f32) -> bool {
        self.rng.next_f32() < p
    }

    /// One of `items` (which must not be empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Random bytes.
    pub fn random_bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.rng.next_u64() as u8).collect()
    }

    /// A position in `0..=len`, half the time within the first 64 bytes, where formats keep the
    /// fields that decide how the rest is read.
    pub fn position(&mut self, len: usize) -> usize {
        if self.chance(0.5) {
            self.below(len.min(64) + 1)
        } else {
            self.below(len + 1)
        }
    }

    /// A hostile string: one of [`HOSTILE_TEXT`], a very long run of digits or letters, or
    /// random (lossily decoded) bytes.
    pub fn hostile_text(&mut self) -> String {
        match self.below(10) {
            0 => "9".repeat(1 + self.below(20_000)),
            1 => format!("1{}", "0".repeat(300 + self.below(400))),
            2 => "ab".repeat(1 + self.below(10_000)),
            3 => {
                let n = self.below(16);
                String::from_utf8_lossy(&self.random_bytes(n)).into_owned()
            }
            _ => self.pick(&HOSTILE_TEXT).to_string(),
        }
    }

    /// One to four byte-level edits of `input`: bit flips, hostile integers, truncation,
    /// appended, inserted, deleted or duplicated runs.
    pub fn bytes(&mut self, input: &[u8]) -> Vec<u8> {
        let mut out = input.to_vec();
        for _ in 0..1 + self.below(4) {
            self.byte_edit(&mut out);
        }
        out
    }

    /// Like [`Mutator::bytes`], but every edit stays inside `region` of `input` (e.g. the
    /// metadata of a container), so the rest of the structure survives.
    pub fn bytes_within(&mut self, input: &[u8], region: std::ops::Range<usize>) -> Vec<u8> {
        let region = region.start.min(input.len())..region.end.min(input.len());
        let mut middle = input[region.clone()].to_vec();
        for _ in 0..1 + self.below(3) {
            self.byte_edit_in_place(&mut middle);
        }
        let mut out = input[..region.start].to_vec();
        out.extend_from_slice(&middle);
        out.extend_from_slice(&input[region.end..]);
        out
    }

    /// Edits that keep the length, so offsets in the surrounding structure stay right.
    fn byte_edit_in_place(&mut self, out: &mut [u8]) {
        if out.is_empty() {
            return;
        }
        let i = self.below(out.len());
        match self.below(5) {
            0 => out[i] ^= 1 << self.below(8),
            1 => out[i] = *self.pick(&[0u8, 1, 0x7f, 0x80, 0xfe, 0xff]),
            2 => out[i] = self.rng.next_u64() as u8,
            3 if out.len() >= i + 4 => {
                let b = self.hostile_u32_bytes();
                out[i..i + 4].copy_from_slice(&b);
            }
            _ => {
                let n = (1 + self.below(16)).min(out.len() - i);
                let fill = self.rng.next_u64() as u8;
                out[i..i + n].fill(fill);
            }
        }
    }

    /// A hostile 32-bit value, big- or little-endian.
    fn hostile_u32_bytes(&mut self) -> [u8; 4] {
        let v = *self.pick(&HOSTILE_U32);
        if self.chance(0.5) {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    }

    fn byte_edit(&mut self, out: &mut Vec<u8>) {
        let len = out.len();
        match self.below(10) {
            0..=3 => self.byte_edit_in_place(out),
            4 if len >= 4 => {
                let i = self.position(len - 4);
                let b = self.hostile_u32_bytes();
                out[i..i + 4].copy_from_slice(&b);
            }
            5 if len >= 8 => {
                let i = self.position(len - 8);
                let v = *self.pick(&HOSTILE_U64);
                out[i..i + 8].copy_from_slice(&v.to_le_bytes());
            }
            6 => {
                let at = self.position(len);
                out.truncate(at);
            }
            7 => {
                let n = 1 + self.below(64);
                let extra = if self.chance(0.5) || len == 0 {
                    self.random_bytes(n)
                } else {
                    let start = self.below(len);
                    out[start..(start + n).min(len)].to_vec()
                };
                let at = if self.chance(0.5) {
                    len
                } else {
                    self.position(len)
                };
                insert_at(out, at, &extra);
            }
            8 if len > 0 => {
                let start = self.position(len - 1);
                let end = (start + 1 + self.below(64)).min(len);
                out.drain(start..end);
            }
            _ if len > 0 => {
                let start = self.below(len);
                let end = (start + 1 + self.below(256)).min(len);
                let copy = out[start..end].to_vec();
                let at = self.position(len);
                insert_at(out, at, &copy);
            }
            _ => out.push(self.rng.next_u64() as u8),
        }
    }

    /// Byte-level edits of text, decoded lossily (JSON decoders take `&str`).
    pub fn text(&mut self, input: &str) -> String {
        String::from_utf8_lossy(&self.bytes(input.as_bytes())).into_owned()
    }

    /// Structure-aware edits of a JSON document: one to three nodes are replaced by hostile
    /// numbers or strings, other enum tags (`tags`), wrong types or deep nesting; object keys are
    /// dropped, added or misspelt; arrays lose, repeat or gain elements. Returns the text, with
    /// literals `Value` cannot hold (NaN, `1e999`) spliced in.
    pub fn json(&mut self, doc: &Value, tags: &[&str]) -> String {
        let mut doc = doc.clone();
        let mut raw = Vec::new();
        for _ in 0..1 + self.below(3) {
            let mut paths = Vec::new();
            collect_paths(&doc, &mut Vec::new(), &mut paths);
            let path = self.pick(&paths).clone();
            let node = node_at(&mut doc, &path);
            self.json_edit(node, tags, &mut raw);
        }
        let mut text = serde_json::to_string(&doc).expect("a Value always prints");
        for (i, literal) in raw.iter().enumerate() {
            text = text.replace(&format!("\"@@raw{i}@@\""), literal);
        }
        text
    }

    fn json_edit(&mut self, node: &mut Value, tags: &[&str], raw: &mut Vec<String>) {
        let mut splice = |literal: String| {
            raw.push(literal);
            Value::String(format!("@@raw{}@@", raw.len() - 1))
        };
        match node {
            Value::Object(map) if !map.is_empty() && self.chance(0.6) => {
                let keys: Vec<String> = map.keys().cloned().collect();
                let key = self.pick(&keys).clone();
                match self.below(3) {
                    0 => {
                        map.remove(&key);
                    }
                    1 => {
                        let value = map.remove(&key).unwrap_or(Value::Null);
                        let renamed = match self.below(3) {
                            0 => format!("{key}_"),
                            1 => key.to_uppercase(),
                            _ => key.replace('_', "-"),
                        };
                        map.insert(renamed, value);
                    }
                    _ => {
                        let value = map.get(&key).cloned().unwrap_or(Value::Null);
                        map.insert("unexpected".into(), value);
                    }
                }
            }
            Value::Array(items) if !items.is_empty() && self.chance(0.6) => {
                let i = self.below(items.len());
                match self.below(4) {
                    0 => {
                        items.remove(i);
                    }
                    1 => {
                        let copy = items[i].clone();
                        let n = 1 + self.below(40);
                        items.extend(std::iter::repeat_n(copy, n));
                    }
                    2 => items.clear(),
                    _ => items.push(Value::Null),
                }
            }
            Value::Number(n) if self.chance(0.5) => {
                let x = n.as_f64().unwrap_or(0.0);
                let literal = match self.below(6) {
                    0 => format!("{}", -x),
                    1 => format!("{:e}", x * 1e6),
                    2 => format!("{:e}", x * 1e-9),
                    3 => format!("{}", x + 1.0),
                    4 => format!("{}", (x - 1.0).trunc()),
                    _ => format!("{}", x + 0.5),
                };
                *node = splice(literal);
            }
            Value::String(_) if !tags.is_empty() && self.chance(0.6) => {
                let tag = *self.pick(tags);
                *node = Value::String(match self.below(4) {
                    0 => tag.to_uppercase(),
                    1 => format!("{tag} "),
                    _ => tag.to_string(),
                });
            }
            _ => {
                *node = match self.below(9) {
                    0..=2 => splice(self.pick(&HOSTILE_NUMBERS).to_string()),
                    3 => Value::String(self.hostile_text()),
                    4 => Value::Null,
                    5 => Value::Bool(self.chance(0.5)),
                    6 => {
                        let depth = 100 + self.below(200);
                        splice(format!("{}{}", "[".repeat(depth), "]".repeat(depth)))
                    }
                    7 => Value::Array(vec![]),
                    _ => Value::Object(Default::default()),
                };
            }
        }
    }
}

fn insert_at(out: &mut Vec<u8>, at: usize, bytes: &[u8]) {
    let tail = out.split_off(at);
    out.extend_from_slice(bytes);
    out.extend_from_slice(&tail);
}

fn collect_paths(value: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(path.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                path.push(Step::Key(key.clone()));
                collect_paths(child, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(Step::Index(i));
                collect_paths(child, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn node_at<'a>(mut value: &'a mut Value, path: &[Step]) -> &'a mut Value {
    for step in path {
        value = match step {
            Step::Key(k) => value
                .get_mut(k.as_str())
                .expect("path from the same document"),
            Step::Index(i) => value.get_mut(*i).expect("path from the same document"),
        };
    }
    value
}

/// CRC-32 (IEEE 802.3), as model files and PNG chunks use: lets structure-aware mutations
/// re-seal what they edit so that inputs get past the checksum to the parsing behind it.
pub fn crc32(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

/// Rewrites the CRC of every PNG chunk whose length still fits the data, so that edits reach
/// the decoder behind the checksums.
pub fn fix_png_crcs(png: &mut [u8]) {
    let mut at = 8;
    while at + 12 <= png.len() {
        let len = u32::from_be_bytes(png[at..at + 4].try_into().expect("4 bytes")) as usize;
        let Some(end) = (at + 8).checked_add(len).filter(|&e| e + 4 <= png.len()) else {
            return;
        };
        let crc = crc32(&png[at + 4..end]);
        png[end..end + 4].copy_from_slice(&crc.to_be_bytes());
        at = end + 4;
    }
}
