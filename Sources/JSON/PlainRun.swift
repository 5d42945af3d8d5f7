import Platform

/// Where the run of bytes from `start` that a JSON string holds as they are ends: at the first
/// control character, quote or backslash, else at `bytes.count`; and whether the run is all ASCII.
///
/// Eight bytes at a time (`ByteWord`): the first flagged byte is exact. Strings in request bodies
/// and answers are read this way: byte by byte they were ~8 instructions a byte.
@usableFromInline
func plainRun(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (end: Int, ascii: Bool) {
    let highs = ByteWord.highs
    var index = start
    var seen: UInt64 = 0
    if let base = bytes.baseAddress {
        while index + 8 <= bytes.count {
            let word = ByteWord.load(base + index)
            let special = ByteWord.below(word, 0x20) | ByteWord.equal(word, UInt8(ascii: "\"")) | ByteWord.equal(word, UInt8(ascii: "\\"))
            if special != 0 {
                let first = special.trailingZeroBitCount / 8
                if first > 0 { seen |= word & (UInt64.max >> (64 - 8 * first)) }
                return (index + first, seen & highs == 0)
            }
            seen |= word
            index += 8
        }
    }
    while index < bytes.count {
        let byte = bytes[index]
        if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { break }
        seen |= UInt64(byte)
        index += 1
    }
    return (index, seen & highs == 0)
}
