/// Where and why a JSON text failed to parse.
public struct JSONParseError: Error, Sendable, CustomStringConvertible {
    public let offset: Int
    public let reason: String

    public var description: String { "\(reason) at byte \(offset)" }
}

/// A strict RFC 8259 parser over bytes.
///
/// Hand-written for a measured reason: seed files of a million customers must load in seconds, one
/// element at a time (`JSONArrayReader`), and metadata must keep member order and number text.
public struct JSONParser {
    /// Borrowed for the parser's lifetime: callers keep the bytes alive (`withUnsafeBufferPointer`,
    /// a mapped file) and every string is copied out as it is read.
    private let bytes: UnsafeBufferPointer<UInt8>
    fileprivate var position = 0
    fileprivate var depth = 0
    private static let maximumDepth = 512

    fileprivate init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses a whole document: one value and nothing but white space after it.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONParseError) in try parse(buffer) }
        }
        return try result.get()
    }

    /// Parses a whole document held in `bytes`.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes)
        let value = try parser.parseValue()
        try parser.expectEnd()
        return value
    }

    mutating func expectEnd() throws(JSONParseError) {
        skipWhitespace()
        guard position == bytes.count else { throw failure("unexpected data after the JSON value") }
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard let byte = peek() else { throw failure("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArrayValue()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw failure("unexpected character")
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        position += 1
        var members: [(key: String, value: JSONValue)] = []
        // One allocation for a small object (a create's body), instead of growing 1, 2, 4.
        members.reserveCapacity(4)
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(JSONObject(members))
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw failure("expected a member name in quotes") }
            let key = try parseString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            let value = try parseValue()
            members.append((key, value))
            skipWhitespace()
            guard let next = peek() else { throw failure("unterminated object") }
            position += 1
            if next == UInt8(ascii: "}") { break }
            guard next == UInt8(ascii: ",") else { throw failure("expected ',' or '}'", at: position - 1) }
        }
        depth -= 1
        return .object(JSONObject(members))
    }

    private mutating func parseArrayValue() throws(JSONParseError) -> JSONValue {
        try enter()
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            guard let next = peek() else { throw failure("unterminated array") }
            position += 1
            if next == UInt8(ascii: "]") { break }
            guard next == UInt8(ascii: ",") else { throw failure("expected ',' or ']'", at: position - 1) }
        }
        depth -= 1
        return .array(elements)
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        position += 1  // opening quote
        let start = position
        // Fast path: no escapes (found eight bytes at a time).
        let (end, ascii) = plainRun(bytes, from: start)
        position = end
        if position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: bytes[start..<position])
                let text = ascii ? String(decoding: run, as: UTF8.self) : try utf8String(run, at: start)
                position += 1
                return text
            }
            if byte < 0x20 { throw failure("control character in string") }
        }
        var scratch = Array(bytes[start..<min(position, bytes.count)])
        scratch.reserveCapacity(scratch.count + 16)
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                let result: Result<String, JSONParseError> = scratch.withUnsafeBufferPointer { buffer in
                    Result { () throws(JSONParseError) in try utf8String(buffer, at: start) }
                }
                return try result.get()
            case UInt8(ascii: "\\"):
                position += 1
                guard let escape = peek() else { throw failure("unterminated string") }
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escape)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"): appendScalar(try parseUnicodeEscape(), to: &scratch)
                default: throw failure("invalid escape", at: position - 1)
                }
            default:
                if byte < 0x20 { throw failure("control character in string") }
                scratch.append(byte)
                position += 1
            }
        }
        throw failure("unterminated string")
    }

    private mutating func parseUnicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
        let high = try parseHex4()
        if (0xD800..<0xDC00).contains(high) {
            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                throw failure("unpaired surrogate in \\u escape")
            }
            position += 2
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired surrogate in \\u escape") }
            let value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            guard let scalar = Unicode.Scalar(value) else { throw failure("invalid \\u escape") }
            return scalar
        }
        guard let scalar = Unicode.Scalar(high) else { throw failure("unpaired surrogate in \\u escape") }
        return scalar
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw failure("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw failure("invalid \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private func appendScalar(_ scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: String(Character(scalar)).utf8)
    }

    private func utf8String(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int) throws(JSONParseError) -> String {
        // ASCII, the common case, needs no validation.
        let text = buffer.contains(where: { $0 >= 0x80 }) ? String(validating: buffer, as: UTF8.self) : String(decoding: buffer, as: UTF8.self)
        guard let text else { throw failure("invalid UTF-8 in string", at: offset) }
        return text
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), isDigit(first) else { throw failure("invalid number") }
        if first == UInt8(ascii: "0") {
            position += 1
            if let next = peek(), isDigit(next) { throw failure("leading zero in number") }
        } else {
            skipDigits()
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard let digit = peek(), isDigit(digit) else { throw failure("invalid number") }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard let digit = peek(), isDigit(digit) else { throw failure("invalid number") }
            skipDigits()
        }
        return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
    }

    private mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { position += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw failure("invalid literal") }
        let matches = literal.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[position + $0] == expected[$0] }
        }
        guard matches else { throw failure("invalid literal") }
        position += count
    }

    fileprivate mutating func expect(_ byte: UInt8) throws(JSONParseError) {
        guard peek() == byte else { throw failure("expected '\(Character(Unicode.Scalar(byte)))'") }
        position += 1
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw failure("nesting deeper than \(Self.maximumDepth)") }
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    fileprivate func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    fileprivate func failure(_ reason: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(offset: offset ?? position, reason: reason)
    }
}

/// Reads a document that must be an array one element at a time, so that a large file never exists
/// as one tree. It can also start at an element in the middle, for a second thread reading the
/// rest of a large file (`SeedLoader`); `offset` says where the next element starts.
public struct JSONArrayReader {
    private var parser: JSONParser
    /// After the closing `]`: only white space may follow.
    private var closed = false
    private var finished = false

    /// Where the next element starts (white space skipped), or the end once the array is closed.
    public var offset: Int { parser.position }

    /// Reads `bytes`, which must hold one array; they must stay alive while the reader is used.
    public init(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) {
        parser = JSONParser(bytes)
        parser.skipWhitespace()
        try parser.expect(UInt8(ascii: "["))
        parser.skipWhitespace()
        if parser.peek() == UInt8(ascii: "]") {
            parser.position += 1
            closed = true
        }
        parser.depth = 1
    }

    /// Reads the elements of the array in `bytes` from `offset` on, which is taken to be where one
    /// starts. Nothing checks that it is: elements read from elsewhere are garbage or fail, so
    /// callers must confirm the offset by reading up to it from the start.
    public init(_ bytes: UnsafeBufferPointer<UInt8>, elementAt offset: Int) {
        parser = JSONParser(bytes)
        parser.position = offset
        parser.depth = 1
    }

    /// The next element; nil after the last (once the rest of the document is checked to be blank).
    public mutating func next() throws(JSONParseError) -> JSONValue? {
        if finished { return nil }
        if closed {
            try parser.expectEnd()
            finished = true
            return nil
        }
        let element = try parser.parseValue()
        parser.skipWhitespace()
        guard let next = parser.peek() else { throw parser.failure("unterminated array") }
        parser.position += 1
        if next == UInt8(ascii: "]") {
            closed = true
        } else {
            guard next == UInt8(ascii: ",") else { throw parser.failure("expected ',' or ']'", at: parser.position - 1) }
            parser.skipWhitespace()
        }
        return element
    }
}
