// libFuzzer target: whole requests through the assembled application, the router, the body
// readers, the validation and the store included. Input: a method byte, a target line, the body.
// Every answer must be a status from 100 to 599, and every JSON answer must parse.
import EventHTTP
import FuzzSupport
import JSON
import PaystackCore
import PaystackMock
import Sandbox

@main
enum RouterFuzzer {
    static func main() { runFuzzer(fuzzOne) }
}

private let application: Application = {
    // A short journal: listing a full one (1000 answers) would take most of each run.
    let application = try! Application(seed: try! BundledSeed.load(), sandbox: SandboxOptions(journalSize: 20))
    try! application.background.start()
    return application
}()

private let keys = ["Bearer sk_test_" + String(repeating: "a1", count: 20), "Bearer sk_live_" + String(repeating: "b2", count: 20), "Bearer x", ""]

func fuzzOne(_ bytes: [UInt8]) {
    guard bytes.count >= 2 else { return }
    let method = HTTPMethod.allCases[Int(bytes[0]) % HTTPMethod.allCases.count]
    let key = keys[Int(bytes[1]) % keys.count]
    let rest = bytes.dropFirst(2)
    let newline = rest.firstIndex(of: 10) ?? rest.endIndex
    var target = String(decoding: rest[..<newline], as: UTF8.self)
    if !target.hasPrefix("/") { target = "/" + target }
    let body = Array(rest[newline...].dropFirst())
    var headers = HTTPHeaders()
    if !key.isEmpty { headers.set("Authorization", key) }
    headers.set("Content-Type", bytes[1] & 0x80 == 0 ? "application/json" : "application/x-www-form-urlencoded")
    let response = application.responder.respond(to: HTTPRequest(method: method, target: target, headers: headers, body: body))
    precondition((100...599).contains(response.status), "status \(response.status) for \(method) \(target)")
    if response.headers["Content-Type"] == "application/json" && !response.body.isEmpty {
        guard (try? JSONParser.parse(response.body)) != nil else {
            fatalError("invalid JSON answered to \(method) \(target): \(String(decoding: response.body, as: UTF8.self))")
        }
    }
}
