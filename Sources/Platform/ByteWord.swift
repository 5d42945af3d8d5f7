/// Eight bytes at a time: the word tricks for "some byte of this word is X", used where every byte
/// of an input is scanned (a JSON string's run, a secret key's blanks), and the word form of ASCII
/// lowering (an email hashed for the customer index).
///
/// Each test sets the high bit of the bytes it flags. A flag is exact up to the first flagged byte
/// (a borrow only moves towards later, more significant bytes, so a byte after a flagged one can
/// be flagged wrongly): "is any flagged" and "where is the first" are exact, nothing more.
public enum ByteWord {
    // Computed, not stored: a stored static is a lazy global, reached through a call.
    @inlinable public static var ones: UInt64 { 0x0101_0101_0101_0101 }
    @inlinable public static var highs: UInt64 { 0x8080_8080_8080_8080 }

    /// Eight bytes from `pointer`, the first in the lowest bits, at any alignment.
    @inlinable
    public static func load(_ pointer: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
    }

    /// Flags the bytes of `word` equal to `byte`.
    @inlinable
    public static func equal(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let difference = word ^ (ones &* UInt64(byte))
        return (difference &- ones) & ~difference & highs
    }

    /// Flags the bytes of `word` below `bound` (at most 0x80).
    @inlinable
    public static func below(_ word: UInt64, _ bound: UInt8) -> UInt64 {
        (word &- ones &* UInt64(bound)) & ~word & highs
    }

    /// `word` with its ASCII capital letters lowered, other bytes (non-ASCII ones too) kept: the
    /// word form of `asciiLowered`. Exact for every byte: with the high bits cleared first, adding
    /// at most 0x3F carries into no neighbour.
    @inlinable
    public static func asciiLowered(_ word: UInt64) -> UInt64 {
        let low = word & ~highs
        let atLeastA = low &+ ones &* UInt64(0x80 - 0x41)
        let pastZ = low &+ ones &* UInt64(0x80 - 0x5B)
        let capitals = atLeastA & ~pastZ & ~word & highs
        return word | capitals >> 2
    }

    /// The first `count` (0...8) bytes from `pointer` in the lowest bits, zeros above: a key's tail,
    /// read without touching the bytes after it.
    @inlinable
    public static func load(_ pointer: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        var word: UInt64 = 0
        for index in 0..<count { word |= UInt64(pointer[index]) << (8 * index) }
        return word
    }
}
