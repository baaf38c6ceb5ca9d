//! Byte offsets to 1-based line and column numbers.
//!
//! The only place that turns offsets into positions, so every printer agrees: lines and columns
//! both start at 1, and a column counts characters, not bytes.

/// A 1-based position in a text file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// The start offset of every line of one text, and how many characters precede each block of
/// [`BLOCK`] bytes: a column is then counted over at most one block, however long the line, so
/// that many positions on one long line cost no more than positions on short ones.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    chars_before_block: Vec<usize>,
}

const BLOCK: usize = 256;

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut chars_before_block = vec![0];
        let mut total = 0;
        for block in text.as_bytes().chunks(BLOCK) {
            total += char_starts(block);
            chars_before_block.push(total);
        }
        LineIndex {
            line_starts,
            chars_before_block,
        }
    }

    /// The position of `offset` in `text`; offsets past the end clamp to the end, and offsets
    /// inside a multi-byte character count as that character.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let column = self.chars_before(text, offset) - self.chars_before(text, start);
        Position {
            line: line + 1,
            column: column + 1,
        }
    }

    /// The 0-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset) - 1
    }

    /// The byte offset where 1-based `line` starts, if the text has that line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line.checked_sub(1)?).copied()
    }

    /// How many characters start before `offset`.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let block = offset / BLOCK;
        let from = block * BLOCK;
        self.chars_before_block[block] + char_starts(&text.as_bytes()[from..offset])
    }
}

/// The characters starting in `bytes`: every byte that is not a UTF-8 continuation byte.
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(text: &str, offset: usize) -> (usize, usize) {
        let p = LineIndex::new(text).position(text, offset);
        (p.line, p.column)
    }

    #[test]
    fn first_character_is_line_one_column_one() {
        assert_eq!(pos("name: x\n", 0), (1, 1));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "a: é\nb: ü x\n";
        assert_eq!(pos(text, text.find('x').unwrap()), (2, 6));
    }

    #[test]
    fn offset_just_after_newline_starts_next_line() {
        assert_eq!(pos("ab\ncd", 3), (2, 1));
        assert_eq!(pos("ab\ncd", 2), (1, 3));
    }

    #[test]
    fn offsets_past_the_end_clamp() {
        assert_eq!(pos("ab", 99), (1, 3));
        assert_eq!(pos("", 5), (1, 1));
    }

    #[test]
    fn line_starts_round_trip_for_every_offset() {
        let text = "one\ntwö\n\nfour ∑\n";
        let index = LineIndex::new(text);
        for (offset, _) in text.char_indices() {
            let p = index.position(text, offset);
            let start = index.line_start(p.line).unwrap();
            assert_eq!(text[start..offset].chars().count() + 1, p.column);
        }
    }

    #[test]
    fn columns_stay_right_across_blocks_of_a_long_line() {
        let text = format!("{}x", "é".repeat(BLOCK * 3));
        let index = LineIndex::new(&text);
        let p = index.position(&text, text.len() - 1);
        assert_eq!((p.line, p.column), (1, BLOCK * 3 + 1));
        for offset in [BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK + 2] {
            let naive = text.as_bytes()[..offset]
                .iter()
                .copied()
                .filter(|&b| (b as i8) >= -0x40)
                .count();
            assert_eq!(index.position(&text, offset).column, naive + 1, "{offset}");
        }
    }
}
