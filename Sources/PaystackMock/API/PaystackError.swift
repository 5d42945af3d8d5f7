import EventHTTP

/// A Paystack error answer. Handlers throw these; each renders itself in Paystack's envelope.
public struct PaystackError: Error, Sendable, Equatable {
    /// Paystack's `type` of the detailed envelope.
    public enum Kind: String, Sendable {
        case apiError = "api_error"
        case validationError = "validation_error"
        case processorError = "processor_error"
    }

    /// Paystack's `code` with its `meta.nextStep` text.
    public enum Code: String, Sendable {
        case missingParams = "missing_params"
        case invalidParams = "invalid_params"
        case notFound = "not_found"
        case unknown = "unknown"
        case rateLimited = "rate_limited"

        public var nextStep: String {
            switch self {
            case .missingParams: "Provide all required params"
            case .invalidParams: "Ensure that the value(s) you're passing are valid."
            case .notFound: "Ensure that you're passing the correct reference for the requested resource that exists on this integration"
            case .unknown: "Try again later"
            case .rateLimited: "Wait a few minutes and try the API call again"
            }
        }

        public var kind: Kind {
            switch self {
            case .missingParams, .invalidParams, .notFound: .validationError
            case .unknown, .rateLimited: .apiError
            }
        }
    }

    public let status: Int
    public let message: String
    /// Nil for the short envelope `{"status":false,"message":...}` (401, 403, routing errors).
    public let code: Code?

    public init(status: Int, message: String, code: Code?) {
        self.status = status
        self.message = message
        self.code = code
    }

    public static func missing(_ field: String) -> PaystackError {
        PaystackError(status: 400, message: Messages.isRequired(field), code: .missingParams)
    }

    public static func invalid(_ message: String) -> PaystackError {
        PaystackError(status: 400, message: message, code: .invalidParams)
    }

    public static func notFound(_ message: String) -> PaystackError {
        PaystackError(status: 404, message: message, code: .notFound)
    }

    public static func unauthorized(_ message: String) -> PaystackError {
        PaystackError(status: 401, message: message, code: nil)
    }

    /// The JSON body of this error.
    public var body: [UInt8] {
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        writer.key("status")
        writer.bool(false)
        writer.key("message")
        writer.string(message)
        if let code {
            writer.key("meta")
            writer.beginObject()
            writer.key("nextStep")
            writer.string(code.nextStep)
            writer.endObject()
            writer.key("type")
            writer.plainString(code.kind.rawValue)
            writer.key("code")
            writer.plainString(code.rawValue)
        }
        writer.endObject()
        return writer.bytes
    }

    public var response: HTTPResponse { .json(status, body) }
}

/// Every message the mock answers with, as the tests assert them.
public enum Messages {
    // Authentication (contract section 2)
    public static let noAuthorizationHeader = "No Authorization header was found"
    public static let badAuthorizationFormat = "Format is Authorization Bearer [secret key]"
    public static let invalidKey = "Invalid key"

    // Success messages
    public static let customerCreated = "Customer created"
    public static let customersRetrieved = "Customers retrieved"
    public static let customerRetrieved = "Customer retrieved"
    public static let customerUpdated = "Customer updated"
    public static let authorizationDeactivated = "Authorization has been deactivated"
    public static let identificationInProgress = "Customer Identification in progress"

    // Request bodies
    public static let invalidJSON = "Invalid JSON in request body"
    public static let bodyNotObject = "Request body must be a JSON object"
    public static func isRequired(_ field: String) -> String { "\"\(field)\" is required" }
    public static func mustBeString(_ field: String) -> String { "\"\(field)\" must be a string" }
    public static let metadataMustBeObject = "\"metadata\" must be of type object"
    public static let invalidEmail = "Invalid Email Address Passed"

    // Lookups
    public static let customerNotFound = "Customer not found"
    public static func customerCodeInvalid(for domain: Domain) -> String { "Customer code is invalid for your \(domain.rawValue) domain." }
    public static func customerEmailInvalid(for domain: Domain) -> String { "Customer email is invalid for your \(domain.rawValue) domain." }
    public static let authorizationCodeNotFound = "Authorization code not found."

    // Lists
    public static func mustBeNumber(_ field: String) -> String { "\"\(field)\" must be a number" }
    public static func mustBeInteger(_ field: String) -> String { "\"\(field)\" must be an integer" }
    public static func mustBeSafeNumber(_ field: String) -> String { "\"\(field)\" must be a safe number" }
    public static func mustBeAtLeastOne(_ field: String) -> String { "\"\(field)\" must be greater than or equal to 1" }
    public static func mustBeBoolean(_ field: String) -> String { "\"\(field)\" must be a boolean" }
    public static let invalidFromDate = "Invalid 'from' date"
    public static let invalidToDate = "Invalid 'to' date"
    public static let invalidCursor = "Invalid cursor"

    // Risk action
    public static let riskActionInvalid = "\"risk_action\" must be one of [default, allow, deny]"
    public static let riskActionForbidden = "You cannot modify risk level of customers on this integration"

    // Authorizations
    public static func authorizationCodePattern(_ value: String) -> String {
        "\"authorization_code\" with value \"\(value)\" fails to match the required pattern: /^AUTH_[a-z0-9]+$/i"
    }

    // Identification
    public static let namesRequired = "first_name, last_name are required in request body and must not be empty"
    public static let identificationTypeInvalid = "\"type\" must be one of [bvn, bank_account]"
    public static let invalidBVN = "Invalid BVN"
    public static let countryInvalid = "\"country\" must be a 2-letter country code"
}
