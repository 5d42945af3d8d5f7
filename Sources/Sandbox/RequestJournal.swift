import EventHTTP
import PaystackCore
import Platform
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One request as the journal keeps it: the request as it arrived and the answer as it was sent,
/// shared with the server (no copy), with every secret key masked whenever they are read or searched.
///
/// Recording is a few reference counts: packing the request into one masked buffer cost a fetch
/// ~1,500 instructions and a create ~2,300 (callgrind, bench/RESULTS.md), and copying and scanning a
/// 16 KiB list page cost list 19 % of its instructions, while the journal is read now and then.
public final class JournalEntry: Sendable {
    let sequence: Int
    let time: Timestamp
    let method: HTTPMethod
    let status: Int
    let durationMicroseconds: Int
    let integration: Int?
    /// Unmasked: read only through the accessors below and `contains`.
    private let rawPath: String
    private let rawQuery: String
    private let rawHeaders: HTTPHeaders
    private let rawBody: [UInt8]
    private let answer: [UInt8]

    init(
        sequence: Int, time: Timestamp, method: HTTPMethod, path: String, query: String,
        headers: HTTPHeaders, body: [UInt8], status: Int, responseBody: [UInt8],
        durationMicroseconds: Int, integration: Int?
    ) {
        rawPath = path
        rawQuery = query
        rawHeaders = headers
        rawBody = body
        answer = responseBody
        self.sequence = sequence
        self.time = time
        self.method = method
        self.status = status
        self.durationMicroseconds = durationMicroseconds
        self.integration = integration
    }

    var path: String { String(decoding: masked(Array(rawPath.utf8)), as: UTF8.self) }
    var query: String { String(decoding: masked(Array(rawQuery.utf8)), as: UTF8.self) }
    var body: [UInt8] { masked(rawBody) }
    /// The answer, secret keys masked.
    var responseBody: [UInt8] { masked(answer) }

    /// Credential headers masked as `maskCredential` does, and any secret key elsewhere.
    var headers: [(name: String, value: String)] {
        rawHeaders.map { name, value in
            var bytes = Array(value.utf8)
            bytes.withUnsafeMutableBufferPointer { value in
                if isCredentialHeader(name) { maskCredential(value) }
                maskSecretKeys(value)
            }
            return (String(decoding: masked(Array(name.utf8)), as: UTF8.self), String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Whether `needle` occurs in the path, the query, the body or the answer, masked, headers aside.
    func contains(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        return occursMasked(needle, in: Array(rawPath.utf8)) || occursMasked(needle, in: Array(rawQuery.utf8))
            || occursMasked(needle, in: rawBody) || occursMasked(needle, in: answer)
    }
}

private func masked(_ bytes: [UInt8]) -> [UInt8] {
    var bytes = bytes
    bytes.withUnsafeMutableBufferPointer { maskSecretKeys($0) }
    return bytes
}

/// Whether `needle` occurs in `bytes` once masked. Masking only turns bytes into `*`: a needle without
/// `*` that is not in the bytes as they are is not in the masked bytes either, so only a possible
/// match pays for a masked copy.
private func occursMasked(_ needle: [UInt8], in bytes: [UInt8]) -> Bool {
    guard needle.contains(UInt8(ascii: "*")) || occurs(needle, in: bytes[...]) else { return false }
    return occurs(needle, in: masked(bytes)[...])
}

private func occurs(_ needle: [UInt8], in bytes: ArraySlice<UInt8>) -> Bool {
    guard bytes.count >= needle.count else { return false }
    var index = bytes.startIndex
    while index + needle.count <= bytes.endIndex {
        if bytes[index] == needle[0] && bytes[index..<index + needle.count].elementsEqual(needle) { return true }
        index += 1
    }
    return false
}

/// What `GET /_sandbox/requests` may filter on; nil matches everything.
struct JournalFilter: Sendable {
    var method: HTTPMethod?
    /// A pattern as in fault rules: `*` matches any run of characters.
    var path: String?
    var status: Int?
    var integration: Int?
    var since: Timestamp?
    /// Bytes the path, query, body or answer contain.
    var contains: [UInt8]?

    func matches(_ entry: JournalEntry) -> Bool {
        if let method, entry.method != method { return false }
        if let status, entry.status != status { return false }
        if let integration, entry.integration != integration { return false }
        if let since, entry.time < since { return false }
        if let path, !globMatches(path, entry.path) { return false }
        if let contains, !entry.contains(contains) { return false }
        return true
    }
}

/// The last `capacity` requests, kept in a ring. Each slot has its own lock and a request claims
/// its slot with one atomic add, so loops recording at once do not wait for each other.
public final class RequestJournal: Sendable {
    public let capacity: Int
    private let slots: [LockedValue<JournalEntry?>]
    private let next = Atomic<Int>(0)
    /// Entries before this sequence number were cleared.
    private let clearedBefore = Atomic<Int>(0)
    /// Told of each entry once it is recorded (the dashboard's live tail).
    public let recorded = Broadcast<JournalEntry>()

    public init(capacity: Int) {
        self.capacity = capacity
        slots = (0..<capacity).map { _ in LockedValue(nil) }
    }

    /// Adds an exchange (its secrets are masked whenever the entry is read: `JournalEntry`).
    func record(_ request: HTTPRequest, _ response: HTTPResponse, integration: Int?, started: UInt64, at time: Timestamp) {
        guard capacity > 0 else { return }
        let elapsed = Int((monotonicNanoseconds() - started) / 1000) + response.delayMilliseconds * 1000
        var query = ""
        for (key, value) in request.query {
            if !query.isEmpty { query += "&" }
            query += key
            query += "="
            query += value
        }
        record { sequence in
            JournalEntry(
                sequence: sequence, time: time, method: request.method, path: request.path, query: query,
                headers: request.headers, body: request.body, status: response.status, responseBody: response.body,
                durationMicroseconds: elapsed, integration: integration)
        }
    }

    /// Stores the entry `make` builds for the next sequence number, in the oldest slot.
    func record(_ make: (_ sequence: Int) -> JournalEntry) {
        guard capacity > 0 else { return }
        let entry = make(next.wrappingAdd(1, ordering: .relaxed).oldValue)
        let slot = slots[entry.sequence % capacity]
        slot.withLock { stored in
            // A slower writer of an older entry never overwrites a newer one.
            if let current = stored, current.sequence > entry.sequence { return }
            stored = entry
        }
        recorded.publish(entry)
    }

    /// Matching entries, newest first.
    func entries(matching filter: JournalFilter, limit: Int) -> [JournalEntry] {
        let cleared = clearedBefore.load(ordering: .acquiring)
        var found: [JournalEntry] = []
        for slot in slots {
            if let entry = slot.value, entry.sequence >= cleared, filter.matches(entry) { found.append(entry) }
        }
        found.sort { $0.sequence > $1.sequence }
        return Array(found.prefix(limit))
    }

    func clear() {
        clearedBefore.store(next.load(ordering: .relaxed), ordering: .releasing)
    }
}

/// Masks, in place, the credential that is the whole of `bytes` (a header's value):
/// `Bearer sk_test_a1b2…` → `Bearer sk_test_****…b2c3`, the scheme and the key's prefix kept, with
/// its last four characters; everything else becomes `*`. Used for every header that can carry a key.
func maskCredential(_ bytes: UnsafeMutableBufferPointer<UInt8>) {
    var tokenStart = 0
    if let space = bytes.firstIndex(of: 0x20) { tokenStart = space + 1 }
    while tokenStart < bytes.count, bytes[tokenStart] == 0x20 { tokenStart += 1 }
    // `sk_test_`, `sk_live_`, `pk_test_`, `pk_live_` stay visible.
    var keep = tokenStart
    if bytes.count - tokenStart >= 8, bytes[tokenStart] == UInt8(ascii: "s") || bytes[tokenStart] == UInt8(ascii: "p"),
       startsKeyPrefix(UnsafeBufferPointer(rebasing: bytes[(tokenStart + 1)...])) {
        keep = tokenStart + 8
    }
    let visibleTail = bytes.count - tokenStart >= 16 ? 4 : 0
    let end = bytes.count - visibleTail
    if keep < end {
        for index in keep..<end { bytes[index] = UInt8(ascii: "*") }
    }
}

/// Header names whose values are credentials.
func isCredentialHeader(_ name: String) -> Bool {
    switch name.utf8.count {
    case 13: name.equalsIgnoringASCIICase("Authorization")
    case 19: name.equalsIgnoringASCIICase("Proxy-Authorization")
    case 6: name.equalsIgnoringASCIICase("Cookie")
    default: false
    }
}

/// Masks every `sk_test_…`/`sk_live_…` key in `bytes` in place, as `maskCredential` does, for keys
/// that arrive elsewhere than in `Authorization` (a path, a query, a body, an answer).
func maskSecretKeys(_ bytes: UnsafeMutableBufferPointer<UInt8>) {
    guard let first = firstSecretKey(UnsafeBufferPointer(bytes)) else { return }
    var index = first
    while index + 8 <= bytes.count {
        guard startsSecretKey(bytes, at: index) else {
            index += 1
            continue
        }
        var end = index + 8
        while end < bytes.count, isKeyCharacter(bytes[end]) { end += 1 }
        let tail = end - (index + 8) >= 8 ? 4 : 0
        for position in (index + 8)..<(end - tail) { bytes[position] = UInt8(ascii: "*") }
        index = end
    }
}

/// Where the first `sk_test_`/`sk_live_` starts. `memchr` (vectorised in glibc) finds each `k`, a
/// rare letter in JSON, so clean bytes cost little: a 16 KiB list page takes a few microseconds.
private func firstSecretKey(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let base = bytes.baseAddress, bytes.count >= 8 else { return nil }
    var offset = 1
    while offset + 7 <= bytes.count {
        guard let found = memchr(base + offset, Int32(UInt8(ascii: "k")), bytes.count - offset) else { return nil }
        let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) - 1
        // A bare prefix (as in documentation: `sk_test_…`) holds nothing to mask.
        if index + 9 <= bytes.count, startsSecretKey(bytes, at: index), isKeyCharacter(bytes[index + 8]) { return index }
        offset = index + 2
    }
    return nil
}

private func startsSecretKey<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at index: Bytes.Index) -> Bool where Bytes.Index == Int {
    bytes[index] == UInt8(ascii: "s") && startsKeyPrefix(bytes[(index + 1)...])
}

/// Whether `bytes` start with `k_test_` or `k_live_` (a key's prefix after its `s` or `p`).
private func startsKeyPrefix<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
    var iterator = bytes.makeIterator()
    guard iterator.next() == UInt8(ascii: "k"), iterator.next() == UInt8(ascii: "_") else { return false }
    var word: UInt32 = 0
    for _ in 0..<4 {
        guard let byte = iterator.next() else { return false }
        word = word << 8 | UInt32(byte)
    }
    guard word == 0x7465_7374 || word == 0x6C69_7665, iterator.next() == UInt8(ascii: "_") else { return false }  // "test", "live"
    return true
}

private func isKeyCharacter(_ byte: UInt8) -> Bool {
    isASCIIAlphanumeric(byte) || byte == UInt8(ascii: "_")
}
