import EventHTTP
import JSON
import PaystackCore

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

    /// Paystack's answer to a store operation that did not happen.
    public init(_ error: StoreError) {
        switch error {
        case .customerNotFound:
            self = .notFound(Messages.customerNotFound)
        case .customerInOtherDomain(.email, let domain):
            self = .notFound(Messages.customerEmailInvalid(for: domain))
        case .customerInOtherDomain(_, let domain):
            self = .notFound(Messages.customerCodeInvalid(for: domain))
        case .authorizationNotFound:
            self = .notFound(Messages.authorizationCodeNotFound)
        case .integrationRemoved:
            self = .unauthorized(Messages.invalidKey)
        case .persistenceFailed(let failure):
            self = PaystackError(status: 500, message: Messages.stateFileWriteFailed(failure.reason), code: .unknown)
        }
    }

    /// Paystack's answer to a request no route handled (see `HTTPFailure`): the short envelope.
    public static func rendering(_ failure: HTTPFailure) -> HTTPResponse {
        let message = switch failure {
        case .unparseableRequest: Messages.unparseableRequest
        case .malformedPath: Messages.malformedPath
        case .bodyTooLarge(let limit): Messages.bodyTooLarge(limit: limit)
        case .methodNotImplemented: Messages.methodNotImplemented
        case .routeNotFound: Messages.routeNotFound
        case .methodNotAllowed: Messages.methodNotAllowed
        case .other(let status): reasonPhrase(status)
        }
        return PaystackError(status: failure.status, message: message, code: nil).response
    }
}
