import Platform

/// Decoded `key=value` pairs of a query string or a form body, in order; repeated keys are kept.
///
/// Written by hand because libevent's `evhttp_parse_query_str` fails as a whole when any pair lacks
/// `=`; here such a pair is a key with an empty value, and `+` is a space as in HTML forms.
public struct QueryParameters: Sendable, Sequence {
    public private(set) var pairs: [(key: String, value: String)]

    public init(_ pairs: [(key: String, value: String)] = []) {
        self.pairs = pairs
    }

    /// Parses `a=1&b=two+words&c`; pairs whose escapes do not decode to UTF-8 are kept undecoded.
    /// Walked over the bytes: splitting the String's UTF-8 view into Substrings cost ~5,800
    /// instructions for `perPage=50` (callgrind), a tenth of a list request outside its copies.
    public init(parsing text: String) {
        var text = text
        var pairs: [(key: String, value: String)] = []
        text.withUTF8 { bytes in
            var start = 0
            while start < bytes.count {
                var end = start
                var equals: Int?
                while end < bytes.count, bytes[end] != UInt8(ascii: "&") {
                    if equals == nil, bytes[end] == UInt8(ascii: "=") { equals = end }
                    end += 1
                }
                if end > start {
                    let keyEnd = equals ?? end
                    let valueStart = equals.map { $0 + 1 } ?? end
                    pairs.append((
                        formDecode(UnsafeBufferPointer(rebasing: bytes[start..<keyEnd])),
                        formDecode(UnsafeBufferPointer(rebasing: bytes[valueStart..<end]))))
                }
                start = end + 1
            }
        }
        self.pairs = pairs
    }

    /// The first value of `key` (case-sensitive, as Paystack's query names are).
    public subscript(key: String) -> String? {
        pairs.first { $0.key == key }?.value
    }

    /// Every value of `key`, in order.
    public func values(_ key: String) -> [String] {
        pairs.filter { $0.key == key }.map(\.value)
    }

    public var isEmpty: Bool { pairs.isEmpty }

    public func makeIterator() -> IndexingIterator<[(key: String, value: String)]> {
        pairs.makeIterator()
    }
}

/// `+` as a space, then `%XX` escapes decoded; the text as it is when an escape does not decode.
private func formDecode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    let text = bytes.contains(UInt8(ascii: "+"))
        ? String(decoding: bytes.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
        : String(decoding: bytes, as: UTF8.self)
    return percentDecode(text) ?? text
}

/// Decodes `%XX` escapes. Nil when an escape is malformed or the result is not UTF-8.
public func percentDecode(_ text: String) -> String? {
    guard text.containsByte(UInt8(ascii: "%")) else { return text }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    var iterator = text.utf8.makeIterator()
    while let byte = iterator.next() {
        guard byte == UInt8(ascii: "%") else {
            bytes.append(byte)
            continue
        }
        guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
            return nil
        }
        bytes.append(high << 4 | low)
    }
    return String(validating: bytes, as: UTF8.self)
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
