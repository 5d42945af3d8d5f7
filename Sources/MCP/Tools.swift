import EventHTTP
import JSON

/// One MCP tool: a route of the mock, with the JSON Schema of its arguments. A call becomes an HTTP
/// request to the mock's own responder, so authentication, validation, the journal, faults, the
/// rate limit and the state log apply exactly as over REST.
public struct Tool: Sendable {
    public var name: String
    public var title: String
    public var description: String
    public var method: HTTPMethod
    /// The route, with `{argument}` segments filled from the arguments.
    public var path: String
    public var properties: [(name: String, schema: JSONValue)]
    public var required: [String]
    public var readOnly: Bool
    public var destructive: Bool
    public var idempotent: Bool
    /// `/_sandbox/` routes: the admin token is sent; Paystack routes: an integration's secret key.
    public var isAdmin: Bool { path.hasPrefix("/_sandbox/") }

    /// `inputSchema`.
    public var inputSchema: JSONValue {
        var schema: [(key: String, value: JSONValue)] = [
            ("type", .string("object")),
            ("properties", .object(JSONObject(properties.map { ($0.name, $0.schema) }))),
            ("additionalProperties", .bool(false)),
        ]
        if !required.isEmpty { schema.insert(("required", .array(required.map(JSONValue.string))), at: 2) }
        return .object(JSONObject(schema))
    }
}

/// Schema fragments.
enum Schema {
    static func string(_ description: String, pattern: String? = nil, format: String? = nil) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("type", .string("string")), ("description", .string(description))]
        if let pattern { members.append(("pattern", .string(pattern))) }
        if let format { members.append(("format", .string(format))) }
        return .object(JSONObject(members))
    }

    static func oneOf(_ values: [String], _ description: String) -> JSONValue {
        .object(JSONObject([("type", .string("string")), ("enum", .array(values.map(JSONValue.string))), ("description", .string(description))]))
    }

    static func integer(_ description: String, minimum: Int? = nil, maximum: Int? = nil) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("type", .string("integer")), ("description", .string(description))]
        if let minimum { members.append(("minimum", .number(String(minimum)))) }
        if let maximum { members.append(("maximum", .number(String(maximum)))) }
        return .object(JSONObject(members))
    }

    static func number(_ description: String, minimum: Double, maximum: Double) -> JSONValue {
        .object(JSONObject([
            ("type", .string("number")), ("minimum", .number("\(minimum)")), ("maximum", .number("\(maximum)")),
            ("description", .string(description)),
        ]))
    }

    static func boolean(_ description: String) -> JSONValue {
        .object(JSONObject([("type", .string("boolean")), ("description", .string(description))]))
    }

    static func object(_ description: String) -> JSONValue {
        .object(JSONObject([("type", .string("object")), ("description", .string(description))]))
    }

    static func idOrKey(_ description: String) -> JSONValue {
        .object(JSONObject([
            ("type", .array([.string("integer"), .string("string")])), ("description", .string(description)),
        ]))
    }

    static let integration = idOrKey(
        "Which integration to act on: its id or one of its secret keys (a key also picks the domain). Default: the first --secret-key, else the first seeded integration's test key.")
    static let customer = string("The customer's code (CUS_…), email or id")
}

extension Tool {
    /// Every tool of the mock: the seven customer operations, the sandbox controls, and a generic
    /// request tool shaped like Paystack's own MCP server's.
    public static let all: [Tool] = customerTools + sandboxTools + [paystackRequest]

    static let customerTools: [Tool] = [
        Tool(
            name: "create_customer", title: "Create a customer",
            description: "POST /customer. An email that exists already (case-insensitive) returns that customer, unchanged.",
            method: .POST, path: "/customer",
            properties: [
                ("email", Schema.string("Email address", format: "email")), ("first_name", Schema.string("First name")),
                ("last_name", Schema.string("Last name")), ("phone", Schema.string("Phone number")),
                ("metadata", Schema.object("Any object; replaces stored metadata")), ("integration", Schema.integration),
            ],
            required: ["email"], readOnly: false, destructive: false, idempotent: true),
        Tool(
            name: "list_customers", title: "List customers",
            description: "GET /customer: newest first, by page or by cursor, optionally within from/to (createdAt, inclusive).",
            method: .GET, path: "/customer",
            properties: [
                ("perPage", Schema.integer("Customers per page (default 50)", minimum: 1)),
                ("page", Schema.integer("Page number (default 1)", minimum: 1)),
                ("from", Schema.string("Created at or after, e.g. 2024-01-01 or 2024-01-01T00:00:00.000Z")),
                ("to", Schema.string("Created at or before; a bare date covers the whole day")),
                ("use_cursor", Schema.boolean("Page by cursor (meta.next / meta.previous)")),
                ("next", Schema.string("Cursor: the page after")), ("previous", Schema.string("Cursor: the page before")),
                ("integration", Schema.integration),
            ],
            required: [], readOnly: true, destructive: false, idempotent: true),
        Tool(
            name: "fetch_customer", title: "Fetch a customer",
            description: "GET /customer/{customer}: the largest shape, with authorizations and identifications.",
            method: .GET, path: "/customer/{customer}",
            properties: [("customer", Schema.customer), ("integration", Schema.integration)],
            required: ["customer"], readOnly: true, destructive: false, idempotent: true),
        Tool(
            name: "update_customer", title: "Update a customer",
            description: "PUT /customer/{customer}: given fields replace stored ones (metadata is replaced, not merged); names are locked after a successful identification.",
            method: .PUT, path: "/customer/{customer}",
            properties: [
                ("customer", Schema.customer), ("first_name", Schema.string("First name")), ("last_name", Schema.string("Last name")),
                ("phone", Schema.string("Phone number")), ("metadata", Schema.object("Replaces stored metadata")),
                ("integration", Schema.integration),
            ],
            required: ["customer"], readOnly: false, destructive: false, idempotent: true),
        Tool(
            name: "set_risk_action", title: "Whitelist or blacklist a customer",
            description: "POST /customer/set_risk_action: allow (whitelist), deny (blacklist) or default.",
            method: .POST, path: "/customer/set_risk_action",
            properties: [
                ("customer", Schema.customer), ("risk_action", Schema.oneOf(["default", "allow", "deny"], "default when absent")),
                ("integration", Schema.integration),
            ],
            required: ["customer"], readOnly: false, destructive: false, idempotent: true),
        Tool(
            name: "deactivate_authorization", title: "Deactivate a saved card",
            description: "POST /customer/authorization/deactivate: the authorization disappears from its customer.",
            method: .POST, path: "/customer/authorization/deactivate",
            properties: [("authorization_code", Schema.string("AUTH_…", pattern: "^AUTH_[a-zA-Z0-9]+$")), ("integration", Schema.integration)],
            required: ["authorization_code"], readOnly: false, destructive: true, idempotent: false),
        Tool(
            name: "validate_customer", title: "Validate a customer's identity (KYC)",
            description: "POST /customer/{customer}/identification: answers 202 at once; the outcome comes later as a signed customeridentification webhook (see the kyc-outcomes resource). Paystack's test credential succeeds: account_number 0111111111, bvn 222222222221, bank_code 007.",
            method: .POST, path: "/customer/{customer}/identification",
            properties: [
                ("customer", Schema.customer), ("country", Schema.string("Two letters, e.g. NG")),
                ("type", Schema.oneOf(["bank_account", "bvn"], "Identification type")), ("account_number", Schema.string("Bank account number")),
                ("bvn", Schema.string("Bank Verification Number (digits)")), ("bank_code", Schema.string("Bank code, e.g. 007")),
                ("first_name", Schema.string("First name")), ("last_name", Schema.string("Last name")),
                ("middle_name", Schema.string("Middle name")), ("value", Schema.string("The identification number (type bvn)")),
                ("integration", Schema.integration),
            ],
            required: ["customer", "country", "type", "account_number", "bvn", "bank_code", "first_name", "last_name"],
            readOnly: false, destructive: false, idempotent: false),
    ]

    static let sandboxTools: [Tool] = [
        Tool(name: "sandbox_health", title: "Sandbox health", description: "GET /_sandbox/health: version, uptime, counts, base URLs.",
             method: .GET, path: "/_sandbox/health", properties: [], required: [], readOnly: true, destructive: false, idempotent: true),
        Tool(name: "sandbox_reset", title: "Reset the sandbox",
             description: "POST /_sandbox/reset: back to the seed data; with integration, only that integration (both domains).",
             method: .POST, path: "/_sandbox/reset", properties: [("integration", Schema.idOrKey("An integration id or secret key; all when absent"))],
             required: [], readOnly: false, destructive: true, idempotent: true),
        Tool(name: "sandbox_get_clock", title: "Read the sandbox clock", description: "GET /_sandbox/clock: now, and whether it is frozen.",
             method: .GET, path: "/_sandbox/clock", properties: [], required: [], readOnly: true, destructive: false, idempotent: true),
        Tool(name: "sandbox_set_clock", title: "Set, advance or freeze the sandbox clock",
             description: "POST /_sandbox/clock: freeze first, then now, then advance (seconds). createdAt/updatedAt follow it, backwards too.",
             method: .POST, path: "/_sandbox/clock",
             properties: [
                 ("now", Schema.string("A date, e.g. 2024-01-01T00:00:00.000Z (1970 to 9999)", format: "date-time")),
                 ("advance", Schema.integer("Seconds, may be negative", minimum: -31_557_600_000, maximum: 31_557_600_000)),
                 ("freeze", Schema.boolean("Stop (true) or restart (false) the clock")),
             ],
             required: [], readOnly: false, destructive: false, idempotent: false),
        Tool(name: "sandbox_add_fault", title: "Add a fault rule",
             description: "POST /_sandbox/faults: matching requests get the status (Paystack's envelope; the route does not run) and/or the delay.",
             method: .POST, path: "/_sandbox/faults",
             properties: [
                 ("method", Schema.string("HTTP method; any when absent")), ("path", Schema.string("Path pattern, * matches anything (default *)")),
                 ("status", Schema.integer("Status to answer", minimum: 400, maximum: 599)), ("message", Schema.string("Message instead of Paystack's")),
                 ("delay_ms", Schema.integer("Added latency", minimum: 0, maximum: 60_000)),
                 ("times", Schema.integer("Matches before the rule goes", minimum: 1, maximum: 1_000_000_000)),
                 ("probability", Schema.number("Chance a matching request is hit", minimum: 0, maximum: 1)),
             ],
             required: [], readOnly: false, destructive: false, idempotent: false),
        Tool(name: "sandbox_list_faults", title: "List fault rules", description: "GET /_sandbox/faults.",
             method: .GET, path: "/_sandbox/faults", properties: [], required: [], readOnly: true, destructive: false, idempotent: true),
        Tool(name: "sandbox_clear_faults", title: "Clear fault rules", description: "DELETE /_sandbox/faults.",
             method: .DELETE, path: "/_sandbox/faults", properties: [], required: [], readOnly: false, destructive: true, idempotent: true),
        Tool(name: "sandbox_requests", title: "The request journal",
             description: "GET /_sandbox/requests: recent requests with their answers, newest first, secret keys masked.",
             method: .GET, path: "/_sandbox/requests",
             properties: [
                 ("method", Schema.string("HTTP method")), ("path", Schema.string("Path or pattern with *")),
                 ("status", Schema.integer("Answer status", minimum: 100, maximum: 599)),
                 ("integration", Schema.idOrKey("An integration id or secret key")),
                 ("since", Schema.string("Entries at or after this date")), ("contains", Schema.string("Text in the path, query, body or answer")),
                 ("limit", Schema.integer("At most this many", minimum: 1, maximum: 1_000_000)),
             ],
             required: [], readOnly: true, destructive: false, idempotent: true),
        Tool(name: "sandbox_webhook_deliveries", title: "Webhook deliveries",
             description: "GET /_sandbox/webhooks: every delivery with its exact body, signature and attempts, newest first.",
             method: .GET, path: "/_sandbox/webhooks",
             properties: [
                 ("integration", Schema.idOrKey("An integration id or secret key")),
                 ("limit", Schema.integer("At most this many", minimum: 1, maximum: 1_000_000)),
             ],
             required: [], readOnly: true, destructive: false, idempotent: true),
        Tool(name: "sandbox_redeliver_webhook", title: "Redeliver a webhook",
             description: "POST /_sandbox/webhooks/{id}/redeliver: the same body and signature, a new schedule of attempts.",
             method: .POST, path: "/_sandbox/webhooks/{id}/redeliver", properties: [("id", Schema.integer("Delivery id", minimum: 1))],
             required: ["id"], readOnly: false, destructive: false, idempotent: false),
        Tool(name: "sandbox_send_test_webhook", title: "Send a test webhook",
             description: "POST /_sandbox/webhooks/test: a signed customeridentification.success with sample data, to check a receiver's verification.",
             method: .POST, path: "/_sandbox/webhooks/test",
             properties: [
                 ("integration", Schema.idOrKey("An integration id or secret key (default: the first)")),
                 ("domain", Schema.oneOf(["test", "live"], "Whose key signs it")), ("url", Schema.string("Where to send it (default: the integration's)")),
             ],
             required: [], readOnly: false, destructive: false, idempotent: false),
        Tool(name: "sandbox_set_webhook_url", title: "Set an integration's webhook URL",
             description: "PUT /_sandbox/webhook: where the integration's events go; null goes back to the seed's or --webhook-url.",
             method: .PUT, path: "/_sandbox/webhook",
             properties: [
                 ("integration", Schema.idOrKey("An integration id or secret key")),
                 ("url", .object(JSONObject([("type", .array([.string("string"), .string("null")])), ("description", .string("An http:// or https:// URL, or null"))]))),
             ],
             required: ["integration", "url"], readOnly: false, destructive: false, idempotent: true),
        Tool(name: "sandbox_add_authorization", title: "Give a customer a saved card",
             description: "POST /_sandbox/customers/{customer}/authorizations: a card (or bank mandate) in Paystack's authorization shape, from Paystack's test cards.",
             method: .POST, path: "/_sandbox/customers/{customer}/authorizations",
             properties: [
                 ("customer", Schema.customer), ("brand", Schema.oneOf(["visa", "mastercard", "verve"], "default visa")),
                 ("channel", Schema.oneOf(["card", "bank"], "card, or bank for a direct-debit mandate")),
                 ("reusable", Schema.boolean("default true")), ("exp_month", Schema.integer("1-12", minimum: 1, maximum: 12)),
                 ("exp_year", Schema.integer("e.g. 2030", minimum: 2000, maximum: 2099)), ("bank", Schema.string("Bank name")),
                 ("account_name", Schema.string("Account holder's name")), ("integration", Schema.idOrKey("An integration id or secret key")),
                 ("domain", Schema.oneOf(["test", "live"], "With an integration id")),
             ],
             required: ["customer"], readOnly: false, destructive: false, idempotent: false),
    ]

    /// Like Paystack's own MCP server's request tool: any route, by method and path.
    static let paystackRequest = Tool(
        name: "paystack_request", title: "Make a Paystack API request",
        description: "Any route of the mock, as on api.paystack.co: method, path (e.g. /customer?perPage=5) and data (the JSON body; query parameters for GET). /_sandbox/ routes get the admin token, the others an integration's secret key.",
        method: .GET, path: "",
        properties: [
            ("method", Schema.oneOf(["GET", "POST", "PUT", "DELETE"], "HTTP method")),
            ("path", Schema.string("Path, with a query string if needed, e.g. /customer/CUS_xxx")),
            ("data", Schema.object("JSON body (POST, PUT) or query parameters (GET, DELETE)")), ("integration", Schema.integration),
        ],
        required: ["method", "path"], readOnly: false, destructive: true, idempotent: false)
}
