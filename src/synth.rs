//! Seeded synthetic catalogues and profiles, for benchmarks and property
//! tests (native and in the browser bench page).
//!
//! Each policy has 3–12 criteria nested 1–3 deep over numbers, enums,
//! booleans, dates and date lists; about 5 % of profile fields are missing.
//!
//! How deep a criterion nests follows a [`Shape`]. The default,
//! [`Shape::REALISTIC`], is calibrated on the shipped catalogues: in
//! `cn-national-2026.json` 74 % of the criteria are one comparison, 23 %
//! combine comparisons one level deep and 2.5 % nest deeper (1.44
//! comparisons per criterion; 1.12 in the example zone catalogue). The
//! generator draws depth 1 / 2 / 3 with 70 / 25 / 5 % (about 1.6 comparisons
//! per criterion, a little heavier than the real ones). [`Shape::UNIFORM`]
//! draws each depth equally often (about 3.3 comparisons per criterion) and
//! is kept as a stress variant.
//!
//! # Example
//! ```
//! use policy_match::synth;
//! use policy_match::catalogue::Catalogue;
//! let text = synth::catalogue(50, 7);
//! let cat = Catalogue::from_json("synthetic.json", &text).unwrap();
//! assert_eq!(cat.policies.len(), 50);
//! let profiles = synth::profiles(&cat, 10, 7);
//! assert_eq!(profiles.len(), 10);
//! ```

use serde_json::{json, Value as Json};

use crate::catalogue::{Catalogue, FieldType};
use crate::matching::{Profile, Raw};

/// A small deterministic RNG (xorshift64*).
///
/// # Example
/// ```
/// use policy_match::synth::Rng;
/// let (mut a, mut b) = (Rng::new(7), Rng::new(7));
/// assert_eq!(a.next_u64(), b.next_u64()); // seeded: the same sequence every run
/// assert!((0..100).all(|_| a.below(6) < 6));
/// assert!(!(0..100).any(|_| a.percent(0)));
/// ```
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability `p` percent.
    pub fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }
}

const NUMS: usize = 24;
const ENUMS: usize = 6;
const BOOLS: usize = 6;
const DATES: usize = 3;
const LISTS: usize = 2;
const OPTIONS: [&str; 4] = ["a", "b", "c", "d"];

fn text(s: &str) -> Json {
    json!({"zh": s, "en": s})
}

fn fields() -> Vec<Json> {
    let mut f = Vec::new();
    for i in 0..NUMS {
        f.push(json!({"name": format!("n{i}"), "type": "number", "label": text(&format!("number {i}")), "min": 0, "max": 1000000}));
    }
    for i in 0..ENUMS {
        let opts: Vec<Json> = OPTIONS.iter().map(|o| json!({"value": o, "label": text(o)})).collect();
        f.push(json!({"name": format!("e{i}"), "type": "enum", "label": text(&format!("enum {i}")), "options": opts}));
    }
    for i in 0..BOOLS {
        f.push(json!({"name": format!("b{i}"), "type": "boolean", "label": text(&format!("flag {i}"))}));
    }
    for i in 0..DATES {
        f.push(json!({"name": format!("d{i}"), "type": "date", "label": text(&format!("date {i}"))}));
    }
    for i in 0..LISTS {
        f.push(json!({"name": format!("l{i}"), "type": "date_list", "label": text(&format!("dates {i}"))}));
    }
    f
}

fn leaf(r: &mut Rng) -> Json {
    let var = |name: String| json!({"var": name});
    match r.below(10) {
        0..=4 => {
            let op = [">=", "<=", ">", "<", "=="][r.below(5) as usize];
            json!({op: [var(format!("n{}", r.below(NUMS as u64))), r.below(1_000_000)]})
        }
        5 => json!({">=": [{"/": [var(format!("n{}", r.below(NUMS as u64))), {"+": [var(format!("n{}", r.below(NUMS as u64))), 1]}]}, 0.5]}),
        6 => {
            let k = 1 + r.below(3) as usize;
            let set: Vec<&str> = OPTIONS.iter().take(k).copied().collect();
            json!({"in": [var(format!("e{}", r.below(ENUMS as u64))), set]})
        }
        7 => json!({"==": [var(format!("b{}", r.below(BOOLS as u64))), r.percent(50)]}),
        8 => json!({">=": [{"days_between": [var(format!("d{}", r.below(DATES as u64))), {"var": "$as_of"}]}, 365 * (1 + r.below(5))]}),
        _ => json!({"none": {"in": var(format!("l{}", r.below(LISTS as u64))), "where": {">=": [{"var": "$item"}, {"add_days": [{"var": "$as_of"}, -365]}]}}}),
    }
}

fn node(r: &mut Rng, depth: u64) -> Json {
    if depth <= 1 {
        return leaf(r);
    }
    let n = 2 + r.below(2);
    let kids: Vec<Json> = (0..n).map(|_| node(r, depth - 1)).collect();
    if r.percent(60) {
        json!({"all": kids})
    } else {
        json!({"any": kids})
    }
}

/// How often a criterion nests 1, 2 or 3 deep (relative weights).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    /// Weights of depth 1 (one comparison), 2 (`all`/`any` of 2–3
    /// comparisons) and 3 (`all`/`any` of 2–3 such groups).
    pub depth_weights: [u64; 3],
}

impl Shape {
    /// Calibrated on the shipped catalogues: 70 / 25 / 5 %.
    pub const REALISTIC: Shape = Shape { depth_weights: [70, 25, 5] };
    /// Every depth equally often (a stress variant, about twice as many
    /// comparisons per criterion as real catalogues).
    pub const UNIFORM: Shape = Shape { depth_weights: [1, 1, 1] };

    fn depth(self, r: &mut Rng) -> u64 {
        let [a, b, c] = self.depth_weights;
        let x = r.below(a + b + c);
        if x < a {
            1
        } else if x < a + b {
            2
        } else {
            3
        }
    }
}

/// A synthetic catalogue of `policies` policies as JSON text, shaped like
/// the shipped catalogues ([`Shape::REALISTIC`]).
///
/// # Example
/// ```
/// use policy_match::{catalogue::Catalogue, synth};
/// assert_eq!(synth::catalogue(5, 1), synth::catalogue(5, 1)); // deterministic
/// let cat = Catalogue::from_json("s.json", &synth::catalogue(5, 1)).unwrap();
/// assert!(cat.policies.iter().all(|p| (3..=12).contains(&p.criteria.len())));
/// ```
pub fn catalogue(policies: usize, seed: u64) -> String {
    catalogue_with(policies, seed, Shape::REALISTIC)
}

/// A synthetic catalogue with criteria nested as `shape` says.
///
/// # Example
/// ```
/// use policy_match::{catalogue::Catalogue, synth::{self, Shape}};
/// let size = |shape| {
///     let cat = Catalogue::from_json("s.json", &synth::catalogue_with(200, 3, shape)).unwrap();
///     cat.program.nodes.len()
/// };
/// assert!(size(Shape::UNIFORM) > size(Shape::REALISTIC)); // deeper criteria, more nodes
/// ```
pub fn catalogue_with(policies: usize, seed: u64, shape: Shape) -> String {
    let mut r = Rng::new(seed);
    let ps: Vec<Json> = (0..policies)
        .map(|i| {
            let n = 3 + r.below(10);
            let criteria: Vec<Json> = (0..n)
                .map(|c| {
                    let depth = shape.depth(&mut r);
                    json!({"id": format!("C{}", c + 1), "description": text("criterion"), "rule": node(&mut r, depth)})
                })
                .collect();
            json!({"id": format!("p{i}"), "title": text(&format!("Policy {i}")), "issuer": text("Bureau"), "category": "subsidy",
                   "valid_from": "2024-01-01", "valid_until": "2027-12-31",
                   "benefit": {"text": text("grant"), "amount": {"min": [{"*": [{"var": format!("n{}", r.below(NUMS as u64))}, 0.1]}, 500000]}},
                   "criteria": criteria})
        })
        .collect();
    json!({"format": "policy-match/catalogue@1", "id": "synthetic", "version": "1", "updated": "2026-01-01", "title": text("Synthetic"),
           "fields": fields(), "policies": ps})
    .to_string()
}

/// `n` synthetic profiles for a catalogue, about 5 % of fields missing.
///
/// # Example
/// ```
/// use policy_match::{catalogue::Catalogue, synth};
/// let cat = Catalogue::from_json("s.json", &synth::catalogue(10, 1)).unwrap();
/// let ps = synth::profiles(&cat, 20, 1);
/// assert_eq!(ps[3].id.as_deref(), Some("e3"));
/// assert!(ps.iter().all(|p| p.issues.is_empty())); // every value fits its field
/// let provided = ps.iter().flat_map(|p| &p.values).filter(|v| v.is_provided()).count();
/// assert!(provided > 20 * cat.fields.len() * 9 / 10); // about 5 % missing
/// ```
pub fn profiles(cat: &Catalogue, n: usize, seed: u64) -> Vec<Profile> {
    let mut r = Rng::new(seed ^ 0xABCD);
    (0..n)
        .map(|i| {
            let mut p = Profile::empty(cat);
            p.id = Some(format!("e{i}"));
            for f in &cat.fields {
                if r.percent(5) {
                    continue;
                }
                let v = random_value(&mut r, f.def.ty);
                p.set(cat, f.name(), Raw::Json(&v), None);
            }
            p
        })
        .collect()
}

/// A random value of a field type (used by property tests too).
///
/// # Example
/// ```
/// use policy_match::{catalogue::FieldType, synth::{random_value, Rng}};
/// let mut r = Rng::new(1);
/// assert!(random_value(&mut r, FieldType::Boolean).is_boolean());
/// let d = random_value(&mut r, FieldType::Date);
/// assert!(d.as_str().unwrap().parse::<policy_match::rules::Date>().is_ok());
/// ```
pub fn random_value(r: &mut Rng, ty: FieldType) -> Json {
    let date = |r: &mut Rng| format!("20{:02}-{:02}-{:02}", 15 + r.below(12), 1 + r.below(12), 1 + r.below(28));
    match ty {
        FieldType::Number | FieldType::Integer => json!(r.below(1_000_000)),
        FieldType::Enum | FieldType::String => json!(OPTIONS[r.below(4) as usize]),
        FieldType::Boolean => json!(r.percent(50)),
        FieldType::Date => json!(date(r)),
        FieldType::DateList => {
            let k = r.below(3);
            Json::Array((0..k).map(|_| json!(date(r))).collect())
        }
        FieldType::StringList => json!(["a"]),
    }
}
