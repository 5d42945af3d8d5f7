/// Where the run of bytes from `start` that a JSON string holds as they are ends: at the first
/// control character, quote or backslash, else at `bytes.count`; and whether the run is all ASCII.
///
/// Eight bytes at a time, with the word tricks for "some byte is zero" (on the word XOR quotes and
/// XOR backslashes) and "some byte is below 0x20": a borrow only moves towards later bytes, so the
/// first flagged byte is exact. Strings in request bodies and answers are read this way: byte by
/// byte they were ~8 instructions a byte.
@usableFromInline
func plainRun(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (end: Int, ascii: Bool) {
    let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
    var index = start
    var seen: UInt64 = 0
    if let base = bytes.baseAddress {
        while index + 8 <= bytes.count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            let quotes = word ^ (ones &* 0x22), backslashes = word ^ (ones &* 0x5C)
            let special = ((word &- ones &* 0x20) & ~word | (quotes &- ones) & ~quotes | (backslashes &- ones) & ~backslashes) & highs
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
