extension String {
    /// ASCII case-insensitive equality, the comparison HTTP uses for header names and tokens.
    /// It reads both strings in place, copying neither.
    public func equalsIgnoringASCIICase(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        if let result = utf8.withContiguousStorageIfAvailable({ a in
            other.utf8.withContiguousStorageIfAvailable { b in Platform.equalsIgnoringASCIICase(a, b) }
        }), let result {
            return result
        }
        var left = self, right = other
        return left.withUTF8 { a in right.withUTF8 { b in Platform.equalsIgnoringASCIICase(a, b) } }
    }

    /// The string with ASCII letters lowered; other characters are kept as they are.
    public var asciiLowercased: String {
        if !utf8.contains(where: { $0 >= 65 && $0 <= 90 }) { return self }
        return String(decoding: utf8.map(asciiLowered), as: UTF8.self)
    }

    /// The string with ASCII letters raised; other characters are kept as they are (so `ſ` does not
    /// become `S`, as `uppercased()` would make it).
    public var asciiUppercased: String {
        if !utf8.contains(where: { $0 >= 97 && $0 <= 122 }) { return self }
        return String(decoding: utf8.map { ($0 >= 97 && $0 <= 122) ? $0 & ~0x20 : $0 }, as: UTF8.self)
    }

    /// Whether the string starts with `prefix` byte for byte, not up to Unicode equivalence as
    /// `hasPrefix` compares (`"sk_test_\u{301}"` does not start with `"sk_test_"` there). Both are
    /// read in place (see `containsByte`).
    public func hasBytePrefix(_ prefix: String) -> Bool {
        let inPlace = utf8.withContiguousStorageIfAvailable { text in
            prefix.utf8.withContiguousStorageIfAvailable { prefix in
                text.count >= prefix.count && UnsafeBufferPointer(rebasing: text[..<prefix.count]).elementsEqual(prefix)
            }
        }
        if let inPlace, let result = inPlace { return result }
        return utf8.starts(with: prefix.utf8)
    }

    /// Whether the string's UTF-8 holds `byte`, read in place: the generic `utf8.contains` steps
    /// through the view at ~30 instructions a byte, which was 2.5 % of a fetch's instructions
    /// (a path checked for `%` and `@`; counted with callgrind, bench/RESULTS.md).
    public func containsByte(_ byte: UInt8) -> Bool {
        utf8.withContiguousStorageIfAvailable { $0.contains(byte) } ?? utf8.contains(byte)
    }

    /// Whether the string is non-empty printable ASCII without spaces, as a key or token is.
    public var isASCIIToken: Bool {
        !isEmpty && utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    /// The string without leading and trailing spaces.
    public var trimmingSpaces: String {
        // The usual case, no space at either end, without stepping through Characters: a Character
        // equal to " " is that one byte, so an end that is not 0x20 is not a space.
        guard utf8.first == 0x20 || utf8.last == 0x20 else { return self }
        var view = Substring(self)
        while let first = view.first, first == " " { view = view.dropFirst() }
        while let last = view.last, last == " " { view = view.dropLast() }
        return String(view)
    }

    /// Whether every character is an ASCII digit (and there is at least one).
    public var isASCIIDigits: Bool {
        !isEmpty && utf8.allSatisfy(isASCIIDigit)
    }
}

/// ASCII case-insensitive equality of two byte runs (header names, tokens).
@inlinable
public func equalsIgnoringASCIICase(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    for index in 0..<a.count where a[index] != b[index] {
        if asciiLowered(a[index]) != asciiLowered(b[index]) { return false }
    }
    return true
}

/// The byte with an ASCII capital lowered.
@inlinable
public func asciiLowered(_ byte: UInt8) -> UInt8 {
    (byte >= 65 && byte <= 90) ? byte | 0x20 : byte
}

@inlinable
public func isASCIIDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

@inlinable
public func isASCIIHexDigit(_ byte: UInt8) -> Bool {
    isASCIIDigit(byte) || (byte >= 65 && byte <= 70) || (byte >= 97 && byte <= 102)
}

/// Inlinable, as the others: called per byte (an email's, a code's), a call across modules each.
@inlinable
public func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
    (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
}

extension Substring {
    /// As `String.containsByte`.
    public func containsByte(_ byte: UInt8) -> Bool {
        utf8.withContiguousStorageIfAvailable { $0.contains(byte) } ?? utf8.contains(byte)
    }
}

extension String {
    /// The text of a NUL-terminated buffer filled in by C (up to the first NUL).
    public init(cBuffer: [CChar]) {
        self = String(decoding: cBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Writes `value`'s decimal digits at `start`, most significant first, and returns how many (at
/// most 20: the caller makes room). Counted first, then written last digit first, in place: the
/// JSON writer's integers and the access line's numbers.
@inlinable
public func writeDecimal(_ value: UInt, at start: UnsafeMutablePointer<UInt8>) -> Int {
    var digits = 1
    var rest = value
    while rest >= 10 {
        rest /= 10
        digits += 1
    }
    var position = digits
    rest = value
    repeat {
        position -= 1
        start[position] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
        rest /= 10
    } while rest > 0
    return digits
}
