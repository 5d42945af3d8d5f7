import Glibc
import Platform

/// Header fields in arrival order; names compare case-insensitively.
///
/// Kept in one buffer, each field as its name's and value's lengths (4 bytes each) followed by
/// `name NUL value NUL`: a request's fields were ~10 Strings, an allocation each to make and to free
/// again (~2,000 instructions of a create), and each name and value goes to C as it is. Strings are
/// made only when a value is asked for. The buffer is shared by copies and copied on write
/// (`@unchecked Sendable`: a shared buffer is only read; it is written only where
/// `isKnownUniquelyReferenced` says this value is its one holder).
public struct HTTPHeaders: @unchecked Sendable, Sequence {
    @usableFromInline var buffer: FieldBuffer?
    public private(set) var count = 0
    /// One bit per name present (`signature`), so that a name no field has is mostly answered
    /// without reading the fields: a create asks for three names it was not sent (`X-Mock-Delay`,
    /// `X-Mock-Status`; `Access-Control-Allow-Origin` before it is set), each a walk through every field.
    @usableFromInline var signatures: UInt64 = 0

    @usableFromInline static let lengthsSize = 8

    public init() {}

    public init(_ fields: [(name: String, value: String)]) {
        for field in fields { add(field.name, field.value) }
    }

    /// No fields yet, with room for about `capacity` of them.
    public init(capacity: Int) {
        if capacity > 0 { buffer = FieldBuffer.make(capacity: capacity * 48) }
    }

    /// The fields that `forEach` hands over as C strings (libevent's list), copied into one
    /// allocation of their exact size: `forEach` runs twice, for the size and for the bytes.
    init(cFields forEach: ((UnsafePointer<CChar>, UnsafePointer<CChar>) -> Void) -> Void) {
        var size = 0
        var signatures: UInt64 = 0
        forEach { name, value in size += Self.lengthsSize + strlen(name) + strlen(value) + 2 }
        guard size > 0 else { return }
        let buffer = FieldBuffer.make(capacity: size)
        var fields = 0
        buffer.withUnsafeMutablePointers { extent, bytes in
            forEach { name, value in
                let nameCount = strlen(name), valueCount = strlen(value)
                guard extent.pointee.used + Self.lengthsSize + nameCount + valueCount + 2 <= size else { return }
                Self.write(name, nameCount, value, valueCount, at: bytes + extent.pointee.used)
                let nameBytes = UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self)
                signatures |= Self.signature(UnsafeBufferPointer(start: nameBytes, count: nameCount))
                extent.pointee.used += Self.lengthsSize + nameCount + valueCount + 2
                fields += 1
            }
        }
        self.buffer = buffer
        self.signatures = signatures
        count = fields
    }

    public var isEmpty: Bool { count == 0 }

    /// Every field, as Strings.
    public var fields: [(name: String, value: String)] { Array(self) }

    /// The first value of `name`, compared case-insensitively.
    public subscript(name: String) -> String? {
        withValue(name) { String(decoding: $0, as: UTF8.self) }
    }

    /// `body` with the bytes of `name`'s first value (without making a String of it), nil when absent.
    @inlinable
    public func withValue<Result>(_ name: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result? {
        var name = name
        return try name.withUTF8 { wanted in
            guard signatures & Self.signature(wanted) != 0, let buffer else { return nil }
            return try buffer.withBytes { bytes in
                guard let found = Self.find(wanted, in: bytes) else { return nil }
                return try body(UnsafeBufferPointer(rebasing: bytes[found]))
            }
        }
    }

    public func contains(_ name: String) -> Bool {
        withValue(name) { _ in true } ?? false
    }

    public mutating func add(_ name: String, _ value: String) {
        var name = name, value = value
        name.withUTF8 { name in value.withUTF8 { value in append(name, value) } }
    }

    /// Replaces every field called `name` by one with `value`.
    public mutating func set(_ name: String, _ value: String) {
        if contains(name) { remove(name) }
        add(name, value)
    }

    public mutating func remove(_ name: String) {
        guard contains(name), let buffer else { return }
        var name = name
        var kept = HTTPHeaders()
        name.withUTF8 { wanted in
            buffer.withBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let (fieldName, value, next) = Self.field(at: offset, in: bytes)
                    let nameBytes = UnsafeBufferPointer(rebasing: bytes[fieldName])
                    if !Platform.equalsIgnoringASCIICase(nameBytes, wanted) {
                        kept.append(nameBytes, UnsafeBufferPointer(rebasing: bytes[value]))
                    }
                    offset = next
                }
            }
        }
        self = kept
    }

    public func makeIterator() -> Iterator {
        Iterator(buffer: buffer)
    }

    public struct Iterator: IteratorProtocol {
        let buffer: FieldBuffer?
        var offset = 0

        public mutating func next() -> (name: String, value: String)? {
            guard let buffer else { return nil }
            return buffer.withBytes { bytes in
                guard offset < bytes.count else { return nil }
                let (name, value, next) = HTTPHeaders.field(at: offset, in: bytes)
                offset = next
                return (String(decoding: UnsafeBufferPointer(rebasing: bytes[name]), as: UTF8.self),
                        String(decoding: UnsafeBufferPointer(rebasing: bytes[value]), as: UTF8.self))
            }
        }
    }

    /// `body` with each field's name and value as C strings, in order.
    func forEachCString(_ body: (UnsafePointer<CChar>, UnsafePointer<CChar>) -> Void) {
        buffer?.withBytes { bytes in
            let characters = UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self)
            var offset = 0
            while offset < bytes.count {
                let (name, value, next) = Self.field(at: offset, in: bytes)
                body(characters + name.lowerBound, characters + value.lowerBound)
                offset = next
            }
        }
    }

    private mutating func append(_ name: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>) {
        let added = Self.lengthsSize + name.count + value.count + 2
        // Through the header's pointer: `ManagedBuffer.header` is a class property, checked for
        // exclusive access at run time on every read where those checks are on (~130 instructions
        // a field when release builds still had them; debug builds do).
        let (used, capacity) = buffer?.withUnsafeMutablePointerToHeader { ($0.pointee.used, $0.pointee.capacity) } ?? (0, 0)
        if !isKnownUniquelyReferenced(&buffer) || used + added > capacity {
            let larger = FieldBuffer.make(capacity: Swift.max(used + added, capacity * 2, 64))
            if let buffer {
                buffer.withBytes { old in
                    larger.withUnsafeMutablePointers { extent, bytes in
                        bytes.update(from: old.baseAddress!, count: old.count)
                        extent.pointee.used = old.count
                    }
                }
            }
            buffer = larger
        }
        buffer!.withUnsafeMutablePointers { extent, bytes in
            let start = bytes + extent.pointee.used
            let characters = { (text: UnsafeBufferPointer<UInt8>) in
                UnsafeRawPointer(text.baseAddress ?? UnsafePointer(start)).assumingMemoryBound(to: CChar.self)
            }
            Self.write(characters(name), name.count, characters(value), value.count, at: start)
            extent.pointee.used += added
        }
        signatures |= Self.signature(name)
        count += 1
    }

    /// A name's bit in `signatures`: from its length and its last letter, lowered (names that
    /// share both share a bit, and are then told apart by reading the fields).
    @inlinable
    static func signature(_ name: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let last = name.last else { return 1 }
        return 1 << ((UInt64(asciiLowered(last)) &+ UInt64(truncatingIfNeeded: name.count) &* 5) & 63)
    }

    /// Writes a field's lengths, `name NUL value NUL` at `start`.
    private static func write(
        _ name: UnsafePointer<CChar>, _ nameCount: Int, _ value: UnsafePointer<CChar>, _ valueCount: Int, at start: UnsafeMutablePointer<UInt8>
    ) {
        let raw = UnsafeMutableRawPointer(start)
        raw.storeBytes(of: UInt32(truncatingIfNeeded: nameCount).littleEndian, as: UInt32.self)
        raw.storeBytes(of: UInt32(truncatingIfNeeded: valueCount).littleEndian, toByteOffset: 4, as: UInt32.self)
        let nameStart = raw + lengthsSize
        nameStart.copyMemory(from: name, byteCount: nameCount)
        nameStart.storeBytes(of: 0, toByteOffset: nameCount, as: UInt8.self)
        let valueStart = nameStart + nameCount + 1
        valueStart.copyMemory(from: value, byteCount: valueCount)
        valueStart.storeBytes(of: 0, toByteOffset: valueCount, as: UInt8.self)
    }

    /// The name's and the value's ranges of the field at `offset` (without their NULs), and where
    /// the next field starts.
    @usableFromInline
    static func field(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (Range<Int>, Range<Int>, Int) {
        let raw = UnsafeRawBufferPointer(bytes)
        let nameCount = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        let valueCount = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)))
        let nameStart = offset + lengthsSize
        let valueStart = nameStart + nameCount + 1
        return (nameStart..<nameStart + nameCount, valueStart..<valueStart + valueCount, valueStart + valueCount + 1)
    }

    /// The value range of the first field called `wanted` (ASCII case-insensitively); lengths first.
    @usableFromInline
    static func find(_ wanted: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var offset = 0
        while offset < bytes.count {
            let (name, value, next) = field(at: offset, in: bytes)
            if name.count == wanted.count, Platform.equalsIgnoringASCIICase(UnsafeBufferPointer(rebasing: bytes[name]), wanted) {
                return value
            }
            offset = next
        }
        return nil
    }

    /// The fields' bytes: written only while a single `HTTPHeaders` holds them.
    @usableFromInline
    final class FieldBuffer: ManagedBuffer<FieldBuffer.Extent, UInt8> {
        @usableFromInline
        struct Extent {
            @usableFromInline var used: Int
            @usableFromInline let capacity: Int
        }

        static func make(capacity: Int) -> FieldBuffer {
            // The capacity is kept in the header: reading ManagedBuffer's asks the allocator.
            unsafeDowncast(create(minimumCapacity: capacity) { _ in Extent(used: 0, capacity: capacity) }, to: FieldBuffer.self)
        }

        @inlinable
        func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
            try withUnsafeMutablePointers { extent, bytes in try body(UnsafeBufferPointer(start: bytes, count: extent.pointee.used)) }
        }
    }
}
