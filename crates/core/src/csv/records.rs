//! Reading CSV records with their data row number and the physical lines they
//! span, on top of the `csv` crate's parser.

/// A record of the file with its position.
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

/// Reads records of a decoded file. `\r\n`, `\n` and a lone `\r` all end a
/// line, both for the parser and for line numbers.
pub struct RecordReader<'a> {
    reader: csv::Reader<&'a [u8]>,
    bytes: &'a [u8],
    line_starts: Vec<usize>,
}

impl<'a> RecordReader<'a> {
    pub fn new(text: &'a str, delimiter: u8) -> RecordReader<'a> {
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        RecordReader { reader, bytes: text.as_bytes(), line_starts: line_starts(text.as_bytes()) }
    }

    /// Bytes of the text consumed so far.
    pub fn bytes_read(&self) -> u64 {
        self.reader.position().byte()
    }

    fn line_of(&self, offset: usize) -> u32 {
        let line = self.line_starts.partition_point(|&start| start <= offset);
        u32::try_from(line).unwrap_or(u32::MAX)
    }
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

impl RecordReader<'_> {
    /// Reads the next record into `record`, reusing its buffers, and returns
    /// its span; `None` at the end of the file.
    pub fn read_into(&mut self, record: &mut csv::StringRecord) -> Option<Result<Span, String>> {
        match self.reader.read_record(record) {
            Ok(false) => None,
            Ok(true) => {
                let mut start = record.position().map_or(0, |p| p.byte() as usize);
                // The parser skips empty lines but reports the position
                // where it started looking, which may be such a line.
                while matches!(self.bytes.get(start), Some(b'\r' | b'\n')) {
                    start += 1;
                }
                let after = self.reader.position().byte() as usize;
                let end = after.saturating_sub(1).max(start);
                // The parser reads an unclosed quote to the end of the file
                // without complaint; an odd number of quote characters in a
                // record that reaches the end is how it shows.
                let unclosed_quote = after >= self.bytes.len()
                    && self.bytes[start..].iter().filter(|&&b| b == b'"').count() % 2 == 1;
                let (line_start, line_end) = (self.line_of(start), self.line_of(end));
                Some(Ok(Span { line_start, line_end, unclosed_quote }))
            }
            Err(error) => Some(Err(error.to_string())),
        }
    }
}

impl Iterator for RecordReader<'_> {
    type Item = Result<Record, String>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut record = csv::StringRecord::new();
        let span = self.read_into(&mut record)?;
        Some(span.map(|span| Record {
            cells: record.iter().map(str::to_owned).collect(),
            line_start: span.line_start,
            line_end: span.line_end,
            unclosed_quote: span.unclosed_quote,
        }))
    }
}

fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'\r' if bytes.get(index + 1) == Some(&b'\n') => {
                starts.push(index + 2);
                index += 2;
            }
            b'\r' | b'\n' => {
                starts.push(index + 1);
                index += 1;
            }
            _ => index += 1,
        }
    }
    starts
}

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
        RecordReader::new(text, b',').filter_map(Result::ok).collect()
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
        assert!(!read("a,b\n\"x\",y\n")[1].unclosed_quote);
    }

    #[test]
    fn semicolon_header_is_detected() {
        assert_eq!(detect_delimiter("action;login_id;\"a,b\"\n"), b';');
        assert_eq!(detect_delimiter("action\tlogin_id\n"), b'\t');
        assert_eq!(detect_delimiter("action,login_id\n"), b',');
    }
}
