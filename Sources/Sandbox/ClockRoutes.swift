import EventHTTP
import JSON
import PaystackAPI
import PaystackCore

/// The sandbox clock, which stamps `createdAt` and `updatedAt`.
extension SandboxAPI {
    /// `POST /_sandbox/clock` with any of `{"now": "2024-01-01T00:00:00.000Z", "advance": 3600,
    /// "freeze": true}`: freezing first, then setting, then advancing. It stamps `createdAt` and
    /// `updatedAt` from then on, backwards too.
    func setClock(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        let body = try RequestBody(request)
        var freeze: Bool?
        switch body.fields["freeze"] {
        case nil: break
        case .bool(let value)?: freeze = value
        case .string("true")? where body.isForm: freeze = true
        case .string("false")? where body.isForm: freeze = false
        default: throw PaystackError.invalid(SandboxMessages.freezeMustBeBoolean)
        }
        var now: Timestamp?
        if let text = try body.string("now") {
            guard let parsed = Timestamp.parse(text) else { throw PaystackError.invalid(SandboxMessages.nowMustBeDate) }
            now = parsed.timestamp
        }
        let advance = try integer(body, "advance", in: -Self.longestAdvance...Self.longestAdvance, SandboxMessages.advanceMustBeSeconds)
            .map(Int64.init)
        guard freeze != nil || now != nil || advance != nil else { throw PaystackError.invalid(SandboxMessages.clockNeedsAChange) }
        if let now, !Self.settableRange.contains(now.seconds) { throw PaystackError.invalid(SandboxMessages.clockOutOfRange) }
        let clock = store.clock
        if freeze == true { clock.freeze() }
        if freeze == false { clock.unfreeze() }
        if let now { clock.set(now) }
        if let advance {
            // An advance past either end stops there.
            let target = min(max(clock.now().seconds + advance, Self.settableRange.lowerBound), Self.settableRange.upperBound)
            clock.set(Timestamp(seconds: target))
        }
        return clockAnswer()
    }

    /// 1000 years of seconds: further than any test needs, and far from overflowing.
    static let longestAdvance = 31_557_600_000
    /// 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z: the years a timestamp can show.
    static let settableRange: ClosedRange<Int64> = 0...253_402_300_799

    /// `GET /_sandbox/clock`: the server's now and whether it is frozen.
    func clockAnswer() -> HTTPResponse {
        let clock = store.clock
        let now = clock.now()
        let frozen = clock.isFrozen
        return success(SandboxMessages.clock) { writer in
            writer.beginObject()
            writer.key("now"); writer.timestamp(now)
            writer.key("frozen"); writer.bool(frozen)
            writer.endObject()
        }
    }
}
