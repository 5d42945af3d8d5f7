/// A parsed JSON value. Objects keep their members in order and numbers keep their text, so
/// metadata a client stores comes back as it was sent.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's literal text, e.g. `12`, `-0.5`, `1e3`.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The name of the value's JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// An integer, for numbers without fraction or exponent that fit in Int.
    public var intValue: Int? {
        if case .number(let text) = self { return Int(text) }
        return nil
    }
}

/// A JSON object: members in order; lookups return the last member of a name, as JSON.parse does.
public struct JSONObject: Sendable, Equatable {
    public var members: [(key: String, value: JSONValue)]

    public init(_ members: [(key: String, value: JSONValue)] = []) {
        self.members = members
    }

    public subscript(key: String) -> JSONValue? {
        // Lengths first: String's == takes a slow, Unicode-aware path for unequal pairs.
        let length = key.utf8.count
        return members.last { $0.key.utf8.count == length && $0.key == key }?.value
    }

    public var isEmpty: Bool { members.isEmpty }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
