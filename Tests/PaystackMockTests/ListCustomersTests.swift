import EventHTTP
import Foundation
import HTTPTestSupport
import JSON
@testable import PaystackAPI
@testable import PaystackCore
import PaystackMock
import Platform
@testable import Sandbox
import Testing
@testable import Webhooks

@Suite struct ListCustomersTests {
    /// 23 Acme test customers, one a day from 2024-01-01; ids 1000...1022.
    let mock = Mock(seed: Fixtures.seed(count: 23))

    private func ids(_ reply: Reply) -> [Int] { reply.list.compactMap { $0["id"] as? Int } }

    @Test func offsetPagesCoverEveryCustomerNewestFirst() {
        var seen: [Int] = []
        for page in 1...5 {
            let reply = mock.call(.GET, "/customer?perPage=5&page=\(page)")
            #expect(reply.status == 200)
            #expect(reply.message == Messages.customersRetrieved)
            let meta = reply.meta
            #expect(meta["total"] as? Int == 23)
            #expect(meta["skipped"] as? Int == (page - 1) * 5)
            #expect(meta["perPage"] as? Int == 5)
            #expect(meta["page"] as? Int == page)
            #expect(meta["pageCount"] as? Int == 5)
            seen += ids(reply)
        }
        #expect(seen == Array((1000...1022).reversed()), "every customer once, newest first")
        let past = mock.call(.GET, "/customer?perPage=5&page=6")
        #expect(past.status == 200)
        #expect(past.list.isEmpty)
        #expect(past.meta["total"] as? Int == 23)
    }

    @Test func defaultsArePage1Of50() {
        let reply = mock.call(.GET, "/customer")
        #expect(reply.meta["perPage"] as? Int == 50)
        #expect(reply.meta["page"] as? Int == 1)
        #expect(reply.meta["pageCount"] as? Int == 1)
        #expect(reply.list.count == 23)
    }

    @Test func listItemsHaveTheShortShape() {
        let item = mock.call(.GET, "/customer?perPage=1").list.first ?? [:]
        #expect(Set(item.keys) == [
            "integration", "first_name", "last_name", "email", "phone", "metadata", "domain", "customer_code",
            "risk_action", "id", "createdAt", "updatedAt",
        ])
    }

    @Test func cursorWalkForwardThenBack() {
        var pages: [[Int]] = []
        var reply = mock.call(.GET, "/customer?use_cursor=true&perPage=4")
        #expect(reply.meta["previous"] is NSNull, "the first page has nothing newer")
        pages.append(ids(reply))
        while let next = reply.meta["next"] as? String {
            #expect(Base64.decode(next)?.hasPrefix("customer:") == true)
            reply = mock.call(.GET, "/customer?use_cursor=true&perPage=4&next=\(next)")
            pages.append(ids(reply))
        }
        #expect(pages.flatMap { $0 } == Array((1000...1022).reversed()))
        #expect(pages.count == 6)
        #expect(reply.meta["next"] is NSNull)
        // And back from the last page.
        var backwards: [[Int]] = [ids(reply)]
        while let previous = reply.meta["previous"] as? String {
            reply = mock.call(.GET, "/customer?use_cursor=true&perPage=4&previous=\(previous)")
            backwards.append(ids(reply))
        }
        #expect(backwards.reversed().flatMap { $0 } == Array((1000...1022).reversed()))
        #expect(reply.meta["perPage"] as? Int == 4)
    }

    @Test func fromAndToAreInclusive() {
        // Customer i was created 2024-01-01 + i days at 10:00.
        let reply = mock.call(.GET, "/customer?from=2024-01-03T10:00:00.000Z&to=2024-01-05T10:00:00.000Z")
        #expect(ids(reply) == [1004, 1003, 1002])
        #expect(reply.meta["total"] as? Int == 3)
        let dateOnly = mock.call(.GET, "/customer?from=2024-01-03&to=2024-01-05")
        #expect(ids(dateOnly) == [1004, 1003, 1002], "a bare date as to covers that whole day")
        let paged = mock.call(.GET, "/customer?from=2024-01-03&to=2024-01-20&perPage=5&page=2")
        #expect(ids(paged) == [1014, 1013, 1012, 1011, 1010], "18 customers from 1002 to 1019; page 2 of 5")
        #expect(paged.meta["pageCount"] as? Int == 4)
    }

    @Test(arguments: [
        ("perPage=abc", "\"perPage\" must be a number"), ("perPage=0", "\"perPage\" must be greater than or equal to 1"),
        ("page=-1", "\"page\" must be greater than or equal to 1"), ("page=1.5", "\"page\" must be an integer"),
        ("from=yesterday", "Invalid 'from' date"), ("to=2024-13-01", "Invalid 'to' date"),
        ("use_cursor=maybe", "\"use_cursor\" must be a boolean"), ("use_cursor=true&next=bm9wZQ==", "Invalid cursor"),
        ("use_cursor=true&previous=%%%", "Invalid cursor"),
    ])
    func badQueryValuesAre400(query: String, message: String) {
        let reply = mock.call(.GET, "/customer?\(query)")
        #expect(reply.status == 400)
        #expect(reply.message == message)
        #expect(reply.json["code"] as? String == "invalid_params")
    }

    @Test func newCustomersComeFirst() {
        mock.clock.set(Timestamp.parse("2030-01-01T00:00:00Z")!.timestamp)
        let created = mock.call(.POST, "/customer", json: ["email": "newest@example.com"]).data
        let first = mock.call(.GET, "/customer?perPage=1").list.first
        #expect(first?["id"] as? Int == created["id"] as? Int)
    }
}
