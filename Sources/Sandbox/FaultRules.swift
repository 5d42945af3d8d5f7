import EventHTTP
import PaystackCore
import Platform
import Synchronization

/// A rule of `POST /_sandbox/faults`: requests it matches get `status` (Paystack's envelope, the
/// route never runs) and/or `delayMs` more latency, `times` times at most, each with `probability`.
public struct FaultRule: Sendable, Equatable {
    public var id: Int
    public var method: HTTPMethod?
    /// A path pattern; `*` matches any run of characters, `/` included. A trailing slash is ignored.
    public var path: String
    public var status: Int?
    public var message: String?
    public var delayMs: Int
    /// Matches left; nil for no limit.
    public var times: Int?
    public var probability: Double
}

/// The fault rules, shared by every loop. Requests pay one atomic load while there are none.
public final class FaultRules: Sendable {
    private let rules = LockedValue<[FaultRule]>([])
    private let active = Atomic<Int>(0)
    private let nextID = Atomic<Int>(1)
    private let random = RandomSource()

    public init() {}

    public func add(_ rule: FaultRule) -> FaultRule {
        var rule = rule
        rule.id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        rules.withLock { rules in
            rules.append(rule)
            active.store(rules.count, ordering: .releasing)
        }
        return rule
    }

    public var all: [FaultRule] { rules.value }

    public func clear() {
        rules.withLock { rules in
            rules.removeAll()
            active.store(0, ordering: .releasing)
        }
    }

    /// The first rule, in the order added, that matches the request and whose probability draw
    /// passes; it is counted against its `times`.
    func match(_ method: HTTPMethod, _ path: String) -> FaultRule? {
        guard active.load(ordering: .acquiring) > 0 else { return nil }
        return rules.withLock { rules -> FaultRule? in
            guard let index = rules.firstIndex(where: { rule in
                (rule.method == nil || rule.method == method) && globMatches(rule.path, path)
                    && Double(random.next() >> 11) / Double(1 << 53) < rule.probability
            }) else { return nil }
            let rule = rules[index]
            if let times = rule.times {
                if times <= 1 {
                    rules.remove(at: index)
                    active.store(rules.count, ordering: .releasing)
                } else {
                    rules[index].times = times - 1
                }
            }
            return rule
        }
    }
}

/// `*` matches any run of characters; both sides without a trailing slash.
func globMatches(_ pattern: String, _ path: String) -> Bool {
    func trimmed(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        while bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        return bytes
    }
    let pattern = trimmed(pattern), text = trimmed(path)
    // Iterative wildcard matching with backtracking to the last star.
    var p = 0, t = 0, star = -1, mark = 0
    while t < text.count {
        if p < pattern.count, pattern[p] != UInt8(ascii: "*"), pattern[p] == text[t] {
            p += 1
            t += 1
        } else if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
            star = p
            mark = t
            p += 1
        } else if star >= 0 {
            p = star + 1
            mark += 1
            t = mark
        } else {
            return false
        }
    }
    while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
    return p == pattern.count
}
