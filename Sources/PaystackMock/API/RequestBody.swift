import EventHTTP

/// A request body as fields, from JSON or from `application/x-www-form-urlencoded`.
///
/// Field readers enforce types as Paystack's Joi schemas do: a string field given as another JSON
/// type, `null` included, is a 400 naming it. Unknown fields are ignored.
public struct RequestBody: Sendable {
    public let fields: JSONObject
    /// Form bodies carry only strings; `metadata` there is a JSON string of an object.
    public let isForm: Bool

    public init(fields: JSONObject, isForm: Bool) {
        self.fields = fields
        self.isForm = isForm
    }

    /// Decodes by `Content-Type`: JSON types as JSON, the form type as a form; without one (or with
    /// another) a body starting with `{` is JSON and anything else a form. Empty means no fields.
    public init(_ request: HTTPRequest) throws(PaystackError) {
        let body = request.body
        let contentType = request.headers["Content-Type"]?.asciiLowercased ?? ""
        let firstByte = body.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        if firstByte == nil {
            self.init(fields: JSONObject(), isForm: false)
            return
        }
        let isJSON: Bool
        if contentType.utf8.containsSequence("json".utf8) {
            isJSON = true
        } else if contentType.hasPrefix("application/x-www-form-urlencoded") {
            isJSON = false
        } else {
            isJSON = firstByte == UInt8(ascii: "{") || firstByte == UInt8(ascii: "[")
        }
        if isJSON {
            let value: JSONValue
            do {
                value = try JSONParser.parse(body)
            } catch {
                throw PaystackError.invalid(Messages.invalidJSON)
            }
            guard case .object(let object) = value else { throw PaystackError.invalid(Messages.bodyNotObject) }
            self.init(fields: object, isForm: false)
        } else {
            guard let text = String(validating: body, as: UTF8.self) else {
                throw PaystackError.invalid("Request body is not valid UTF-8")
            }
            let pairs = QueryParameters(parsing: text)
            self.init(fields: JSONObject(pairs.map { ($0.key, JSONValue.string($0.value)) }), isForm: true)
        }
    }

    /// A string field; nil when absent.
    public func string(_ name: String) throws(PaystackError) -> String? {
        switch fields[name] {
        case nil: return nil
        case .string(let value)?: return value
        default: throw PaystackError.invalid(Messages.mustBeString(name))
        }
    }

    /// A string field that must be present and not empty.
    public func requiredString(_ name: String) throws(PaystackError) -> String {
        guard let value = try string(name), !value.isEmpty else { throw PaystackError.missing(name) }
        return value
    }

    /// `metadata`: an object in JSON; in a form, a string holding a JSON object.
    public func metadata() throws(PaystackError) -> JSONObject? {
        switch fields["metadata"] {
        case nil:
            return nil
        case .object(let object)?:
            return object
        case .string(let text)? where isForm:
            guard case .object(let object)? = try? JSONParser.parse(Array(text.utf8)) else {
                throw PaystackError.invalid(Messages.metadataMustBeObject)
            }
            return object
        default:
            throw PaystackError.invalid(Messages.metadataMustBeObject)
        }
    }
}

extension String.UTF8View {
    /// Whether `needle` occurs in these bytes (Character-based `contains` is much slower).
    func containsSequence(_ needle: String.UTF8View) -> Bool {
        var start = startIndex
        while start != endIndex {
            if self[start...].starts(with: needle) { return true }
            formIndex(after: &start)
        }
        return needle.isEmpty
    }
}
