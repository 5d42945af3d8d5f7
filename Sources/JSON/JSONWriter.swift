import Platform

/// Writes compact JSON, members in the order written, explicit `null`s kept.
///
/// Hand-written: `JSONEncoder` drops explicit nulls, reorders keys and costs ~10 µs per customer
/// object against well under 1 µs here; Paystack's shapes have fixed member orders.
///
/// The bytes live in memory the writer owns (a noncopyable value, freed with it) rather than in an
/// Array or a class: measured here, Array's per-append uniqueness checks and a class's reference
/// counting each cost 10–60 ns per member, several times the cost of writing the member.
public struct JSONWriter: ~Copyable {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var count = 0
    @usableFromInline var capacity: Int
    /// Whether the next member or element needs a comma before it.
    @usableFromInline var needsComma = false

    public init(capacity: Int = 512) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The JSON written so far.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    @inlinable
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    @inlinable
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    @inlinable
    mutating func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @usableFromInline
    mutating func grow(to needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        larger.update(from: base, count: count)
        base.deallocate()
        base = larger
        capacity = newCapacity
    }

    @inlinable
    public mutating func beginObject() {
        separate()
        append(UInt8(ascii: "{"))
        needsComma = false
    }

    @inlinable
    public mutating func endObject() {
        append(UInt8(ascii: "}"))
        needsComma = true
    }

    @inlinable
    public mutating func beginArray() {
        separate()
        append(UInt8(ascii: "["))
        needsComma = false
    }

    @inlinable
    public mutating func endArray() {
        append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `"name":`; the value follows with one of the value methods.
    @inlinable
    public mutating func key(_ name: StaticString) {
        appendQuoted(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount), colon: true)
        needsComma = false
    }

    /// A comma where one is due, then `"bytes"` (and `:` after a member name), with one capacity
    /// check: member names and codes are most of what a customer object writes.
    @inlinable
    mutating func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>, colon: Bool) {
        let needed = bytes.count + 4
        if count + needed > capacity { grow(to: count + needed) }
        if needsComma {
            base[count] = UInt8(ascii: ",")
            count += 1
        }
        base[count] = UInt8(ascii: "\"")
        if let source = bytes.baseAddress { (base + count + 1).update(from: source, count: bytes.count) }
        count += bytes.count + 1
        base[count] = UInt8(ascii: "\"")
        count += 1
        if colon {
            base[count] = UInt8(ascii: ":")
            count += 1
        }
    }

    /// Writes `"name":` for a name known only at run time, escaped. (A separate label: given two
    /// `key(_:)` overloads, a literal would pick the `String` one and pay for the escaping scan.)
    @inlinable
    public mutating func key(escaping name: String) {
        separate()
        appendEscaped(name)
        append(UInt8(ascii: ":"))
        needsComma = false
    }

    @inlinable
    public mutating func string(_ value: String) {
        separate()
        appendEscaped(value)
        needsComma = true
    }

    @inlinable
    public mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    /// A string known to need no escaping (codes, enum names).
    @inlinable
    public mutating func plainString(_ value: String) {
        var value = value
        value.withUTF8 { appendQuoted($0, colon: false) }
        needsComma = true
    }

    /// A value whose JSON text is already in `bytes`, written as it is (e.g. a quoted timestamp).
    @inlinable
    public mutating func rawValue(_ bytes: UnsafeBufferPointer<UInt8>) {
        separate()
        append(bytes)
        needsComma = true
    }

    /// Digits written in place (`writeDecimal`: a digit buffer on the stack and a copy cost ~200
    /// instructions a number).
    @inlinable
    public mutating func int(_ value: Int) {
        separate()
        if count + 20 > capacity { grow(to: count + 20) }
        if value < 0 {
            base[count] = UInt8(ascii: "-")
            count += 1
        }
        count += writeDecimal(value.magnitude, at: base + count)
        needsComma = true
    }

    /// A number in Swift's shortest round-trip form (`0.5`, `12.25`); `null` when not finite,
    /// which JSON cannot write.
    public mutating func double(_ value: Double) {
        guard value.isFinite else { return null() }
        var text = String(value)
        text.withUTF8 { rawValue($0) }
    }

    @inlinable
    public mutating func bool(_ value: Bool) {
        separate()
        append(value ? "true" : "false")
        needsComma = true
    }

    @inlinable
    public mutating func null() {
        separate()
        append("null")
        needsComma = true
    }

    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(let text):
            separate()
            appendUTF8(text)
            needsComma = true
        case .string(let text): string(text)
        case .array(let elements):
            beginArray()
            for element in elements { self.value(element) }
            endArray()
        case .object(let object):
            beginObject()
            for member in object.members {
                key(escaping: member.key)
                self.value(member.value)
            }
            endObject()
        }
    }

    @inlinable
    mutating func separate() {
        if needsComma { append(UInt8(ascii: ",")) }
    }

    @inlinable
    mutating func appendUTF8(_ value: String) {
        var value = value
        value.withUTF8 { append($0) }
    }

    /// Appends `value` quoted, with JSON's escapes. Most text has none to write: checked eight
    /// bytes at a time first, and then copied whole.
    @inlinable
    mutating func appendEscaped(_ value: String) {
        var value = value
        value.withUTF8 { bytes in
            if !Self.needsEscaping(bytes) {
                // The caller wrote any comma already (and sets `needsComma` after).
                needsComma = false
                appendQuoted(bytes, colon: false)
                return
            }
            append(UInt8(ascii: "\""))
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                append(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): append(byte)
                case 0x0A: append(UInt8(ascii: "n"))
                case 0x0D: append(UInt8(ascii: "r"))
                case 0x09: append(UInt8(ascii: "t"))
                case 0x08: append(UInt8(ascii: "b"))
                case 0x0C: append(UInt8(ascii: "f"))
                default:
                    let hex: StaticString = "0123456789abcdef"
                    append("u00")
                    append(hex.utf8Start[Int(byte >> 4)])
                    append(hex.utf8Start[Int(byte & 0xF)])
                }
            }
            append(UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
            append(UInt8(ascii: "\""))
        }
    }
}

extension JSONWriter {
    /// Whether `bytes` has a control character, a quote or a backslash.
    @usableFromInline
    static func needsEscaping(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        plainRun(bytes, from: 0).end < bytes.count
    }

    /// Appends `text` as it is (a run of members with their names, e.g. `,"email":`); the value
    /// written next takes no comma. For fixed shapes written on every request.
    @inlinable
    public mutating func fragment(_ text: StaticString) {
        append(text)
        needsComma = false
    }
}

extension JSONValue {
    /// The value as compact JSON bytes.
    public var jsonBytes: [UInt8] {
        var writer = JSONWriter(capacity: 64)
        writer.value(self)
        return writer.bytes
    }
}
