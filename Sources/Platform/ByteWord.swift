/// Eight bytes at a time: the word tricks for "some byte of this word is X", used where every byte
/// of an input is scanned (a JSON string's run, a secret key's blanks).
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
}
