import EventHTTP
import Foundation
import HTTPTestSupport
import JSON
@testable import MCP
import PaystackMock
import Testing

/// The JSON-RPC dispatcher of the MCP server: errors get the right codes and statuses.
@Suite struct MCPDispatcherTests {
    let mcp = Mock().application.mcp

    func answer(_ text: String, headers: [String: String]? = nil) -> (status: Int, json: [String: Any]) {
        let transport: MCPServer.Transport = headers.map { .http(HTTPHeaders($0.map { ($0.key, $0.value) })) } ?? .stdio
        let reply = mcp.handle(Array(text.utf8), over: transport)
        let json = reply.body.flatMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] } ?? [:]
        return (reply.status, json)
    }

    func code(_ json: [String: Any]) -> Int? { (json["error"] as? [String: Any])?["code"] as? Int }

    static let meta = #""_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}"#

    @Test func malformedMessagesAreParseErrorsOrInvalidRequests() {
        let parse = answer("{not json")
        #expect(parse.status == 400)
        #expect(code(parse.json) == -32700)
        #expect(parse.json["id"] is NSNull)
        for invalid in [#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#, #"{"jsonrpc":"1.0","id":1,"method":"ping"}"#,
                        #"{"jsonrpc":"2.0","id":{},"method":"ping"}"#, #"{"jsonrpc":"2.0","id":1,"method":"ping","params":[]}"#] {
            #expect(code(answer(invalid).json) == -32600, "\(invalid)")
        }
    }

    @Test func unknownMethodsAndToolsHaveTheirCodes() {
        let legacy = answer(#"{"jsonrpc":"2.0","id":1,"method":"foo/bar"}"#)
        #expect(code(legacy.json) == -32601)
        #expect(legacy.status == 200)
        let modern = answer(#"{"jsonrpc":"2.0","id":2,"method":"foo/bar","params":{\#(Self.meta)}}"#)
        #expect(code(modern.json) == -32601)
        #expect(modern.status == 404)
        let tool = answer(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"no_such_tool","arguments":{}}}"#)
        #expect(code(tool.json) == -32602)
        #expect(((tool.json["error"] as? [String: Any])?["message"] as? String) == "Unknown tool: no_such_tool")
        let resource = answer(#"{"jsonrpc":"2.0","id":4,"method":"resources/read","params":{"uri":"paystack-mock://nothing"}}"#)
        #expect(code(resource.json) == -32002, "2025-11-25's resource not found")
        let modernResource = answer(#"{"jsonrpc":"2.0","id":5,"method":"resources/read","params":{"uri":"paystack-mock://nothing",\#(Self.meta)}}"#)
        #expect(code(modernResource.json) == -32602, "2026-07-28's")
    }

    @Test func notificationsGetNoAnswer() {
        let reply = mcp.handle(Array(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#.utf8), over: .stdio)
        #expect(reply.body == nil)
        #expect(reply.status == 202)
    }

    @Test func theModernEnvelopeAndHeadersAreChecked() {
        let headers = ["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/list"]
        #expect(answer(#"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{\#(Self.meta)}}"#, headers: headers).status == 200)
        let wrongMethod = answer(#"{"jsonrpc":"2.0","id":1,"method":"resources/list","params":{\#(Self.meta)}}"#, headers: headers)
        #expect(code(wrongMethod.json) == -32020)
        #expect(wrongMethod.status == 400)
        let call = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"sandbox_health","arguments":{},\#(Self.meta)}}"#
        #expect(code(answer(call, headers: ["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call"]).json) == -32020, "no Mcp-Name")
        #expect(answer(call, headers: ["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": "sandbox_health"]).status == 200)
        let encoded = "=?base64?" + Data("sandbox_health".utf8).base64EncodedString() + "?="
        #expect(answer(call, headers: ["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": encoded]).status == 200)
        let noCapabilities = answer(#"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}"#)
        #expect(code(noCapabilities.json) == -32602)
        let future = answer(#"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2099-01-01","io.modelcontextprotocol/clientCapabilities":{}}}}"#)
        #expect(code(future.json) == -32022)
        let result = answer(#"{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{\#(Self.meta)}}"#).json["result"] as? [String: Any] ?? [:]
        #expect((result["supportedVersions"] as? [String])?.first == "2026-07-28")
        #expect(result["resultType"] as? String == "complete")
        #expect(result["ttlMs"] as? Int == 0)
    }

    @Test func aToolCallIsTheRESTAnswerWithIsError() {
        let mock = Mock()
        let call = mock.application.mcp.handle(Array(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"fetch_customer","arguments":{"customer":"nobody@example.com"}}}"#.utf8), over: .stdio)
        let result = ((try? JSONSerialization.jsonObject(with: Data(call.body!))) as? [String: Any])?["result"] as? [String: Any] ?? [:]
        #expect(result["isError"] as? Bool == true, "404 from the route")
        let text = ((result["content"] as? [[String: Any]])?.first?["text"] as? String) ?? ""
        #expect(text == mock.call(.GET, "/customer/nobody%40example.com").text, "the same bytes as REST")
    }
}
