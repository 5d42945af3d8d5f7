import EventHTTP
import JSON
import Platform

extension MCPServer {
    /// `tools/call`: the tool's route, answered by the application's responder. The result is
    /// Paystack's exact envelope, as text and as `structuredContent`; `isError` for 400 and above.
    func call(_ params: JSONObject) throws(JSONRPC.Failure) -> JSONObject {
        guard let name = params["name"]?.stringValue else { throw JSONRPC.Failure(JSONRPC.invalidParams, "tools/call needs params.name") }
        guard let tool = tools[name] else { throw JSONRPC.Failure(JSONRPC.invalidParams, "Unknown tool: \(name)") }
        var arguments = JSONObject()
        switch params["arguments"] {
        case nil, .null?: break
        case .object(let given)?: arguments = given
        default: throw JSONRPC.Failure(JSONRPC.invalidParams, "params.arguments must be an object")
        }
        // Arguments the schema does not know, or required ones missing: an error result the agent can read.
        let known = Set(tool.properties.map(\.name))
        if let unknown = arguments.members.first(where: { !known.contains($0.key) }) {
            return errorResult("Unknown argument \"\(unknown.key)\" for \(name); it takes: \(tool.properties.map(\.name).joined(separator: ", "))")
        }
        if let missing = tool.required.first(where: { arguments[$0] == nil }) {
            return errorResult("\"\(missing)\" is required")
        }
        let request: HTTPRequest
        do {
            request = try self.request(for: tool, arguments)
        } catch {
            return errorResult(error.message)
        }
        let response = environment.respond(request)
        let text = String(decoding: response.body, as: UTF8.self)
        var members: [(key: String, value: JSONValue)] = [
            ("content", .array([.object(JSONObject(["type": .string("text"), "text": .string(text)]))])),
        ]
        if case .object(let structured)? = try? JSONParser.parse(response.body) {
            members.append(("structuredContent", .object(structured)))
        }
        members.append(("isError", .bool(response.status >= 400)))
        return JSONObject(members)
    }

    private func errorResult(_ message: String) -> JSONObject {
        JSONObject([
            "content": .array([.object(JSONObject(["type": .string("text"), "text": .string(message)]))]),
            "isError": .bool(true),
        ])
    }

    /// The HTTP request a tool call makes: path segments filled from the arguments, the rest as the
    /// query (GET, DELETE) or the JSON body; the admin token or an integration's secret key.
    func request(for tool: Tool, _ arguments: JSONObject) throws(JSONRPC.Failure) -> HTTPRequest {
        var method = tool.method
        var path = tool.path
        var rest = arguments
        var integration: String?
        if tool.name == "paystack_request" {
            guard let given = arguments["method"]?.stringValue.flatMap({ HTTPMethod(rawValue: $0.asciiUppercased) }) else {
                throw JSONRPC.Failure(JSONRPC.invalidParams, "\"method\" must be GET, POST, PUT or DELETE")
            }
            guard let target = arguments["path"]?.stringValue, target.hasPrefix("/") else {
                throw JSONRPC.Failure(JSONRPC.invalidParams, "\"path\" must start with /")
            }
            method = given
            path = target
            rest = arguments["data"]?.objectValue ?? JSONObject()
            integration = arguments["integration"].flatMap(Self.text)
        } else {
            // Route segments such as `{customer}` come from the arguments of that name.
            var segments: [String] = []
            for segment in path.split(separator: "/", omittingEmptySubsequences: false).map(String.init) {
                guard segment.hasPrefix("{"), segment.hasSuffix("}") else {
                    segments.append(segment)
                    continue
                }
                let name = String(segment.dropFirst().dropLast())
                guard let value = arguments[name], let text = Self.text(value) else {
                    throw JSONRPC.Failure(JSONRPC.invalidParams, "\"\(name)\" must be a string or a number")
                }
                segments.append(Self.percentEncoded(text))
                rest.members.removeAll { $0.key == name }
            }
            path = segments.joined(separator: "/")
            if !tool.isAdmin, let given = rest["integration"] {
                integration = Self.text(given)
                rest.members.removeAll { $0.key == "integration" }
            }
        }
        var headers = HTTPHeaders()
        let isAdmin = path.hasPrefix("/_sandbox/")
        if isAdmin {
            if let token = environment.adminToken { headers.set("Authorization", "Bearer \(token)") }
        } else if let key = environment.secretKey(integration) {
            headers.set("Authorization", "Bearer \(key)")
        } else if integration != nil {
            throw JSONRPC.Failure(JSONRPC.invalidParams, "No integration has the id or secret key \(integration!)")
        }
        var body: [UInt8] = []
        var target = path
        if method == .GET || method == .DELETE {
            let query = rest.members.compactMap { member in Self.text(member.value).map { "\(Self.percentEncoded(member.key))=\(Self.percentEncoded($0))" } }
            if !query.isEmpty { target += (target.contains("?") ? "&" : "?") + query.joined(separator: "&") }
        } else {
            body = JSONValue.object(rest).jsonBytes
            headers.set("Content-Type", "application/json")
        }
        return HTTPRequest(method: method, target: target, headers: headers, body: body)
    }

    /// A scalar argument as text (strings as they are, numbers and booleans as JSON writes them).
    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .number(let text): text
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }

    /// Percent-encodes all but RFC 3986's unreserved characters (`@` too: emails become `%40`).
    static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            if isASCIIAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "~") {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = Array("0123456789ABCDEF".utf8)
                result += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return result
    }

    /// `resources/read`: a fixed resource, or a customer by the template.
    func read(_ params: JSONObject, modern: Bool) throws(JSONRPC.Failure) -> JSONObject {
        guard let uri = params["uri"]?.stringValue else { throw JSONRPC.Failure(JSONRPC.invalidParams, "resources/read needs params.uri") }
        let notFound = JSONRPC.Failure(
            modern ? JSONRPC.invalidParams : JSONRPC.legacyResourceNotFound, "Resource not found: \(uri)",
            data: .object(JSONObject(["uri": .string(uri)])))
        var text: String
        var mimeType = "application/json"
        if let resource = environment.resources.first(where: { $0.uri == uri }) {
            text = resource.read()
            mimeType = resource.mimeType
        } else if uri.hasPrefix("paystack-mock://customers/") {
            let reference = String(uri.dropFirst("paystack-mock://customers/".count))
            guard !reference.isEmpty, let found = customer(reference) else { throw notFound }
            text = found
        } else {
            throw notFound
        }
        return JSONObject(["contents": .array([.object(JSONObject(["uri": .string(uri), "mimeType": .string(mimeType), "text": .string(text)]))])])
    }

    /// The customer's fetch shape, from whichever integration and domain has it.
    private func customer(_ reference: String) -> String? {
        for key in environment.allSecretKeys() {
            var headers = HTTPHeaders()
            headers.set("Authorization", "Bearer \(key)")
            let response = environment.respond(HTTPRequest(method: .GET, target: "/customer/\(Self.percentEncoded(reference))", headers: headers))
            guard response.status == 200, case .object(let envelope)? = try? JSONParser.parse(response.body), let data = envelope["data"] else { continue }
            return String(decoding: data.jsonBytes, as: UTF8.self)
        }
        return nil
    }
}
