import Foundation
import HTTPTestSupport
@testable import PaystackCore
import PaystackMock
import Platform
import Synchronization
import Testing

/// Lists under load: a huge page is rendered outside the integration's lock, and the cache of
/// rendered items stays bounded.
@Suite(.serialized) struct ListUnderLoadTests {
    @Test func aHugePageDoesNotStallConcurrentCreates() throws {
        let mock = Mock(seed: Fixtures.seed(count: 60_000, authorizations: false))
        let listing = Atomic<Bool>(true)
        let longest = Atomic<UInt64>(0)
        let creates = Atomic<Int>(0)
        let writer = try OwnedThread(name: "creates") {
            var index = 0
            while listing.load(ordering: .acquiring) {
                let started = monotonicNanoseconds()
                _ = mock.call(.POST, "/customer", json: ["email": "during\(index)@example.com"])
                let took = monotonicNanoseconds() - started
                if took > longest.load(ordering: .relaxed) { longest.store(took, ordering: .relaxed) }
                index += 1
                creates.wrappingAdd(1, ordering: .relaxed)
            }
        }
        let started = monotonicNanoseconds()
        let page = mock.call(.GET, "/customer?perPage=1000000")
        let listTook = monotonicNanoseconds() - started
        listing.store(false, ordering: .releasing)
        writer.join()
        #expect(page.status == 200)
        #expect(page.list.count >= 60_000)
        let stall = Double(longest.load(ordering: .relaxed)) / 1e6, whole = Double(listTook) / 1e6
        // Rendered under the lock, one create would have waited for the whole page.
        #expect(creates.load(ordering: .relaxed) > 10, "creates went on while the page was rendered")
        #expect(stall < whole / 4, "longest create \(stall) ms while a \(whole) ms page was rendered")
    }

    @Test func theRenderedItemCacheIsBounded() {
        var cache = RenderedCustomerCache(byteLimit: RenderedCustomerCache.listItemByteLimit)
        let item = [UInt8](repeating: 0x41, count: 4096)
        for position in 0..<(RenderedCustomerCache.listItemByteLimit / 4096 * 3) { cache.store(item, at: position) }
        #expect(cache.byteCount <= RenderedCustomerCache.listItemByteLimit)
        #expect(cache.item(at: 0) == nil, "the oldest items went first")
        #expect(cache.item(at: RenderedCustomerCache.listItemByteLimit / 4096 * 3 - 1) == item)
        cache.forget(RenderedCustomerCache.listItemByteLimit / 4096 * 3 - 1)
        #expect(cache.item(at: RenderedCustomerCache.listItemByteLimit / 4096 * 3 - 1) == nil)
    }

    /// Slots are addressed by position, in pages made on first use and dropped once empty: a
    /// million-customer ledger listed at its far end holds one page, not a million slots.
    @Test func theItemCacheHoldsPagesOnlyWhereItemsAre() {
        var cache = RenderedCustomerCache(byteLimit: RenderedCustomerCache.listItemByteLimit)
        #expect(cache.item(at: 2_000_000) == nil)
        for position in [0, 1, 4095, 4096, 999_999] { cache.store([UInt8](repeating: 0x42, count: 10 + position % 7), at: position) }
        #expect(cache.pageCount == 3)
        #expect(cache.item(at: 4095) == [UInt8](repeating: 0x42, count: 10 + 4095 % 7))
        #expect(cache.item(at: 2) == nil && cache.item(at: 999_998) == nil)
        cache.store([1, 2, 3], at: 1)
        #expect(cache.item(at: 1) == [1, 2, 3])
        #expect(cache.byteCount == 10 + 3 + 10 + 4095 % 7 + 10 + 4096 % 7 + 10 + 999_999 % 7)
        for position in [0, 1, 4095, 4096] { cache.forget(position) }
        cache.forget(12_345_678)
        #expect(cache.pageCount == 1)
        #expect(cache.byteCount == 10 + 999_999 % 7)
        // Forgotten and cached again: stale entries in the eviction order do no harm, the bound holds.
        cache.store([9], at: 0)
        cache.forget(999_999)
        cache.store([UInt8](repeating: 7, count: 5), at: 999_999)
        let large = [UInt8](repeating: 1, count: RenderedCustomerCache.listItemByteLimit / 8)
        for position in 50..<60 { cache.store(large, at: position) }
        #expect(cache.item(at: 0) == nil, "the oldest went first")
        #expect(cache.item(at: 59) == large)
        #expect(cache.byteCount + cache.pageCount * RenderedCustomerCache.pageBytes <= RenderedCustomerCache.listItemByteLimit)
        cache.store(large + [1], at: 59)
        #expect(cache.item(at: 59) == nil, "an item above an eighth of the bound is not kept, nor what it replaces")
    }

    /// Pages of slots count against the bound: answers cached one per page (fetches spread over a
    /// huge ledger) cannot hold more than the bound in pages.
    @Test func pagesOfSlotsCountAgainstTheBound() {
        var cache = RenderedCustomerCache(byteLimit: RenderedCustomerCache.fetchAnswerByteLimit)
        for page in 0..<1_000 { cache.store([UInt8](repeating: 2, count: 800), at: page * 4096) }
        #expect(cache.byteCount + cache.pageCount * RenderedCustomerCache.pageBytes <= RenderedCustomerCache.fetchAnswerByteLimit)
        #expect(cache.pageCount > 10 && cache.pageCount < 1_000)
        #expect(cache.item(at: 999 * 4096) != nil && cache.item(at: 0) == nil)
    }
}

/// One owner of every thread: servers stop, drain and join; nothing is left running.
@Suite(.serialized) struct LifecycleTests {
    @Test func startingAndStoppingMocksLeavesNoThreads() {
        func cycle() {
            let receiver = Receiver()
            let mock = Mock(live: true)
            _ = mock.call(.PUT, "/_sandbox/webhook", key: nil, json: ["integration": Fixtures.acme.id, "url": receiver.url])
            _ = mock.call(.POST, "/_sandbox/webhooks/test", key: nil, json: [:])
            receiver.waitFor(1)
        }
        cycle()  // Dispatch and the runtime start their own threads once.
        let before = processThreadCount()
        for _ in 0..<12 { cycle() }
        let after = processThreadCount()
        // Each cycle runs three threads of its own (an HTTP loop, a background loop, the receiver's loop).
        #expect(after - before < 12, "threads before \(before), after 12 cycles \(after)")
    }

    @Test func sigtermWithAStalledReceiverExitsPromptlyAndSaysWhatItAbandoned() throws {
        // A receiver that accepts and never answers.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = bind(listener, $0, length) } }
        listen(listener, 8)
        withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(listener, $0, &length) } }
        defer { close(listener) }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let mock = try MockProcess(arguments: [
            "--port", "0", "--webhook-url", "http://127.0.0.1:\(port)/hook", "--kyc-delay", "60", "--log-level", "warning",
        ]).start()
        let headers = ["Authorization": "Bearer \(Keys.acmeTest)", "Content-Type": "application/json"]
        #expect(try httpRequest(port: mock.port, "POST", "/_sandbox/webhooks/test", body: jsonBody([:])).status == 200)
        let code = try httpRequest(port: mock.port, "GET", "/customer?perPage=1", headers: headers).list.first?["customer_code"] as? String ?? ""
        let identification = try httpRequest(port: mock.port, "POST", "/customer/\(code)/identification", headers: headers, body: jsonBody([
            "country": "NG", "type": "bank_account", "account_number": "0111111111", "bvn": "222222222221", "bank_code": "007",
            "first_name": "Uchenna", "last_name": "Okoro",
        ]))
        #expect(identification.status == 202)
        Thread.sleep(forTimeInterval: 0.3)
        let stopping = Date()
        mock.signal(SIGTERM)
        let status = mock.waitForExit()
        let took = Date().timeIntervalSince(stopping)
        #expect(status == 0, "SIGTERM exits 0")
        #expect(took < 5, "a stop takes at most the grace period (3 s), took \(took) s")
        let errors = mock.stderrText
        #expect(errors.contains("webhook deliveries still pending (abandoned): 1"), "stderr: \(errors)")
        #expect(errors.contains("1 identification outcome(s) not yet decided (abandoned)"), "stderr: \(errors)")
    }
}

/// A binary copied out of the checkout starts with the seed built into it.
@Suite struct EmbeddedSeedTests {
    @Test func aCopiedBinaryStartsAnywhereWithTheBundledSeed() throws {
        let folder = TemporaryFolder("copied-binary")
        let copy = folder.file("paystack-mock")
        try FileManager.default.copyItem(atPath: MockProcess.binaryPath, toPath: copy)
        let mock = try MockProcess(arguments: ["--port", "0"], executable: copy, directory: folder.path).start()
        defer { mock.stop() }
        #expect(mock.port > 0, "it starts with no seed-data folder beside it: \(mock.firstLine)")
        let health = try httpRequest(port: mock.port, "GET", "/_sandbox/health")
        #expect(health.data["integrations"] as? Int == 2)
        #expect(health.data["customers"] as? Int == 72)
        let list = try httpRequest(port: mock.port, "GET", "/customer?perPage=1", headers: ["Authorization": "Bearer \(Keys.acmeTest)"])
        #expect(list.status == 200)
    }

    @Test func seedDataNoneStartsEmpty() throws {
        let mock = try MockProcess(arguments: ["--port", "0", "--seed-data", "none", "--secret-key", "sk_test_empty"]).start()
        defer { mock.stop() }
        let health = try httpRequest(port: mock.port, "GET", "/_sandbox/health")
        #expect(health.data["integrations"] as? Int == 1, "only the --secret-key's integration")
        #expect(health.data["customers"] as? Int == 0)
        let list = try httpRequest(port: mock.port, "GET", "/customer", headers: ["Authorization": "Bearer sk_test_empty"])
        #expect(list.meta["total"] as? Int == 0)
    }
}
