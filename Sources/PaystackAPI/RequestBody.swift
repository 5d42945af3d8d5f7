#if canImport(Glibc)
import Glibc
#endif
import EventHTTP
import JSON
import Platform

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
    public init(_ request: borrowing HTTPRequest) throws(PaystackError) {
        let body = request.body
        let firstByte = body.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        if firstByte == nil {
            self.init(fields: JSONObject(), isForm: false)
            return
        }
        let isJSON: Bool
        switch request.headers.withValue("Content-Type", BodyType.init(contentType:)) ?? .other {
        case .json: isJSON = true
        case .form: isJSON = false
        case .other: isJSON = firstByte == UInt8(ascii: "{") || firstByte == UInt8(ascii: "[")
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
                throw PaystackError.invalid(Messages.bodyNotUTF8)
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

/// What a `Content-Type` says of a body, read from its bytes, ASCII case ignored.
enum BodyType {
    /// Any type that mentions `json` (`application/json`, `application/vnd.api+json`, `text/json`).
    case json
    /// `application/x-www-form-urlencoded`, with or without parameters.
    case form
    /// Another type, or none.
    case other

    /// Read from the header's bytes in place (the create-path work in bench/RESULTS.md).
    init(contentType: String?) {
        guard var contentType else {
            self = .other
            return
        }
        self = contentType.withUTF8(BodyType.init(contentType:))
    }

    init(contentType bytes: UnsafeBufferPointer<UInt8>) {
        // What nearly every client sends: a type starting so mentions `json` (~200 instructions
        // of a create to find it by the scan below).
        let common: StaticString = "application/json"
        if bytes.count >= common.utf8CodeUnitCount, let base = bytes.baseAddress,
           memcmp(base, common.utf8Start, common.utf8CodeUnitCount) == 0 {
            self = .json
            return
        }
        self = {
            func matches(_ word: StaticString, at start: Int) -> Bool {
                guard start + word.utf8CodeUnitCount <= bytes.count else { return false }
                for offset in 0..<word.utf8CodeUnitCount where asciiLowered(bytes[start + offset]) != word.utf8Start[offset] {
                    return false
                }
                return true
            }
            for start in bytes.indices where matches("json", at: start) { return .json }
            return matches("application/x-www-form-urlencoded", at: 0) ? .form : .other
        }()
    }
}
