//! The values facts carry, below every layer that finds or writes them:
//! exact decimals, how exact a figure is, what it counts, and dates at the
//! precision a text gives. Recognition produces them, facts hold them, RDF
//! writes their lexical forms.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

/// An exact decimal number: mantissa × 10^-scale, normalised (no trailing fractional zeros; zero has scale 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Decimal {
    mantissa: i128,
    scale: u32,
}

impl Decimal {
    /// The integer `v`.
    pub fn from_int(v: i64) -> Self {
        Self {
            mantissa: i128::from(v),
            scale: 0,
        }
    }

    /// `mantissa × 10^-scale`, normalised (trailing fractional zeros removed).
    pub fn new(mantissa: i128, scale: u32) -> Self {
        let (mut m, mut s) = (mantissa, scale);
        if m == 0 {
            s = 0;
        }
        while s > 0 && m % 10 == 0 {
            m /= 10;
            s -= 1;
        }
        Self {
            mantissa: m,
            scale: s,
        }
    }

    /// The exact product, or `None` on overflow.
    pub fn checked_mul(self, other: Decimal) -> Option<Decimal> {
        let m = self.mantissa.checked_mul(other.mantissa)?;
        let s = self.scale.checked_add(other.scale)?;
        Some(Self::new(m, s))
    }

    /// The exact sum, or `None` on overflow.
    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        let scale = self.scale.max(other.scale);
        let a = self
            .mantissa
            .checked_mul(10i128.checked_pow(scale - self.scale)?)?;
        let b = other
            .mantissa
            .checked_mul(10i128.checked_pow(scale - other.scale)?)?;
        Some(Self::new(a.checked_add(b)?, scale))
    }

    /// Whether the value has no fractional part.
    pub fn is_integer(self) -> bool {
        self.scale == 0
    }

    /// The value as an `i64` when it is integral and in range.
    pub fn to_i64(self) -> Option<i64> {
        if self.scale == 0 {
            i64::try_from(self.mantissa).ok()
        } else {
            None
        }
    }

    /// Digits of the magnitude before and after the decimal point
    /// (integer part at least `"0"`, fraction without trailing zeros).
    fn digit_parts(self) -> (String, String) {
        let digits = self.mantissa.unsigned_abs().to_string();
        let scale = self.scale as usize;
        if digits.len() > scale {
            let (int, frac) = digits.split_at(digits.len() - scale);
            (int.to_string(), frac.to_string())
        } else {
            let mut frac = "0".repeat(scale - digits.len());
            frac.push_str(&digits);
            ("0".to_string(), frac)
        }
    }

    /// Compares magnitudes, ignoring signs.
    fn cmp_magnitude(self, other: Decimal) -> Ordering {
        if self.scale == other.scale {
            return self
                .mantissa
                .unsigned_abs()
                .cmp(&other.mantissa.unsigned_abs());
        }
        let (ai, af) = self.digit_parts();
        let (bi, bf) = other.digit_parts();
        ai.len()
            .cmp(&bi.len())
            .then_with(|| ai.cmp(&bi))
            .then_with(|| af.cmp(&bf))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a_neg, b_neg) = (self.mantissa < 0, other.mantissa < 0);
        match (a_neg, b_neg) {
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => self.cmp_magnitude(*other),
            (true, true) => other.cmp_magnitude(*self),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (int, frac) = self.digit_parts();
        if self.mantissa < 0 {
            f.write_str("-")?;
        }
        f.write_str(&int)?;
        if !frac.is_empty() {
            f.write_str(".")?;
            f.write_str(&frac)?;
        }
        Ok(())
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Why a string is not an `xsd:decimal` lexical form that fits a [`Decimal`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseDecimalError;

impl fmt::Display for ParseDecimalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a decimal number in range")
    }
}

impl std::error::Error for ParseDecimalError {}

impl FromStr for Decimal {
    type Err = ParseDecimalError;

    /// Parses the `xsd:decimal` lexical form: optional sign, digits, optional
    /// `.` and fraction digits (`"1.49"`, `"2000"`, `"-3"`, `".5"`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (negative, rest) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
        let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
            return Err(ParseDecimalError);
        }
        let frac = frac.trim_end_matches('0');
        let mut m: i128 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            m = m
                .checked_mul(10)
                .and_then(|m| m.checked_add(i128::from(b - b'0')))
                .ok_or(ParseDecimalError)?;
        }
        if negative {
            m = -m;
        }
        let scale = u32::try_from(frac.len()).map_err(|_| ParseDecimalError)?;
        Ok(Self::new(m, scale))
    }
}

/// How exact a figure is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Qualifier {
    /// About the figure: 近, 约, 左右 …
    Approx,
    /// More than the figure: 超过, 余, 多, 以上 …
    Over,
    /// Less than the figure: 不到, 不足, 以下 …
    Under,
}

impl Qualifier {
    /// Lower-case name: `"approx"`, `"over"` or `"under"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Approx => "approx",
            Qualifier::Over => "over",
            Qualifier::Under => "under",
        }
    }
}

/// What a figure counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Unit {
    /// Money in yuan (元, 万元, 亿元 …; the value is always in yuan).
    Yuan,
    /// A percentage (30%, 百分之三十); the value is the number of percent.
    Percent,
    /// A count or measure with its measure word (名, 人, 个, 个月, 公里 …).
    Measure(&'static str),
}

/// A date at the precision the text gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum DateValue {
    /// A whole year.
    Year(i32),
    /// A month of a year (month 1–12).
    YearMonth(i32, u8),
    /// A calendar day (month 1–12, day valid in that month).
    Day(i32, u8, u8),
}

impl DateValue {
    /// The year, whatever the precision.
    pub fn year(self) -> i32 {
        match self {
            DateValue::Year(y) | DateValue::YearMonth(y, _) | DateValue::Day(y, _, _) => y,
        }
    }

    /// The XSD lexical form: `"2024"`, `"2024-03"`, `"2024-03-05"`.
    pub fn to_xsd(self) -> String {
        let year = |y: i32| {
            if y < 0 {
                format!("-{:04}", y.unsigned_abs())
            } else {
                format!("{y:04}")
            }
        };
        match self {
            DateValue::Year(y) => year(y),
            DateValue::YearMonth(y, m) => format!("{}-{m:02}", year(y)),
            DateValue::Day(y, m, d) => format!("{}-{m:02}-{d:02}", year(y)),
        }
    }

    /// Parses the form written by [`DateValue::to_xsd`]; checks that the
    /// month is 1–12 and that the day exists in that month.
    pub fn parse_xsd(s: &str) -> Option<Self> {
        let (negative, rest) = match s.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, s),
        };
        let mut parts = rest.split('-');
        let y = parts.next()?;
        if y.len() < 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let y: i64 = y.parse().ok()?;
        let year = i32::try_from(if negative { -y } else { y }).ok()?;
        let two_digits = |p: &str| -> Option<u8> {
            if p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().ok()
            } else {
                None
            }
        };
        let month = match parts.next() {
            None => return Some(DateValue::Year(year)),
            Some(m) => two_digits(m).filter(|m| (1..=12).contains(m))?,
        };
        let day = match parts.next() {
            None => return Some(DateValue::YearMonth(year, month)),
            Some(d) => two_digits(d)?,
        };
        if parts.next().is_some() {
            return None;
        }
        make_day(Some(year), month, day)
    }
}

fn is_leap(y: i32) -> bool {
    y.rem_euclid(4) == 0 && (y.rem_euclid(100) != 0 || y.rem_euclid(400) == 0)
}

/// Days in a month; with no year, February has 29.
pub(crate) fn days_in_month(year: Option<i32>, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => {
            if year.is_none_or(is_leap) {
                29
            } else {
                28
            }
        }
        _ => 0,
    }
}

/// A valid day, or `None`.
pub(crate) fn make_day(year: Option<i32>, month: u8, day: u8) -> Option<DateValue> {
    let y = year?;
    ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
        .then_some(DateValue::Day(y, month, day))
}

/// An entity-to-entity predicate of the vocabulary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Predicate {
    /// One party assists another.
    Supports,
    /// Takes part in a programme or event.
    ParticipatesIn,
    /// An organisation is in an area.
    LocatedIn,
    /// The official district–county pairing.
    PairedWith,
    /// Administrative containment.
    PartOf,
    /// A person works for an organisation.
    Affiliation,
}

impl Predicate {
    /// The vocabulary's property name (`supports`).
    pub fn as_str(self) -> &'static str {
        match self {
            Predicate::Supports => "supports",
            Predicate::ParticipatesIn => "participatesIn",
            Predicate::LocatedIn => "locatedIn",
            Predicate::PairedWith => "pairedWith",
            Predicate::PartOf => "partOf",
            Predicate::Affiliation => "affiliation",
        }
    }

    /// Every predicate.
    pub const ALL: [Predicate; 6] = [
        Predicate::Supports,
        Predicate::ParticipatesIn,
        Predicate::LocatedIn,
        Predicate::PairedWith,
        Predicate::PartOf,
        Predicate::Affiliation,
    ];

    /// The predicate of a property name (`"supports"`), the inverse of
    /// [`Predicate::as_str`].
    pub fn parse(name: &str) -> Option<Predicate> {
        Predicate::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("a decimal")
    }

    #[test]
    fn decimal_normalises_and_prints() {
        assert_eq!(Decimal::new(1500, 2), Decimal::new(15, 0));
        assert_eq!(Decimal::new(0, 7), Decimal::from_int(0));
        for (m, s, text) in [
            (149_000_000, 0, "149000000"),
            (25, 1, "2.5"),
            (12, 2, "0.12"),
            (-3, 0, "-3"),
            (-5, 3, "-0.005"),
            (0, 0, "0"),
        ] {
            assert_eq!(Decimal::new(m, s).to_string(), text);
            assert_eq!(d(text), Decimal::new(m, s));
        }
        for (text, m, s) in [
            ("1.49", 149, 2),
            ("2000", 2000, 0),
            ("0.5", 5, 1),
            ("1.500", 15, 1),
        ] {
            assert_eq!(d(text), Decimal::new(m, s));
        }
        for bad in ["", "-", ".", "1.2.3", "abc", "1e5", "--1", "1,000"] {
            assert!(bad.parse::<Decimal>().is_err(), "{bad:?}");
        }
        assert!("9".repeat(60).parse::<Decimal>().is_err());
    }

    #[test]
    fn decimal_arithmetic_and_order() {
        assert_eq!(d("1.49").checked_mul(d("100000000")), Some(d("149000000")));
        assert_eq!(d("0.12").checked_mul(d("10000")), Some(d("1200")));
        assert_eq!(d("1.5").checked_add(d("0.25")), Some(d("1.75")));
        assert_eq!(d("2").checked_add(d("-2")), Some(Decimal::from_int(0)));
        assert_eq!(Decimal::new(i128::MAX, 0).checked_mul(d("2")), None);
        assert_eq!(Decimal::new(i128::MAX, 0).checked_add(d("0.1")), None);
        assert!(!d("1.5").is_integer() && d("15").is_integer());
        assert_eq!(d("15").to_i64(), Some(15));
        assert_eq!(d("1.5").to_i64(), None);
        assert_eq!(Decimal::new(i128::MAX, 0).to_i64(), None);
        let mut v = [
            d("2.5"),
            d("-3"),
            d("0.12"),
            d("10"),
            d("-0.5"),
            d("0"),
            d("2.49"),
        ];
        v.sort();
        let s: Vec<String> = v.iter().map(ToString::to_string).collect();
        assert_eq!(s, ["-3", "-0.5", "0", "0.12", "2.49", "2.5", "10"]);
        assert_eq!(Qualifier::Approx.as_str(), "approx");
        assert_eq!(Qualifier::Over.as_str(), "over");
        assert_eq!(Qualifier::Under.as_str(), "under");
    }

    #[test]
    fn predicates_parse_from_their_property_names() {
        for p in Predicate::ALL {
            assert_eq!(Predicate::parse(p.as_str()), Some(p));
        }
        assert_eq!(Predicate::parse("likes"), None);
        assert_eq!(Predicate::parse("Supports"), None);
    }
}
