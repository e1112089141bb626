//! Reading CSV records of decoded text, with the physical lines each record
//! spans.
//!
//! The reader follows the quoting rules of RFC 4180 as spreadsheets write
//! them, and reads the same cells as the `csv` crate (1.4) with
//! `flexible(true)` and its other defaults, which a property test checks:
//!
//! - `\r\n`, `\n` and a lone `\r` each end a record and a line; empty lines
//!   are skipped;
//! - a quote opens a quoted cell only as the first character of a cell, and
//!   a doubled quote inside it stands for one quote. Text after the closing
//!   quote up to the next delimiter is kept as typed (`"ab"cd` reads as
//!   `abcd`);
//! - a quote that is never closed runs to the end of the file.
//!
//! Cells are borrowed from the text, so reading a file allocates nothing
//! once the record buffer has grown to the widest record. Only a cell with
//! a doubled quote, or text after its closing quote, is copied.

use std::ops::Range;

use super::words::{bytes_equal_to, read_word, LOW_BITS};

/// A record of the file with its position, as [`RecordReader`]'s iterator
/// returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub cells: Vec<String>,
    /// 1-based physical line where the record starts.
    pub line_start: u32,
    /// 1-based physical line where the record ends; larger than `line_start`
    /// when a quoted value contains a line break.
    pub line_end: u32,
    /// Whether the record runs to the end of the file inside a quote that
    /// is never closed.
    pub unclosed_quote: bool,
}

/// Location of a record in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub line_start: u32,
    pub line_end: u32,
    /// Whether the record runs to the end of the file inside a quote that
    /// is never closed.
    pub unclosed_quote: bool,
}

/// Location of a cell's text: in the file, or in the record's buffer of
/// unquoted copies.
#[derive(Debug, Clone)]
enum CellText {
    File(Range<usize>),
    Copied(Range<usize>),
}

/// The cells of one record, reused from record to record.
#[derive(Debug, Clone)]
pub struct Cells<'a> {
    text: &'a str,
    cells: Vec<CellText>,
    /// Cells that differ from their bytes in the file, with quotes removed.
    copies: String,
}

impl<'a> Cells<'a> {
    /// Creates an empty record of `text` to pass to [`RecordReader::read_into`].
    pub fn new(text: &'a str) -> Cells<'a> {
        Cells { text, cells: Vec::new(), copies: String::new() }
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Returns the cell at `index`, without its enclosing quotes.
    pub fn get(&self, index: usize) -> Option<&str> {
        let cell = match self.cells.get(index)? {
            CellText::File(range) => self.text.get(range.clone()),
            CellText::Copied(range) => self.copies.get(range.clone()),
        };
        Some(cell.unwrap_or_default())
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.cells.len()).filter_map(|index| self.get(index))
    }

    fn clear(&mut self) {
        self.cells.clear();
        self.copies.clear();
    }
}

/// Reads the records of a decoded file.
pub struct RecordReader<'a> {
    text: &'a str,
    delimiter: u8,
    /// Whether a byte ends unquoted text: the delimiter, `\r` and `\n`. One
    /// table lookup per byte is cheaper than three comparisons.
    ends_unquoted: [bool; 256],
    /// The delimiter repeated in each byte of a word.
    delimiter_word: u64,
    /// Byte offset of the next byte to read.
    position: usize,
    /// 1-based line of the byte at `position`.
    line: u32,
}

impl<'a> RecordReader<'a> {
    /// A reader of `text` whose cells are separated by `delimiter`, which
    /// must be an ASCII byte other than a quote or a line break. A
    /// byte-order mark at the start of `text` is skipped, as the `csv` crate
    /// skips it.
    pub fn new(text: &'a str, delimiter: u8) -> RecordReader<'a> {
        let mut ends_unquoted = [false; 256];
        for byte in [delimiter, b'\r', b'\n'] {
            ends_unquoted[usize::from(byte)] = true;
        }
        let delimiter_word = u64::from(delimiter) * LOW_BITS;
        let position = if text.starts_with('\u{FEFF}') { '\u{FEFF}'.len_utf8() } else { 0 };
        RecordReader { text, delimiter, ends_unquoted, delimiter_word, position, line: 1 }
    }

    /// Bytes of the text consumed so far.
    pub fn bytes_read(&self) -> u64 {
        self.position as u64
    }

    /// Reads the next record into `cells`, reusing its buffers, and returns
    /// its span; `None` at the end of the file.
    pub fn read_into(&mut self, cells: &mut Cells<'a>) -> Option<Span> {
        cells.clear();
        let bytes = self.text.as_bytes();
        while let Some(b'\r' | b'\n') = bytes.get(self.position) {
            self.consume_line_break();
        }
        if self.position >= bytes.len() {
            return None;
        }
        let line_start = self.line;
        let mut unclosed_quote = false;
        loop {
            if bytes[self.position] == b'"' {
                unclosed_quote = self.read_quoted_cell(cells);
            } else {
                let start = self.position;
                self.position = self.end_of_unquoted(start);
                cells.cells.push(CellText::File(start..self.position));
            }
            match bytes.get(self.position) {
                Some(&byte) if byte == self.delimiter => {
                    self.position += 1;
                    if self.position == bytes.len() {
                        // A delimiter that ends the file leaves one empty cell.
                        cells.cells.push(CellText::File(self.position..self.position));
                        return Some(Span { line_start, line_end: self.line, unclosed_quote });
                    }
                }
                Some(b'\r' | b'\n') => {
                    let line_end = self.line;
                    self.consume_line_break();
                    return Some(Span { line_start, line_end, unclosed_quote });
                }
                // The record reaches the end of the file. Its last byte is a
                // line break only inside a quote that is never closed, and
                // such a byte belongs to the line it ends.
                _ => {
                    let ends_in_line_break = matches!(bytes.last(), Some(b'\r' | b'\n'));
                    let line_end = self.line - u32::from(ends_in_line_break);
                    return Some(Span { line_start, line_end, unclosed_quote });
                }
            }
        }
    }

    /// Returns the offset of the delimiter or line break that ends the
    /// unquoted text starting at `start`, or the end of the file. Whole
    /// words of eight bytes are searched at once, which in the browser's
    /// wasm costs less than a lookup per byte.
    fn end_of_unquoted(&self, start: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut index = start;
        while let Some(chunk) = bytes.get(index..index + 8) {
            let word = read_word(chunk);
            let found = bytes_equal_to(word, self.delimiter_word)
                | bytes_equal_to(word, CARRIAGE_RETURNS)
                | bytes_equal_to(word, LINE_FEEDS);
            if found != 0 {
                return index + (found.trailing_zeros() / 8) as usize;
            }
            index += 8;
        }
        bytes[index..]
            .iter()
            .position(|&byte| self.ends_unquoted[usize::from(byte)])
            .map_or(bytes.len(), |offset| index + offset)
    }

    /// Reads a cell that starts with a quote, leaving `position` on the byte
    /// after it. Returns whether the quote is never closed.
    fn read_quoted_cell(&mut self, cells: &mut Cells<'a>) -> bool {
        let bytes = self.text.as_bytes();
        // The text since the last doubled quote, inside the quotes.
        let mut piece_start = self.position + 1;
        let mut copy_start: Option<usize> = None;
        let mut index = piece_start;
        let (end, unclosed) = loop {
            match bytes.get(index) {
                None => break (bytes.len(), true),
                Some(b'"') if bytes.get(index + 1) == Some(&b'"') => {
                    copy_start.get_or_insert(cells.copies.len());
                    cells.copies.push_str(&self.text[piece_start..=index]);
                    index += 2;
                    piece_start = index;
                }
                Some(b'"') => break (index, false),
                Some(b'\n') => {
                    self.line += 1;
                    index += 1;
                }
                Some(b'\r') => {
                    if bytes.get(index + 1) != Some(&b'\n') {
                        self.line += 1;
                    }
                    index += 1;
                }
                Some(_) => index += 1,
            }
        };
        self.position = if unclosed { end } else { end + 1 };
        // Text after the closing quote, up to the delimiter, is part of the cell.
        let trailing_end = if unclosed { end } else { self.end_of_unquoted(end + 1) };
        let has_trailing = !unclosed && trailing_end > end + 1;
        if copy_start.is_none() && !has_trailing {
            cells.cells.push(CellText::File(piece_start..end));
            return unclosed;
        }
        let start = *copy_start.get_or_insert(cells.copies.len());
        cells.copies.push_str(&self.text[piece_start..end]);
        if has_trailing {
            cells.copies.push_str(&self.text[end + 1..trailing_end]);
            self.position = trailing_end;
        }
        cells.cells.push(CellText::Copied(start..cells.copies.len()));
        unclosed
    }

    /// Consumes the line break at `position`: `\r\n`, `\n` or a lone `\r`.
    fn consume_line_break(&mut self) {
        let bytes = self.text.as_bytes();
        if bytes.get(self.position) == Some(&b'\r') && bytes.get(self.position + 1) == Some(&b'\n')
        {
            self.position += 1;
        }
        self.position += 1;
        self.line += 1;
    }
}

impl Iterator for RecordReader<'_> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        let mut cells = Cells::new(self.text);
        let span = self.read_into(&mut cells)?;
        Some(Record {
            cells: cells.iter().map(str::to_owned).collect(),
            line_start: span.line_start,
            line_end: span.line_end,
            unclosed_quote: span.unclosed_quote,
        })
    }
}

const CARRIAGE_RETURNS: u64 = b'\r' as u64 * LOW_BITS;
const LINE_FEEDS: u64 = b'\n' as u64 * LOW_BITS;

/// Picks the delimiter that occurs most often outside quotes in the first
/// line, out of comma, semicolon and tab. Ties go to the comma.
pub fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for byte in text.bytes() {
        match byte {
            b'"' => quoted = !quoted,
            b'\r' | b'\n' if !quoted => break,
            _ if !quoted => {
                for (delimiter, count) in &mut counts {
                    if byte == *delimiter {
                        *count += 1;
                    }
                }
            }
            _ => {}
        }
    }
    counts.iter().fold((b',', 0), |best, &(d, n)| if n > best.1 { (d, n) } else { best }).0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Record> {
        RecordReader::new(text, b',').collect()
    }

    #[test]
    fn crlf_leaves_no_carriage_return_in_values() {
        let records = read("a,b\r\nc,d\r\n");
        assert_eq!(records[1].cells, ["c", "d"]);
    }

    #[test]
    fn quoted_line_break_spans_two_lines() {
        let records = read("a,b\n\"x\ny\",\"say \"\"hi\"\"\"\nz,w\n");
        assert_eq!(records[1].cells, ["x\ny", "say \"hi\""]);
        assert_eq!((records[1].line_start, records[1].line_end), (2, 3));
        assert_eq!((records[2].line_start, records[2].line_end), (4, 4));
    }

    #[test]
    fn text_after_closing_quote_is_kept() {
        let records = read("\"ab\"cd,\"x\"\"y\"z\"\n");
        assert_eq!(records[0].cells, ["abcd", "x\"yz\""]);
    }

    #[test]
    fn trailing_delimiter_leaves_empty_cell() {
        assert_eq!(read("a,")[0].cells, ["a", ""]);
        assert_eq!(read("a,\n")[0].cells, ["a", ""]);
        assert_eq!(read(",")[0].cells, ["", ""]);
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        let records = read("a,b\rc,d\re,f");
        assert_eq!(records.len(), 3);
        assert_eq!(records[2].line_start, 3);
    }

    #[test]
    fn blank_lines_leave_gaps_in_line_numbers() {
        let records = read("a,b\n\nc,d\n");
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].line_start, 3);
    }

    #[test]
    fn unclosed_quote_is_flagged() {
        let records = read("a,b\n\"x,y\nz,w\n");
        assert_eq!(records.len(), 2);
        assert!(records[1].unclosed_quote);
        assert_eq!(records[1].cells, ["x,y\nz,w\n"]);
        assert_eq!((records[1].line_start, records[1].line_end), (2, 3));
        assert!(!read("a,b\n\"x\",y\n")[1].unclosed_quote);
    }

    #[test]
    fn semicolon_header_is_detected() {
        assert_eq!(detect_delimiter("action;login_id;\"a,b\"\n"), b';');
        assert_eq!(detect_delimiter("action\tlogin_id\n"), b'\t');
        assert_eq!(detect_delimiter("action,login_id\n"), b',');
    }
}
