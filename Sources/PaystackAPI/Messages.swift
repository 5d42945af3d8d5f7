import PaystackCore

/// Every message the Paystack routes answer with, as the tests assert them.
public enum Messages {
    // What no route handled (contract section 1's decisions)
    public static let routeNotFound = "Route not found"
    public static let methodNotAllowed = "Method not allowed"
    public static let unparseableRequest = "Bad request: the request could not be parsed"
    public static let malformedPath = "Malformed percent-encoding in the request path"
    public static let methodNotImplemented = "Method not implemented"
    public static func bodyTooLarge(limit: Int) -> String { "Request body is larger than the limit of \(limit) bytes" }
    public static let bodyNotUTF8 = "Request body is not valid UTF-8"
    public static func stateFileWriteFailed(_ reason: String) -> String { "Could not write the state file: \(reason)" }
    public static func internalError(_ detail: String) -> String { "Internal error: \(detail)" }

    // Forced and rate-limited answers (contract sections 1 and 6)
    public static let rateLimitExceeded = "Rate limit exceeded!"
    public static let serverError = "An error occurred, please try again later"

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
