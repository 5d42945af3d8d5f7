import Testing
import EventHTTP
import Foundation
@testable import PaystackMock

@Suite struct TmpPerf {
    @Test func renderSpeed() throws {
        let seed = try SeedLoader.load(directory: Fixtures.repositoryRoot + "/bench/out/seed-1k")
        let app = Application(seed: seed)
        var headers = HTTPHeaders()
        headers.add("Host", "x")
        headers.add("Authorization", "Bearer sk_test_" + String(repeating: "a1", count: 20))
        let request = HTTPRequest(method: .GET, target: "/customer?perPage=50", headers: headers)
        let account = app.store.account(forSecretKey: "sk_test_" + String(repeating: "a1", count: 20))!
        func time(_ label: String, _ n: Int = 20000, _ body: () -> Void) {
            let start = Date()
            for _ in 0..<n { body() }
            print(label, Date().timeIntervalSince(start) / Double(n) * 1e6, "us")
        }
        time("full list") { _ = app.responder.respond(to: request) }
        time("auth") { _ = try? app.store.authenticate(request) }
        time("query") { _ = try? ListQuery(request.query) }
        let page = (customers: seed.customers.filter { $0.integration == 463433 && $0.domain == .test }.suffix(50).reversed() as [Customer], 0)
        time("render") {
            var writer = JSONWriter(capacity: 20000)
            for c in page.customers { writer.customer(c, .listItem) }
        }
        let c0 = page.customers[0]
        time("keys x1000", 2000) { var w = JSONWriter(capacity: 20000); for _ in 0..<1000 { w.key("customer_code") } }
        time("strings x1000", 2000) { var w = JSONWriter(capacity: 40000); for _ in 0..<1000 { w.string(c0.email) } }
        time("plain x1000", 2000) { var w = JSONWriter(capacity: 40000); for _ in 0..<1000 { w.plainString(c0.customerCode) } }
        time("ints x1000", 2000) { var w = JSONWriter(capacity: 40000); for _ in 0..<1000 { w.int(c0.id) } }
        time("stamps x1000", 2000) { var w = JSONWriter(capacity: 40000); for _ in 0..<1000 { w.timestamp(c0.createdAt) } }
        time("nulls x1000", 2000) { var w = JSONWriter(capacity: 40000); for _ in 0..<1000 { w.null() } }
        time("one customer", 20000) { var w = JSONWriter(capacity: 4000); w.customer(c0, .listItem) }
        var counter = 0
        var createHeaders = headers
        createHeaders.add("Content-Type", "application/json")
        let createBody = Array("{\"email\":\"bench-1@example.com\",\"first_name\":\"Bench\"}".utf8)
        time("request init", 20000) { _ = HTTPRequest(method: .POST, target: "/customer", headers: createHeaders, body: createBody) }
        let createRequest = HTTPRequest(method: .POST, target: "/customer", headers: createHeaders, body: createBody)
        time("create existing", 20000) { _ = app.responder.respond(to: createRequest) }
        time("json parse", 20000) { _ = try? JSONParser.parse(createBody) }
        time("create", 20000) {
            counter += 1
            let body = Array("{\"email\":\"bench-\(counter)@example.com\",\"first_name\":\"Bench\"}".utf8)
            _ = app.responder.respond(to: HTTPRequest(method: .POST, target: "/customer", headers: createHeaders, body: body))
        }
        time("createCustomer only", 20000) {
            counter += 1
            _ = account.createCustomer(CustomerDraft(email: "direct-\(counter)@example.com"))
        }
        time("random code", 20000) { _ = account.newCustomerCode() }
        time("clock", 20000) { _ = app.store.clock.now() }
        time("parse body", 20000) { _ = try? RequestBody(HTTPRequest(method: .POST, target: "/customer", headers: createHeaders, body: Array("{\"email\":\"bench-1@example.com\",\"first_name\":\"Bench\"}".utf8))) }
        time("email valid", 20000) { _ = isValidEmail("bench-12345@example.com") }
        let fetch = HTTPRequest(method: .GET, target: "/customer/" + page.customers[0].customerCode, headers: headers)
        time("full fetch") { _ = app.responder.respond(to: fetch) }
        time("router") { _ = app.responder.router.match(.GET, "/customer/CUS_abc") }
    }
}
