/// Header fields in arrival order; names compare case-insensitively.
public struct HTTPHeaders: Sendable, Sequence {
    public private(set) var fields: [(name: String, value: String)]

    public init(_ fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    /// The first value of `name`, compared case-insensitively.
    public subscript(name: String) -> String? {
        // Looked up several times per request: read in place, lengths first.
        let length = name.utf8.count
        return fields.withUnsafeBufferPointer { fields in
            for index in fields.indices where fields[index].name.utf8.count == length {
                if fields[index].name.equalsIgnoringASCIICase(name) { return fields[index].value }
            }
            return nil
        }
    }

    public mutating func add(_ name: String, _ value: String) {
        fields.append((name, value))
    }

    /// Replaces every field called `name` by one with `value`.
    public mutating func set(_ name: String, _ value: String) {
        // `removeAll(where:)` rebuilds the array even when nothing matches, the usual case.
        if contains(name) { remove(name) }
        if fields.capacity == fields.count { fields.reserveCapacity(Swift.max(4, fields.count * 2)) }
        fields.append((name, value))
    }

    public mutating func remove(_ name: String) {
        fields.removeAll { $0.name.equalsIgnoringASCIICase(name) }
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }
}

extension String {
    /// ASCII case-insensitive equality, the comparison HTTP uses for header names and tokens.
    /// It reads both strings in place, copying neither.
    public func equalsIgnoringASCIICase(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
            for index in 0..<a.count where a[index] != b[index] {
                let x = a[index], y = b[index]
                let lx = (x >= 65 && x <= 90) ? x | 0x20 : x
                let ly = (y >= 65 && y <= 90) ? y | 0x20 : y
                if lx != ly { return false }
            }
            return true
        }
        if let result = utf8.withContiguousStorageIfAvailable({ a in
            other.utf8.withContiguousStorageIfAvailable { b in equal(a, b) }
        }), let result {
            return result
        }
        var left = self, right = other
        return left.withUTF8 { a in right.withUTF8 { b in equal(a, b) } }
    }

    /// The string with ASCII letters lowered; other characters are kept as they are.
    public var asciiLowercased: String {
        if !utf8.contains(where: { $0 >= 65 && $0 <= 90 }) { return self }
        return String(decoding: utf8.map { ($0 >= 65 && $0 <= 90) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
