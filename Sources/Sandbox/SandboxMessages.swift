import PaystackCore

/// Every message of the `/_sandbox/` routes, as the tests assert them.
public enum SandboxMessages {
    public static let healthy = "Sandbox is healthy"
    public static let requests = "Recorded requests"
    public static let requestsCleared = "Request journal cleared"
    public static let journalOff = "The request journal is off (--journal-size 0)"
    public static let journalStatusInvalid = "\"status\" must be an HTTP status such as 404"
    public static let sinceMustBeDate = "\"since\" must be a date such as 2024-01-01T00:00:00.000Z"
    public static let limitInvalid = "\"limit\" must be a whole number from 1"
    public static let resetAll = "Sandbox reset to the seed data"
    public static func resetOne(_ id: Int) -> String { "Integration \(id) reset to the seed data" }
    public static let unknownIntegration = "No such integration"
    public static let integrationMustBeIDOrKey = "\"integration\" must be an integration id or a secret key"
    public static func hostNotAllowed(_ host: String) -> String {
        "Host not allowed on the admin routes: \(host) (start the mock with --allowed-host \(host) to admit it)"
    }
    public static func originNotAllowed(_ origin: String) -> String {
        "Origin not allowed on the admin routes: \(origin) (only pages served from this machine may use them)"
    }
    public static let noCertificateAuthority = "No CA to give: HTTPS is off (--tls-port), or uses a certificate of your own (--tls-cert)"
    public static func certificateAuthorityUnreadable(_ reason: String) -> String { "The CA file cannot be read: \(reason)" }
    public static let integrations = "Integrations"
    public static let customers = "Customers"
    public static let customerFilterInvalid = "\"filter\" must be one of [all, whitelisted, blacklisted, identified]"
    public static func wholeNumber(_ name: String, minimum: Int = 1, maximum: Int) -> String {
        "\"\(name)\" must be a whole number from \(minimum) to \(maximum)"
    }
    public static let customerAmbiguous = "Several customers match: give \"integration\" (an id or a secret key) and \"domain\""
    public static let authorizationAdded = "Authorization added"
    public static let authorizationsRemoved = "Authorizations removed"
    public static let brandInvalid = "\"brand\" must be one of [visa, mastercard, verve]"
    public static let channelInvalid = "\"channel\" must be one of [card, bank]"
    public static let reusableMustBeBoolean = "\"reusable\" must be a boolean"
    public static let adminTokenRequired = "A valid admin token is required: Authorization: Bearer <admin token>"
    public static let clock = "Sandbox clock"
    public static let faultAdded = "Fault rule added"
    public static let faults = "Fault rules"
    public static let faultsCleared = "Fault rules cleared"
    public static let faultMethodInvalid = "\"method\" must be an HTTP method such as POST"
    public static let faultStatusInvalid = "\"status\" must be an HTTP status from 400 to 599"
    public static let faultTimesInvalid = "\"times\" must be a whole number from 1 to 1000000000"
    public static let faultProbabilityInvalid = "\"probability\" must be a number from 0 to 1"
    public static let faultNeedsAnEffect = "Give \"status\", \"delay_ms\" or both"
    public static func stateReplaced(integrations: Int, customers: Int) -> String {
        "State replaced: \(integrations) integrations, \(customers) customers"
    }
    public static let freezeMustBeBoolean = "\"freeze\" must be a boolean"
    public static let nowMustBeDate = "\"now\" must be a date such as 2024-01-01T00:00:00.000Z"
    public static let advanceMustBeSeconds = "\"advance\" must be a whole number of seconds from -31557600000 to 31557600000"
    public static let clockOutOfRange = "The clock must stay between 1970-01-01T00:00:00.000Z and 9999-12-31T23:59:59.000Z"
    public static let clockNeedsAChange = "Give \"now\", \"advance\" or \"freeze\""
    public static let mockStatusInvalid = "X-Mock-Status must be an HTTP status from 400 to 599"
    public static let mockDelayInvalid = "X-Mock-Delay must be a number of milliseconds from 0 to 60000"

    public static let webhookTargets = "Webhook targets"
    public static let webhookTargetSet = "Webhook target set"
    public static let webhookURLInvalid = "\"url\" must be an http:// or https:// URL, or null"
    public static func webhookURLUndeliverable(_ reason: String) -> String {
        "\"url\" must be an http:// or https:// URL, or null (\(reason))"
    }
    public static let webhooks = "Webhook deliveries"
    public static let webhooksCleared = "Webhook deliveries cleared"
    public static let webhookNotFound = "No such webhook delivery"
    public static let webhookHasNoURL = "No webhook URL for this integration: set one with PUT /_sandbox/webhook or --webhook-url"
    public static let webhookRedelivering = "Webhook redelivery started"
    public static let webhookTestSent = "Test webhook queued"
    public static let domainInvalid = "\"domain\" must be one of [test, live]"
    public static func noKeyInDomain(_ domain: Domain) -> String { "This integration has no \(domain.rawValue) secret key" }
}
