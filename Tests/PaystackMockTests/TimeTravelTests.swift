import Foundation
import HTTPTestSupport
@testable import PaystackCore
import PaystackMock
@testable import Sandbox
import Testing

/// The sandbox clock may go back: every stamp follows it, and date filters stay right.
@Suite struct TimeTravelTests {
    static func setClock(_ mock: Mock, _ body: [String: Any]) {
        let reply = mock.call(.POST, "/_sandbox/clock", key: nil, json: body)
        #expect(reply.status == 200, "clock \(body): \(reply.text)")
    }

    static func create(_ mock: Mock, _ email: String) -> [String: Any] {
        mock.call(.POST, "/customer", json: ["email": email]).data
    }

    @Test func createdAtAndUpdatedAtFollowTheClockBackwards() {
        let mock = Mock(seed: Fixtures.seed(count: 0))
        Self.setClock(mock, ["now": "2024-05-01T10:00:00.000Z"])
        #expect(Self.create(mock, "may@example.com")["createdAt"] as? String == "2024-05-01T10:00:00.000Z")
        Self.setClock(mock, ["now": "2024-03-01T09:00:00.000Z"])
        let march = Self.create(mock, "march@example.com")
        #expect(march["createdAt"] as? String == "2024-03-01T09:00:00.000Z", "a customer created after setting the clock back carries the earlier time")
        #expect(march["updatedAt"] as? String == "2024-03-01T09:00:00.000Z")
        Self.setClock(mock, ["now": "2023-01-15T00:00:00.000Z"])
        let updated = mock.call(.PUT, "/customer/may@example.com", json: ["first_name": "May"]).data
        #expect(updated["updatedAt"] as? String == "2023-01-15T00:00:00.000Z", "updatedAt follows the clock back too")
        #expect(updated["createdAt"] as? String == "2024-05-01T10:00:00.000Z")
        Self.setClock(mock, ["advance": 86_400, "freeze": true])
        #expect(Self.create(mock, "later@example.com")["createdAt"] as? String == "2023-01-16T00:00:00.000Z", "freeze then advance")
    }

    @Test func dateFiltersAreRightWhenCreatedAtIsNoLongerInIDOrder() {
        let mock = Mock(seed: Fixtures.seed(count: 0))
        let days = ["2025-01-10", "2023-06-10", "2024-03-10", "2023-01-10", "2024-12-31", "2024-01-01"]
        for (index, day) in days.enumerated() {
            Self.setClock(mock, ["now": "\(day)T12:00:00.000Z"])
            _ = Self.create(mock, "c\(index)@example.com")
        }
        let list = mock.call(.GET, "/customer?from=2024-01-01&to=2024-12-31&perPage=2")
        #expect(list.meta["total"] as? Int == 3, "2024-03-10, 2024-12-31 and 2024-01-01, whatever their ids: \(list.text)")
        #expect(list.list.map { $0["email"] as? String } == ["c5@example.com", "c4@example.com"], "newest id first")
        let second = mock.call(.GET, "/customer?from=2024-01-01&to=2024-12-31&perPage=2&page=2")
        #expect(second.list.map { $0["email"] as? String } == ["c2@example.com"])
        let cursor = mock.call(.GET, "/customer?from=2024-01-01&to=2024-12-31&perPage=2&use_cursor=true")
        let next = try? #require(cursor.meta["next"] as? String)
        let rest = mock.call(.GET, "/customer?from=2024-01-01&to=2024-12-31&perPage=2&next=\(next ?? "")")
        #expect(rest.list.map { $0["email"] as? String } == ["c2@example.com"], "cursor pages over the same filtered set")
        let before2024 = mock.call(.GET, "/customer?to=2023-12-31")
        #expect(Set(before2024.list.compactMap { $0["email"] as? String }) == ["c1@example.com", "c3@example.com"])
    }

    @Test func whileTheClockOnlyGoesForwardRangesAreASlice() {
        var ledger = Ledger()
        for day in 0..<10 {
            let stamp = Timestamp(seconds: 1_700_000_000 + Int64(day) * 86_400)
            ledger.add(Customer(id: day + 1, integration: 1, domain: .test, customerCode: Fixtures.code(day), email: "d\(day)@example.com",
                                createdAt: stamp, updatedAt: stamp))
        }
        #expect(ledger.createdAtIsMonotonic)
        guard case .range(let range) = ledger.selection(from: Timestamp(seconds: 1_700_000_000 + 2 * 86_400), to: Timestamp(seconds: 1_700_000_000 + 4 * 86_400)) else {
            Issue.record("a monotonic ledger is searched, not scanned")
            return
        }
        #expect(range == 2..<5)
        ledger.add(Customer(id: 11, integration: 1, domain: .test, customerCode: Fixtures.code(10), email: "back@example.com",
                            createdAt: Timestamp(seconds: 1_600_000_000), updatedAt: Timestamp(seconds: 1_600_000_000)))
        #expect(!ledger.createdAtIsMonotonic)
        #expect(ledger.selection(from: nil, to: Timestamp(seconds: 1_650_000_000)).count == 1)
    }

    @Test func aStateWithCreatedAtOutOfIDOrderExportsAndLoadsBack() throws {
        let mock = Mock(seed: Fixtures.seed(count: 0))
        Self.setClock(mock, ["now": "2025-01-01T00:00:00.000Z"])
        _ = Self.create(mock, "new@example.com")
        Self.setClock(mock, ["now": "2020-01-01T00:00:00.000Z"])
        _ = Self.create(mock, "old@example.com")
        let state = mock.call(.GET, "/_sandbox/state", key: nil)
        let replaced = mock.call(.PUT, "/_sandbox/state", key: nil, rawBody: state.text, contentType: "application/json")
        #expect(replaced.status == 200, "the exported state loads back: \(replaced.text)")
        #expect(mock.call(.GET, "/_sandbox/state", key: nil).text == state.text)
    }

    @Test func advanceAndNowAreBoundedInsteadOfOverflowing() {
        let mock = Mock()
        for advance in [Int64.max, Int64.max - 1, Int64.min, 9_223_372_036_854_775_000] {
            let reply = mock.call(.POST, "/_sandbox/clock", key: nil, json: ["advance": advance])
            #expect(reply.status == 400, "advance \(advance) is refused (it crashed the server before)")
        }
        #expect(mock.call(.POST, "/_sandbox/clock", key: nil, json: ["now": "1969-12-31T00:00:00.000Z"]).message == SandboxMessages.clockOutOfRange)
        #expect(mock.call(.GET, "/_sandbox/clock", key: nil).data["now"] as? String == "2025-06-01T12:00:00.000Z", "a refused change changes nothing")
        let saturated = mock.call(.POST, "/_sandbox/clock", key: nil, json: ["now": "9999-12-31T00:00:00.000Z", "advance": 86_400 * 2])
        #expect(saturated.data["now"] as? String == "9999-12-31T23:59:59.000Z", "an advance past the end stops there")
    }
}
