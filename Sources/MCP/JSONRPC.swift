import JSON

/// JSON-RPC 2.0 as MCP uses it: one message per request (no batches), ids numbers or strings.
public enum JSONRPC {
    // Standard codes, and MCP's own (2026-07-28).
    public static let parseError = -32700
    public static let invalidRequest = -32600
    public static let methodNotFound = -32601
    public static let invalidParams = -32602
    public static let internalError = -32603
    public static let headerMismatch = -32020
    public static let unsupportedProtocolVersion = -32022
    /// Resource not found before 2026-07-28 (that revision uses invalidParams).
    public static let legacyResourceNotFound = -32002

    /// A parsed message: a request (with `id`) or a notification (without).
    public struct Message: Sendable {
        public var id: JSONValue?
        public var method: String
        public var params: JSONObject

        public var isNotification: Bool { id == nil }
    }

    /// An error answer.
    public struct Failure: Error, Sendable {
        public var code: Int
        public var message: String
        public var data: JSONValue?

        public init(_ code: Int, _ message: String, data: JSONValue? = nil) {
            self.code = code
            self.message = message
            self.data = data
        }
    }

    /// Reads one message; a failure to answer with `id: null`.
    public static func parse(_ bytes: [UInt8]) -> Result<Message, Failure> {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            return .failure(Failure(parseError, "Parse error"))
        }
        guard case .object(let object) = value, object["jsonrpc"] == .string("2.0"),
              case .string(let method)? = object["method"] else {
            return .failure(Failure(invalidRequest, "Invalid Request: one JSON-RPC 2.0 request or notification object"))
        }
        var id: JSONValue?
        switch object["id"] {
        case nil: id = nil
        case .number?, .string?: id = object["id"]
        default: return .failure(Failure(invalidRequest, "Invalid Request: \"id\" must be a number or a string"))
        }
        switch object["params"] {
        case nil: return .success(Message(id: id, method: method, params: JSONObject()))
        case .object(let params)?: return .success(Message(id: id, method: method, params: params))
        default: return .failure(Failure(invalidRequest, "Invalid Request: \"params\" must be an object"))
        }
    }

    public static func result(id: JSONValue?, _ result: JSONObject) -> [UInt8] {
        envelope(id: id) { writer in
            writer.key("result")
            writer.value(.object(result))
        }
    }

    public static func error(id: JSONValue?, _ failure: Failure) -> [UInt8] {
        envelope(id: id) { writer in
            writer.key("error")
            writer.beginObject()
            writer.key("code"); writer.int(failure.code)
            writer.key("message"); writer.string(failure.message)
            if let data = failure.data { writer.key("data"); writer.value(data) }
            writer.endObject()
        }
    }

    private static func envelope(id: JSONValue?, _ body: (inout JSONWriter) -> Void) -> [UInt8] {
        var writer = JSONWriter(capacity: 1024)
        writer.beginObject()
        writer.key("jsonrpc"); writer.plainString("2.0")
        writer.key("id"); writer.value(id ?? .null)
        body(&writer)
        writer.endObject()
        return writer.bytes
    }
}

extension JSONObject {
    /// Builds an object from pairs, in order.
    public init(_ pairs: KeyValuePairs<String, JSONValue>) {
        self.init(pairs.map { ($0.key, $0.value) })
    }
}
