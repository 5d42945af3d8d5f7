import Platform

/// Header fields in arrival order; names compare case-insensitively.
public struct HTTPHeaders: Sendable, Sequence {
    public private(set) var fields: [(name: String, value: String)]

    public init(_ fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    /// No fields yet, with room for `capacity`.
    public init(capacity: Int) {
        fields = []
        fields.reserveCapacity(capacity)
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
