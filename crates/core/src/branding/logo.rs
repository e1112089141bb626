//! The tenant logo: its format read from the bytes themselves, never from a
//! file name or a Content-Type, and its size and pixel limits. The width and
//! height come from the image headers, so no image decoder is needed.

use serde::{Deserialize, Serialize};

use crate::finding::Severity;
use crate::rules::Issue;

/// Largest logo file accepted, in bytes (512 KiB).
pub const LOGO_MAX_BYTES: usize = 512 * 1024;
/// Largest logo width and height accepted, in pixels.
pub const LOGO_MAX_PIXELS: u32 = 1024;

/// An image format accepted for the logo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageFormat {
    Png,
    Jpeg,
    Webp,
}

impl ImageFormat {
    pub fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Webp => "image/webp",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ImageFormat::Png => "PNG",
            ImageFormat::Jpeg => "JPEG",
            ImageFormat::Webp => "WebP",
        }
    }

    /// Parses a media type stored by [`ImageFormat::media_type`].
    pub fn from_media_type(media_type: &str) -> Option<ImageFormat> {
        [ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::Webp]
            .into_iter()
            .find(|format| format.media_type() == media_type)
    }
}

/// The format and pixel size read from an image's headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageInfo {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
}

fn error(code: &'static str, message: String) -> Issue {
    Issue { severity: Severity::Error, code, message }
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Reads the format, width and height from the first bytes of a PNG, JPEG
/// or WebP file. Any other content, SVG included, is an error whose message
/// names the accepted formats.
pub fn sniff_image(bytes: &[u8]) -> Result<ImageInfo, Issue> {
    if bytes.starts_with(PNG_SIGNATURE) {
        return png_size(bytes);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return jpeg_size(bytes);
    }
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return webp_size(bytes);
    }
    if looks_like_svg(bytes) {
        return Err(error(
            "svg_not_accepted",
            "SVG is not accepted because an SVG file can carry scripts; \
             export the logo as PNG, JPEG or WebP."
                .to_owned(),
        ));
    }
    let other = if bytes.starts_with(b"GIF8") {
        "a GIF image"
    } else if bytes.starts_with(b"BM") {
        "a BMP image"
    } else if bytes.starts_with(b"%PDF") {
        "a PDF document"
    } else if bytes.is_empty() {
        "empty"
    } else {
        "not an image this server can read"
    };
    Err(error(
        "unsupported_image",
        format!("The file is {other}; the logo must be a PNG, JPEG or WebP image."),
    ))
}

/// Reports text that starts like XML or SVG, after an optional byte order
/// mark and white space.
fn looks_like_svg(bytes: &[u8]) -> bool {
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = &start[..start.len().min(1024)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let trimmed = text.trim_start();
    trimmed.starts_with("<?xml")
        || trimmed.starts_with("<svg")
        || trimmed.starts_with("<!doctype svg")
        || (trimmed.starts_with('<') && trimmed.contains("<svg"))
}

fn truncated(format: ImageFormat) -> Issue {
    error(
        "truncated_image",
        format!(
            "The file starts like a {} image but its header is cut short; export it again.",
            format.name()
        ),
    )
}

fn u16_be(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?])))
}

fn u32_be(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn u16_le(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes([*bytes.get(at)?, *bytes.get(at + 1)?])))
}

fn u24_le(bytes: &[u8], at: usize) -> Option<u32> {
    let part = bytes.get(at..at + 3)?;
    Some(u32::from(part[0]) | (u32::from(part[1]) << 8) | (u32::from(part[2]) << 16))
}

/// Reads the size of a PNG. The signature is followed by the IHDR chunk,
/// whose data begins with the width and height as big-endian 32-bit numbers.
fn png_size(bytes: &[u8]) -> Result<ImageInfo, Issue> {
    let format = ImageFormat::Png;
    if bytes.get(12..16) != Some(b"IHDR") {
        return Err(truncated(format));
    }
    let width = u32_be(bytes, 16).ok_or_else(|| truncated(format))?;
    let height = u32_be(bytes, 20).ok_or_else(|| truncated(format))?;
    Ok(ImageInfo { format, width, height })
}

/// Walks the JPEG marker segments to the first start-of-frame (SOFn)
/// segment, which contains the height and then the width after the sample
/// precision byte.
fn jpeg_size(bytes: &[u8]) -> Result<ImageInfo, Issue> {
    let format = ImageFormat::Jpeg;
    let mut at = 2;
    loop {
        // Markers may be preceded by any number of 0xFF fill bytes.
        while bytes.get(at) == Some(&0xFF) && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        if bytes.get(at) != Some(&0xFF) {
            return Err(truncated(format));
        }
        let marker = *bytes.get(at + 1).ok_or_else(|| truncated(format))?;
        at += 2;
        match marker {
            // Standalone markers have no length field.
            0x01 | 0xD0..=0xD7 => continue,
            // Start of scan or end of image before any frame header.
            0xD9 | 0xDA => return Err(truncated(format)),
            _ => {}
        }
        let length = u16_be(bytes, at).ok_or_else(|| truncated(format))? as usize;
        let is_frame = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_frame {
            let height = u16_be(bytes, at + 3).ok_or_else(|| truncated(format))?;
            let width = u16_be(bytes, at + 5).ok_or_else(|| truncated(format))?;
            return Ok(ImageInfo { format, width, height });
        }
        if length < 2 {
            return Err(truncated(format));
        }
        at += length;
    }
}

/// Reads the first chunk after the RIFF/WEBP header: `VP8 ` (lossy),
/// `VP8L` (lossless) or `VP8X` (extended, with the canvas size).
fn webp_size(bytes: &[u8]) -> Result<ImageInfo, Issue> {
    let format = ImageFormat::Webp;
    let fail = || truncated(format);
    let chunk = bytes.get(12..16).ok_or_else(fail)?;
    let (width, height) = match chunk {
        b"VP8 " => {
            // A key frame: 3-byte frame tag, start code 9D 01 2A, then
            // 14-bit little-endian width and height.
            if bytes.get(23..26) != Some(&[0x9D, 0x01, 0x2A]) {
                return Err(fail());
            }
            let width = u16_le(bytes, 26).ok_or_else(fail)? & 0x3FFF;
            let height = u16_le(bytes, 28).ok_or_else(fail)? & 0x3FFF;
            (width, height)
        }
        b"VP8L" => {
            // Signature byte 0x2F, then width-1 and height-1 in 14 bits each.
            if bytes.get(20) != Some(&0x2F) {
                return Err(fail());
            }
            let bits = u32::from_le_bytes(
                bytes.get(21..25).ok_or_else(fail)?.try_into().map_err(|_| fail())?,
            );
            ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        }
        b"VP8X" => {
            // Flags and reserved bytes, then canvas width-1 and height-1 in
            // 24 bits each.
            let width = u24_le(bytes, 24).ok_or_else(fail)? + 1;
            let height = u24_le(bytes, 27).ok_or_else(fail)? + 1;
            (width, height)
        }
        _ => return Err(fail()),
    };
    Ok(ImageInfo { format, width, height })
}

fn kibibytes(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

/// Checks a logo upload: the size in bytes, the format by content and the
/// pixel size. Returns the format and size from the headers when all pass.
pub fn check_logo(bytes: &[u8]) -> Result<ImageInfo, Issue> {
    if bytes.len() > LOGO_MAX_BYTES {
        return Err(error(
            "logo_too_large",
            format!(
                "The logo is {} ({} bytes); the maximum is {} KiB ({LOGO_MAX_BYTES} bytes). \
                 Export it smaller or with more compression.",
                kibibytes(bytes.len()),
                bytes.len(),
                LOGO_MAX_BYTES / 1024
            ),
        ));
    }
    let info = sniff_image(bytes)?;
    if info.width > LOGO_MAX_PIXELS || info.height > LOGO_MAX_PIXELS {
        return Err(error(
            "logo_too_many_pixels",
            format!(
                "The logo is {}×{} pixels; the maximum is {LOGO_MAX_PIXELS}×{LOGO_MAX_PIXELS}. \
                 Scale it down.",
                info.width, info.height
            ),
        ));
    }
    if info.width == 0 || info.height == 0 {
        return Err(error(
            "logo_empty",
            format!(
                "The logo is {}×{} pixels; it needs at least one pixel each way.",
                info.width, info.height
            ),
        ));
    }
    Ok(info)
}

/// Small hand-made image headers for tests here and in the server's tests.
/// Each is only as long as the header the reader needs.
pub mod samples {
    /// Builds a PNG signature and IHDR chunk for an image of the given size.
    pub fn png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = super::PNG_SIGNATURE.to_vec();
        bytes.extend_from_slice(&13u32.to_be_bytes());
        bytes.extend_from_slice(b"IHDR");
        bytes.extend_from_slice(&width.to_be_bytes());
        bytes.extend_from_slice(&height.to_be_bytes());
        // Bit depth 8, colour type 6 (RGBA), compression, filter, interlace.
        bytes.extend_from_slice(&[8, 6, 0, 0, 0]);
        // CRC, not checked by the reader.
        bytes.extend_from_slice(&[0, 0, 0, 0]);
        bytes
    }

    /// Builds a JPEG start, an APP0 (JFIF) segment and a baseline frame header.
    pub fn jpeg(width: u16, height: u16) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xD8];
        bytes.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x10]);
        bytes.extend_from_slice(b"JFIF\0");
        bytes.extend_from_slice(&[1, 1, 0, 0, 1, 0, 1, 0, 0]);
        bytes.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08]);
        bytes.extend_from_slice(&height.to_be_bytes());
        bytes.extend_from_slice(&width.to_be_bytes());
        bytes.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        bytes
    }

    /// Builds a RIFF/WEBP header with a lossless `VP8L` chunk header.
    pub fn webp_lossless(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = b"RIFF".to_vec();
        bytes.extend_from_slice(&26u32.to_le_bytes());
        bytes.extend_from_slice(b"WEBPVP8L");
        bytes.extend_from_slice(&5u32.to_le_bytes());
        bytes.push(0x2F);
        let bits = (width - 1) | ((height - 1) << 14);
        bytes.extend_from_slice(&bits.to_le_bytes());
        bytes
    }

    /// Builds a RIFF/WEBP header with a lossy `VP8 ` key frame header.
    pub fn webp_lossy(width: u16, height: u16) -> Vec<u8> {
        let mut bytes = b"RIFF".to_vec();
        bytes.extend_from_slice(&30u32.to_le_bytes());
        bytes.extend_from_slice(b"WEBPVP8 ");
        bytes.extend_from_slice(&10u32.to_le_bytes());
        // Frame tag: bit 0 clear marks a key frame.
        bytes.extend_from_slice(&[0, 0, 0]);
        bytes.extend_from_slice(&[0x9D, 0x01, 0x2A]);
        bytes.extend_from_slice(&width.to_le_bytes());
        bytes.extend_from_slice(&height.to_le_bytes());
        bytes
    }

    /// Builds a RIFF/WEBP header with an extended `VP8X` chunk header.
    pub fn webp_extended(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = b"RIFF".to_vec();
        bytes.extend_from_slice(&30u32.to_le_bytes());
        bytes.extend_from_slice(b"WEBPVP8X");
        bytes.extend_from_slice(&10u32.to_le_bytes());
        bytes.extend_from_slice(&[0x10, 0, 0, 0]);
        bytes.extend_from_slice(&(width - 1).to_le_bytes()[..3]);
        bytes.extend_from_slice(&(height - 1).to_le_bytes()[..3]);
        bytes
    }

    pub const SVG: &[u8] =
        b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
}

#[cfg(test)]
mod tests {
    use super::samples;
    use super::*;

    #[test]
    fn png_size_is_read_from_ihdr() {
        let info = sniff_image(&samples::png(640, 200)).unwrap();
        assert_eq!(info, ImageInfo { format: ImageFormat::Png, width: 640, height: 200 });
    }

    #[test]
    fn jpeg_size_is_read_from_frame_header() {
        let info = sniff_image(&samples::jpeg(320, 96)).unwrap();
        assert_eq!(info, ImageInfo { format: ImageFormat::Jpeg, width: 320, height: 96 });
    }

    #[test]
    fn webp_sizes_are_read_from_each_chunk_kind() {
        let lossless = sniff_image(&samples::webp_lossless(300, 120)).unwrap();
        assert_eq!(
            (lossless.format, lossless.width, lossless.height),
            (ImageFormat::Webp, 300, 120)
        );
        let lossy = sniff_image(&samples::webp_lossy(512, 64)).unwrap();
        assert_eq!((lossy.width, lossy.height), (512, 64));
        let extended = sniff_image(&samples::webp_extended(1024, 768)).unwrap();
        assert_eq!((extended.width, extended.height), (1024, 768));
    }

    #[test]
    fn svg_is_rejected_with_reason() {
        let issue = sniff_image(samples::SVG).unwrap_err();
        assert_eq!(issue.code, "svg_not_accepted");
        assert!(issue.message.contains("can carry scripts"), "{}", issue.message);
        let bare = sniff_image(b"  <svg viewBox=\"0 0 1 1\"></svg>").unwrap_err();
        assert_eq!(bare.code, "svg_not_accepted");
    }

    #[test]
    fn gif_is_named_in_the_message() {
        let issue = sniff_image(b"GIF89a\x01\x00\x01\x00").unwrap_err();
        assert_eq!(
            issue.message,
            "The file is a GIF image; the logo must be a PNG, JPEG or WebP image."
        );
    }

    #[test]
    fn cut_png_header_is_truncated() {
        let mut bytes = samples::png(10, 10);
        bytes.truncate(18);
        assert_eq!(sniff_image(&bytes).unwrap_err().code, "truncated_image");
    }

    #[test]
    fn jpeg_without_frame_header_is_truncated() {
        let bytes = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08];
        assert_eq!(sniff_image(&bytes).unwrap_err().code, "truncated_image");
    }

    #[test]
    fn oversized_file_gives_actual_and_allowed_size() {
        let mut bytes = samples::png(10, 10);
        bytes.resize(600 * 1024, 0);
        let issue = check_logo(&bytes).unwrap_err();
        assert_eq!(
            issue.message,
            "The logo is 600.0 KiB (614400 bytes); the maximum is 512 KiB (524288 bytes). \
             Export it smaller or with more compression."
        );
    }

    #[test]
    fn too_many_pixels_gives_actual_and_allowed_size() {
        let issue = check_logo(&samples::png(2048, 512)).unwrap_err();
        assert_eq!(
            issue.message,
            "The logo is 2048×512 pixels; the maximum is 1024×1024. Scale it down."
        );
        assert!(check_logo(&samples::png(1024, 1024)).is_ok());
    }
}
