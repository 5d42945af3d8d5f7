// libFuzzer target: query strings, percent-decoding and request bodies (JSON, forms, no type),
// as the routes read them. The first byte picks the Content-Type.
import EventHTTP
import FuzzSupport
import PaystackAPI

@main
enum FormFuzzer {
    static func main() { runFuzzer(fuzzOne) }
}

private let contentTypes: [String?] = [nil, "application/json", "application/x-www-form-urlencoded", "text/plain", "application/vnd.api+json; charset=utf-8"]

func fuzzOne(_ bytes: [UInt8]) {
    guard let first = bytes.first else { return }
    let rest = Array(bytes.dropFirst())
    let text = String(decoding: rest, as: UTF8.self)
    let query = QueryParameters(parsing: text)
    for (key, value) in query { _ = (key.utf8.count, value.utf8.count) }
    _ = percentDecode(text)
    var headers = HTTPHeaders()
    if let type = contentTypes[Int(first) % contentTypes.count] { headers.set("Content-Type", type) }
    let request = HTTPRequest(method: .POST, target: "/customer?" + text, headers: headers, body: rest)
    guard let body = try? RequestBody(request) else { return }
    for name in ["email", "first_name", "metadata", "customer", "risk_action"] { _ = try? body.string(name) }
    _ = try? body.metadata()
    _ = try? ListQuery(request.query)
}
