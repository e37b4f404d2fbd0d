//! Text encodings of CSV files: UTF-8 (with or without BOM), UTF-16 (Excel's
//! "Unicode text"), GBK/GB18030 (Chinese Excel's default CSV export) and
//! Windows-1252 (Western European Excel's, for lists with names such as
//! `Müller GmbH`).
//!
//! Detection: a byte-order mark decides; otherwise text that is valid UTF-8
//! is UTF-8 (GBK-encoded Chinese is practically never valid UTF-8); text
//! whose non-ASCII bytes stand mostly alone between ASCII ones is
//! Windows-1252 (a Chinese character in GBK is two such bytes side by side;
//! read as GBK, `ü` and the `l` after it would silently become one Chinese
//! character); anything else must decode as GB18030 (a superset of GBK
//! and GB2312) without a single invalid sequence, or the file is refused.

use std::borrow::Cow;

use super::super::BatchError;

/// The decoded text and the name of the encoding it was in.
///
/// # Errors
/// [`BatchError::Encoding`] when the bytes are neither UTF-8, UTF-16 with a
/// BOM, nor GB18030, naming the first line that is not; a GB18030 file
/// with bytes that are not GB18030 on a few lines (at most
/// 10, and one in 20) is read with U+FFFD in their place;
/// [`BatchError::MixedEncoding`] when whole lines of Chinese UTF-8 text are
/// followed by bytes that are not UTF-8 (GBK lines under a UTF-8 header).
///
/// # Example
/// ```
/// use policy_match::batch::import::decode;
/// let (gbk, _, _) = encoding_rs::GBK.encode("企业名称");
/// let (text, enc) = decode(&gbk).unwrap();
/// assert_eq!((text.as_ref(), enc), ("企业名称", "GB18030"));
/// let (text, enc) = decode("\u{feff}名称".as_bytes()).unwrap();
/// assert_eq!((text.as_ref(), enc), ("名称", "UTF-8"));
/// ```
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, &'static str), BatchError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok((Cow::Borrowed(s), "UTF-8")),
            Err(e) => Err(BatchError::Encoding(format!(
                "the file starts with a UTF-8 byte-order mark but byte {} is not UTF-8; save it again as \"CSV UTF-8\"",
                e.valid_up_to() + 3
            ))),
        };
    }
    for (bom, enc, name) in [(b"\xFF\xFE", encoding_rs::UTF_16LE, "UTF-16LE"), (b"\xFE\xFF", encoding_rs::UTF_16BE, "UTF-16BE")] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return match enc.decode_without_bom_handling_and_without_replacement(rest) {
                Some(s) => Ok((Cow::Owned(s.into_owned()), name)),
                None => Err(BatchError::Encoding(format!("the file starts with a {name} byte-order mark but is not valid {name}"))),
            };
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((Cow::Borrowed(s), "UTF-8")),
        Err(utf8) if utf8_lines_with_chinese(&bytes[..utf8.valid_up_to()]) => {
            Err(BatchError::MixedEncoding { line: 1 + bytes[..utf8.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u64 })
        }
        Err(_) if looks_western(bytes) => Ok((encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0, "windows-1252")),
        Err(utf8) => match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
            Some(s) => Ok((Cow::Owned(s.into_owned()), "GB18030")),
            None => {
                // A few stray bytes in a GBK list (a cut-off character, a
                // paste): read as U+FFFD, which the importer reports per
                // row, so that the other rows still count. Many: not GBK.
                let (s, _) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
                let lines = s.lines().count();
                let mut bad = s.lines().enumerate().filter(|(_, l)| l.contains('\u{fffd}')).map(|(i, _)| i + 1);
                let first = bad.next().unwrap_or(1);
                let n = 1 + bad.count();
                if n <= MAX_STRAY_LINES && n * 20 <= lines {
                    return Ok((Cow::Owned(s.into_owned()), "GB18030"));
                }
                Err(BatchError::Encoding(format!(
                    "the file is neither UTF-8 (byte {} is not) nor GBK/GB18030 (line {first} is not, and {n} line(s) in all); save it from Excel as \"CSV UTF-8\" or \"CSV\"",
                    utf8.valid_up_to()
                )))
            }
        },
    }
}

/// Most lines of a GBK file with bytes that are not GBK for it still to be
/// read (each such row reported), when they are also at most 1 in 20.
pub const MAX_STRAY_LINES: usize = 10;

/// Whether a file that is not UTF-8 is Windows-1252 text: no control or
/// undefined bytes, and its non-ASCII bytes stand mostly
/// alone (`M\xFCller`, `Soci\xE9t\xE9`), as Windows-1252 letters do, rather than
/// in pairs, as GBK's Chinese characters do (both bytes 0x81 or more, but
/// for rare characters whose second byte is ASCII): more runs of an odd
/// number of such bytes than of an even one.
fn looks_western(bytes: &[u8]) -> bool {
    // Text: no control characters but tab and line breaks, and none of the
    // five bytes Windows-1252 leaves undefined (a binary file is neither).
    let binary = |b: u8| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') || matches!(b, 0x7F | 0x81 | 0x8D | 0x8F | 0x90 | 0x9D);
    if bytes.iter().any(|&b| binary(b)) {
        return false;
    }
    let (mut odd, mut even, mut run) = (0usize, 0usize, 0usize);
    for &b in bytes.iter().chain(std::iter::once(&b'\n')) {
        if b >= 0x80 {
            run += 1;
        } else if run > 0 {
            if run % 2 == 1 {
                odd += 1;
            } else {
                even += 1;
            }
            run = 0;
        }
    }
    odd > even
}

/// Whether the valid UTF-8 start of a file that is not UTF-8 throughout
/// holds at least one whole line and Chinese text (two or more CJK
/// characters): UTF-8 lines followed by lines in another encoding. GBK text
/// is practically never valid UTF-8 that long.
fn utf8_lines_with_chinese(valid: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(valid) else { return false };
    text.contains('\n') && text.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).take(2).count() == 2
}
