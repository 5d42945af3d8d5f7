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
    public init(parsing text: String) {
        var pairs: [(key: String, value: String)] = []
        for part in text.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let raw = Substring(part)
            let key: Substring, value: Substring
            if let equals = raw.firstIndex(of: "=") {
                key = raw[..<equals]
                value = raw[raw.index(after: equals)...]
            } else {
                key = raw
                value = ""
            }
            pairs.append((formDecode(key), formDecode(value)))
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

private func formDecode(_ text: Substring) -> String {
    let spaced = text.containsByte(UInt8(ascii: "+"))
        ? String(decoding: text.utf8.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
        : String(text)
    return percentDecode(spaced) ?? spaced
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
