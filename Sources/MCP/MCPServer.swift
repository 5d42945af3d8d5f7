import EventHTTP
import JSON
import Platform

/// The MCP server: one implementation behind both transports (`POST /mcp`, stdio). Stateless: it
/// answers the 2026-07-28 revision (`server/discover`, per-request `_meta`, `Mcp-Method`/`Mcp-Name`
/// headers checked against the body) and the `initialize` handshake of 2025-11-25, 2025-06-18 and
/// 2025-03-26, deciding per message.
public final class MCPServer: Sendable {
    public static let modernVersion = "2026-07-28"
    public static let legacyVersions = ["2025-11-25", "2025-06-18", "2025-03-26"]
    static let metaVersion = "io.modelcontextprotocol/protocolVersion"
    static let metaCapabilities = "io.modelcontextprotocol/clientCapabilities"
    static let serverInfoKey = "io.modelcontextprotocol/serverInfo"

    /// What the server needs from the application.
    public struct Environment: Sendable {
        /// The application's own responder: every tool call goes through it.
        public var respond: @Sendable (HTTPRequest) -> HTTPResponse
        /// The secret key a tool call uses: `integration` (an id or a key) or nil for the default.
        public var secretKey: @Sendable (_ integration: String?) -> String?
        /// Every integration's secret keys, for finding a customer wherever it is.
        public var allSecretKeys: @Sendable () -> [String]
        /// Sent to `/_sandbox/` routes (`--admin-token`).
        public var adminToken: String?
        public var resources: [Resource]
        public var version: String

        public init(
            respond: @escaping @Sendable (HTTPRequest) -> HTTPResponse, secretKey: @escaping @Sendable (String?) -> String?,
            allSecretKeys: @escaping @Sendable () -> [String], adminToken: String?, resources: [Resource], version: String
        ) {
            self.respond = respond
            self.secretKey = secretKey
            self.allSecretKeys = allSecretKeys
            self.adminToken = adminToken
            self.resources = resources
            self.version = version
        }
    }

    /// A resource with fixed URI.
    public struct Resource: Sendable {
        public var uri: String
        public var name: String
        public var title: String
        public var description: String
        public var mimeType: String
        public var read: @Sendable () -> String

        public init(uri: String, name: String, title: String, description: String, mimeType: String, read: @escaping @Sendable () -> String) {
            self.uri = uri
            self.name = name
            self.title = title
            self.description = description
            self.mimeType = mimeType
            self.read = read
        }
    }

    /// The one resource template: a customer by code or email.
    public static let customerTemplate = "paystack-mock://customers/{customer}"
    static let instructions = """
        A local, stateful sandbox of the Paystack Customers API. Customer tools act like api.paystack.co \
        (create, list, fetch, update, risk actions, deactivate cards, KYC validation); sandbox tools reset \
        it, move its clock, force failures, and show the request journal and signed webhook deliveries.
        """

    let environment: Environment
    let tools: [String: Tool]

    public init(_ environment: Environment) {
        self.environment = environment
        tools = Dictionary(uniqueKeysWithValues: Tool.all.map { ($0.name, $0) })
    }

    /// How a message arrived: over HTTP (with its headers, checked in 2026-07-28) or stdio.
    public enum Transport: Sendable {
        case http(HTTPHeaders)
        case stdio
    }

    /// The answer: nil `body` for a notification (HTTP 202, nothing on stdio).
    public struct Reply: Sendable {
        public var status: Int
        public var body: [UInt8]?
    }

    public func handle(_ bytes: [UInt8], over transport: Transport) -> Reply {
        let message: JSONRPC.Message
        switch JSONRPC.parse(bytes) {
        case .failure(let failure): return Reply(status: 400, body: JSONRPC.error(id: nil, failure))
        case .success(let parsed): message = parsed
        }
        let modern: Bool
        switch era(of: message, transport) {
        case .failure(let failure): return reply(message, failure, status: 400)
        case .success(let isModern): modern = isModern
        }
        if message.isNotification { return Reply(status: 202, body: nil) }
        do {
            let result = try dispatch(message, modern: modern)
            return Reply(status: 200, body: JSONRPC.result(id: message.id, result))
        } catch {
            let status = modern ? (error.code == JSONRPC.methodNotFound ? 404 : error.code == JSONRPC.internalError ? 200 : 400) : 200
            return reply(message, error, status: status)
        }
    }

    private func reply(_ message: JSONRPC.Message, _ failure: JSONRPC.Failure, status: Int) -> Reply {
        message.isNotification ? Reply(status: 202, body: nil) : Reply(status: status, body: JSONRPC.error(id: message.id, failure))
    }

    /// 2026-07-28 when the request carries its `_meta` envelope, else the `initialize` era; the
    /// modern envelope and headers are checked here, in the revision's order.
    private func era(of message: JSONRPC.Message, _ transport: Transport) -> Result<Bool, JSONRPC.Failure> {
        let meta = message.params["_meta"]?.objectValue
        let version = meta?[Self.metaVersion]?.stringValue
        var headers: HTTPHeaders?
        if case .http(let given) = transport { headers = given }
        guard let version else {
            if let headerVersion = headers?["MCP-Protocol-Version"], !Self.legacyVersions.contains(headerVersion), headerVersion != "2024-11-05" {
                return .failure(JSONRPC.Failure(JSONRPC.invalidParams, "Requests of protocol \(headerVersion) carry params._meta with \(Self.metaVersion)"))
            }
            return .success(false)
        }
        guard meta?[Self.metaCapabilities]?.objectValue != nil else {
            return .failure(JSONRPC.Failure(JSONRPC.invalidParams, "params._meta needs \(Self.metaCapabilities)"))
        }
        if let headers {
            if headers["MCP-Protocol-Version"] != version {
                return .failure(JSONRPC.Failure(JSONRPC.headerMismatch, "The MCP-Protocol-Version header does not match params._meta"))
            }
            if headers["Mcp-Method"] != message.method {
                return .failure(JSONRPC.Failure(JSONRPC.headerMismatch, "The Mcp-Method header does not match the request's method"))
            }
            let named: String? = switch message.method {
            case "tools/call", "prompts/get": message.params["name"]?.stringValue
            case "resources/read": message.params["uri"]?.stringValue
            default: nil
            }
            if let named, Self.decodedHeader(headers["Mcp-Name"]) != named {
                return .failure(JSONRPC.Failure(JSONRPC.headerMismatch, "The Mcp-Name header does not match the request's name or uri"))
            }
        }
        guard version == Self.modernVersion else {
            return .failure(JSONRPC.Failure(
                JSONRPC.unsupportedProtocolVersion, "Unsupported protocol version \(version)",
                data: .object(JSONObject(["supported": .array([.string(Self.modernVersion)]), "requested": .string(version)]))))
        }
        return .success(true)
    }

    /// `Mcp-Name` as sent: plain, or `=?base64?…?=` for values headers cannot carry.
    static func decodedHeader(_ value: String?) -> String? {
        guard let value, value.hasPrefix("=?base64?"), value.hasSuffix("?=") else { return value }
        return Base64.decode(String(value.dropFirst(9).dropLast(2)))
    }

    // MARK: Methods

    private func dispatch(_ message: JSONRPC.Message, modern: Bool) throws(JSONRPC.Failure) -> JSONObject {
        switch message.method {
        case "initialize" where !modern:
            let asked = message.params["protocolVersion"]?.stringValue ?? ""
            return JSONObject([
                "protocolVersion": .string(Self.legacyVersions.contains(asked) ? asked : Self.legacyVersions[0]),
                "capabilities": capabilities, "serverInfo": serverInfo, "instructions": .string(Self.instructions),
            ])
        case "ping":
            return decorated(JSONObject(), modern: modern)
        case "server/discover":
            return decorated(JSONObject([
                "supportedVersions": .array(([Self.modernVersion] + Self.legacyVersions).map(JSONValue.string)),
                "capabilities": capabilities, "instructions": .string(Self.instructions),
            ]), modern: true, cached: "public")
        case "tools/list":
            return decorated(JSONObject(["tools": .array(Tool.all.map(describe))]), modern: modern, cached: "public")
        case "tools/call":
            return decorated(try call(message.params), modern: modern)
        case "resources/list":
            let resources = environment.resources.map { resource in
                JSONValue.object(JSONObject([
                    "uri": .string(resource.uri), "name": .string(resource.name), "title": .string(resource.title),
                    "description": .string(resource.description), "mimeType": .string(resource.mimeType),
                ]))
            }
            return decorated(JSONObject(["resources": .array(resources)]), modern: modern, cached: "public")
        case "resources/templates/list":
            let template = JSONValue.object(JSONObject([
                "uriTemplate": .string(Self.customerTemplate), "name": .string("customer"), "title": .string("A customer"),
                "description": .string("A customer (the fetch shape) by code or email, in whichever integration and domain has it"),
                "mimeType": .string("application/json"),
            ]))
            return decorated(JSONObject(["resourceTemplates": .array([template])]), modern: modern, cached: "public")
        case "resources/read":
            return decorated(try read(message.params, modern: modern), modern: modern, cached: "private")
        default:
            throw JSONRPC.Failure(JSONRPC.methodNotFound, "Method not found", data: .string(message.method))
        }
    }

    private var capabilities: JSONValue {
        .object(JSONObject([
            "tools": .object(JSONObject(["listChanged": .bool(false)])),
            "resources": .object(JSONObject(["listChanged": .bool(false), "subscribe": .bool(false)])),
        ]))
    }

    private var serverInfo: JSONValue {
        .object(JSONObject(["name": .string("paystack-mock"), "title": .string("Paystack Customers sandbox"), "version": .string(environment.version)]))
    }

    /// 2026-07-28's result members (accepted by older clients too): `resultType`, the cache hints
    /// (`ttlMs: 0`: the sandbox changes under the client), and the server's name in `_meta`.
    private func decorated(_ result: JSONObject, modern: Bool, cached scope: String? = nil) -> JSONObject {
        guard modern else { return result }
        var members = result.members
        members.append(("resultType", .string("complete")))
        if let scope {
            members.append(("ttlMs", .number("0")))
            members.append(("cacheScope", .string(scope)))
        }
        members.append(("_meta", .object(JSONObject([Self.serverInfoKey: serverInfo]))))
        return JSONObject(members)
    }

    private func describe(_ tool: Tool) -> JSONValue {
        .object(JSONObject([
            "name": .string(tool.name), "title": .string(tool.title), "description": .string(tool.description),
            "inputSchema": tool.inputSchema,
            "annotations": .object(JSONObject([
                "title": .string(tool.title), "readOnlyHint": .bool(tool.readOnly), "destructiveHint": .bool(tool.destructive),
                "idempotentHint": .bool(tool.idempotent), "openWorldHint": .bool(false),
            ])),
        ]))
    }
}

extension MCPServer {
    /// `POST /mcp`: JSON answers only (no event stream, no sessions); a notification gets 202.
    public func respond(toHTTP request: HTTPRequest) -> HTTPResponse {
        let reply = handle(request.body, over: .http(request.headers))
        guard let body = reply.body else { return HTTPResponse(status: 202) }
        var headers = HTTPHeaders()
        headers.set("Content-Type", "application/json")
        return HTTPResponse(status: reply.status, headers: headers, body: body)
    }

    /// `GET` and `DELETE /mcp`: no event stream and no sessions to end.
    public static func methodNotAllowed() -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.set("Allow", "POST")
        headers.set("Content-Type", "application/json")
        let failure = JSONRPC.Failure(JSONRPC.invalidRequest, "Only POST: this server answers JSON, with no event stream and no sessions")
        return HTTPResponse(status: 405, headers: headers, body: JSONRPC.error(id: nil, failure))
    }
}
